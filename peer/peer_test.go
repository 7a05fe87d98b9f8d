package peer

import (
	"errors"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// peers lists the peer backends built into this test binary: gonum and
// gonum+gpubench always, openblas with -tags openblas.
func peers() []string {
	var out []string
	for _, a := range registry.Available(compute.Options{}) {
		if isPeer(a.Name) {
			out = append(out, a.Name)
		}
	}
	return out
}

// isPeer says whether Factories holds the backend called name.
func isPeer(name string) bool {
	return name == "gonum" || name == "gonum+gpubench" || name == "openblas"
}

// TestConformance checks the kernels a peer runs against the reference,
// and that it refuses the others with ErrUnsupported.
func TestConformance(t *testing.T) {
	for _, name := range peers() {
		for _, workers := range []int{0, 1, 2} {
			b, err := registry.Open(name, compute.Options{Workers: workers})
			if err != nil {
				t.Fatalf("Open(%s, workers %d): %v", name, workers, err)
			}
			d := b.Device()
			t.Logf("%s workers=%d: level %s, %d threads, %v", name, workers, d.Level, d.Workers, d.Notes)
			if d.Backend != name || d.SumLeaf != 0 || (workers > 0 && d.Workers != workers) {
				t.Errorf("%s: Device() = %+v", name, d)
			}
			for _, k := range compute.Kernels() {
				runs := registry.Runs(name, k)
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
	for _, a := range registry.Available(compute.Options{}) {
		if isPeer(a.Name) && !a.Peer {
			t.Errorf("%s is not marked as a peer: \"all\" would run it", a.Name)
		}
	}
	for _, name := range peers() {
		if _, err := registry.Open(name, compute.Options{Workers: -1}); !errors.Is(err, compute.ErrUsage) {
			t.Errorf("%s with Workers=-1: %v, want ErrUsage", name, err)
		}
	}
	want := compute.KernelSetOf(compute.Gemm, compute.Gemv, compute.Saxpy, compute.Dot)
	if kernelSet() != want {
		t.Errorf("the peers run %v, want %v", kernelSet().List(), want.List())
	}
}

// TestGpubench: gonum+gpubench runs cpu/blas at the level the cpu
// backend opens at under --cpu-disable, on the workers asked for, which
// Close stops.
func TestGpubench(t *testing.T) {
	for _, o := range []compute.Options{{Workers: 3}, {Workers: 3, Disable: []string{"avx512", "avx2"}}} {
		cpuBackend, err := registry.Open("cpu", o)
		if err != nil {
			t.Fatal(err)
		}
		want := cpuBackend.Device().Level
		cpuBackend.Close()

		before := computetest.LiveGoroutines()
		b, err := registry.Open("gonum+gpubench", o)
		if err != nil {
			t.Fatal(err)
		}
		if d := b.Device(); d.Level != want || d.Workers != 3 {
			t.Errorf("disabling %v: gonum+gpubench at level %s on %d workers, want %s on 3", o.Disable, d.Level, d.Workers, want)
		}
		// A gemm large enough to start the workers.
		c := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(200, 200, 200), DType: compute.Float64, Alpha: 1.5, Beta: -0.75}
		if err := computetest.Check(b, c, 1); err != nil {
			t.Error(err)
		}
		if started := len(before.Started()); started < 2 {
			t.Errorf("a 200³ gemm on 3 workers started %d goroutines, want 2", started)
		}
		b.Close()
		if left := before.WaitExited(time.Second); len(left) > 0 {
			t.Fatalf("%d goroutines left after Close:\n%v", len(left), left)
		}
	}
}
