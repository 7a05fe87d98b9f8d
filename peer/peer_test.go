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
	for _, a := range compute.Available(compute.Options{}) {
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
				runs := compute.Runs(name, k)
				if runs != kernelSet().Has(k) {
					t.Errorf("%s: the registry says it runs %s: %v, its table: %v", name, k, runs, !runs)
				}
				for _, dt := range d.DTypes {
					for _, c := range computetest.Cases(k, dt) {
						err := computetest.Check(b, c, 1)
						switch {
						case runs && err != nil:
							t.Errorf("%s workers=%d: %v: %v", name, workers, c, err)
						case !runs && !errors.Is(err, compute.ErrUnsupported):
							t.Errorf("%s: %v: got %v, want ErrUnsupported", name, c, err)
						}
						if !runs {
							break
						}
					}
				}
			}
			computetest.InPlace(t, b)
			computetest.BadLaunches(t, b)
			b.Close()
			if _, err := b.Alloc(compute.Float32, 1); !errors.Is(err, compute.ErrReleased) {
				t.Errorf("%s: Alloc after Close = %v, want ErrReleased", name, err)
			}
		}
	}
}

func TestPeerFlag(t *testing.T) {
	for _, a := range compute.Available(compute.Options{}) {
		if (a.Name == "gonum" || a.Name == "openblas") && !a.Peer {
			t.Errorf("%s is not marked as a peer: \"all\" would run it", a.Name)
		}
	}
	if _, err := compute.Open("gonum", compute.Options{Workers: -1}); !errors.Is(err, compute.ErrUsage) {
		t.Errorf("Workers=-1: %v, want ErrUsage", err)
	}
	want := compute.KernelSetOf(compute.Gemm, compute.Gemv, compute.Saxpy, compute.Dot)
	if kernelSet() != want {
		t.Errorf("the peers run %v, want %v", kernelSet().List(), want.List())
	}
}
