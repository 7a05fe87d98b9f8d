package cpu

import (
	"fmt"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// TestCloseLeavesNoGoroutine: after a backend that ran every kernel on
// its parallel paths closes, with buffers still alive, the process has
// no goroutine that it started (the check goleak makes, without the
// dependency).
func TestCloseLeavesNoGoroutine(t *testing.T) {
	levels, err := registry.ResolveBackends([]string{"cpu/all"}, compute.Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := append([]string{"cpu"}, levels...)
	for _, name := range names {
		for _, w := range []int{1, 3, 64} {
			t.Run(fmt.Sprintf("%s/workers=%d", name, w), func(t *testing.T) {
				before := computetest.LiveGoroutines()
				b, err := registry.Open(name, compute.Options{Workers: w})
				if err != nil {
					t.Fatal(err)
				}
				if started := len(before.Started()); started < w-1 {
					t.Fatalf("%d workers started %d goroutines", w, started)
				}
				b.(*Backend).split.minBytesPerWorker = 1 << 10 // parallel sections at these small sizes
				for _, k := range compute.Kernels() {
					c := computetest.Cases(k, compute.Float32)
					if err := computetest.Check(b, c[len(c)/2], 1); err != nil {
						t.Errorf("%v: %v", c[len(c)/2], err)
					}
				}
				// A buffer left alive: Close must free it and still stop.
				if _, err := b.Alloc(compute.Float64, 1000); err != nil {
					t.Fatal(err)
				}
				if err := b.Close(); err != nil {
					t.Fatal(err)
				}
				if left := before.WaitExited(time.Second); len(left) > 0 {
					t.Fatalf("%d goroutines left after Close:\n%v", len(left), left)
				}
				if _, err := b.Alloc(compute.Float32, 1); err == nil {
					t.Errorf("Alloc after Close succeeded")
				}
			})
		}
	}
}
