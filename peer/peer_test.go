package peer

import (
	"errors"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// peers lists the peer backends built into this test binary: gonum
// always, openblas with -tags openblas.
func peers() []string {
	var out []string
	for _, a := range compute.Available() {
		if a.Name == "gonum" || a.Name == "openblas" {
			out = append(out, a.Name)
		}
	}
	return out
}

// TestConformance checks the kernels a peer runs against the reference,
// and that it refuses the others with ErrUnsupported.
func TestConformance(t *testing.T) {
	for _, name := range peers() {
		for _, workers := range []int{0, 1, 2} {
			b, err := compute.Open(name, compute.Options{Workers: workers})
			if err != nil {
				t.Fatalf("Open(%s, workers %d): %v", name, workers, err)
			}
			d := b.Device()
			t.Logf("%s workers=%d: level %s, %d threads, %v", name, workers, d.Level, d.Workers, d.Notes)
			if d.Backend != name || d.SumLeaf != 0 || (workers > 0 && d.Workers != workers) {
				t.Errorf("%s: Device() = %+v", name, d)
			}
			for _, k := range compute.Kernels() {
				for _, dt := range d.DTypes {
					for _, c := range computetest.Cases(k) {
						err := computetest.Check(b, c, dt, 1)
						switch {
						case Supports(k.Name) && err != nil:
							t.Errorf("%s workers=%d: %v %v: %v", name, workers, c, dt, err)
						case !Supports(k.Name) && !errors.Is(err, compute.ErrUnsupported):
							t.Errorf("%s: %v %v: got %v, want ErrUnsupported", name, c, dt, err)
						}
						if !Supports(k.Name) {
							break
						}
					}
				}
			}
			computetest.BadLaunches(t, b)
			b.Close()
			if _, err := b.Alloc(compute.Float32, 1); !errors.Is(err, compute.ErrReleased) {
				t.Errorf("%s: Alloc after Close = %v, want ErrReleased", name, err)
			}
		}
	}
}

func TestPeerFlag(t *testing.T) {
	for _, a := range compute.Available() {
		if (a.Name == "gonum" || a.Name == "openblas") && !a.Peer {
			t.Errorf("%s is not marked as a peer: \"all\" would run it", a.Name)
		}
	}
	if _, err := compute.Open("gonum", compute.Options{Workers: -1}); !errors.Is(err, compute.ErrUsage) {
		t.Errorf("Workers=-1: %v, want ErrUsage", err)
	}
}
