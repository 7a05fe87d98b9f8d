package cpu

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// TestCloseLeavesNoGoroutine: after a backend that ran every kernel on
// its parallel paths closes, with buffers still alive, the process has
// no more goroutines than before it opened (the check goleak makes,
// without the dependency: the pool is the only thing that starts any).
func TestCloseLeavesNoGoroutine(t *testing.T) {
	defer func(v int) { minBytesPerWorker = v }(minBytesPerWorker)
	minBytesPerWorker = 1 << 10 // parallel sections at these small sizes
	names := []string{"cpu"}
	for _, a := range compute.Available() {
		if strings.HasPrefix(a.Name, "cpu/") && a.Available {
			names = append(names, a.Name)
		}
	}
	for _, name := range names {
		for _, w := range []int{1, 3, 64} {
			t.Run(fmt.Sprintf("%s/workers=%d", name, w), func(t *testing.T) {
				before := runtime.NumGoroutine()
				b, err := compute.Open(name, compute.Options{Workers: w})
				if err != nil {
					t.Fatal(err)
				}
				if w > 1 && runtime.NumGoroutine() < before+w-1 {
					t.Fatalf("%d workers started %d goroutines", w, runtime.NumGoroutine()-before)
				}
				for _, k := range compute.Kernels() {
					c := computetest.Cases(k)
					if err := computetest.Check(b, c[len(c)/2], compute.Float32, 1); err != nil {
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
				waitGoroutines(t, before)
				if _, err := b.Alloc(compute.Float32, 1); err == nil {
					t.Errorf("Alloc after Close succeeded")
				}
			})
		}
	}
}

// waitGoroutines waits up to a second for the goroutine count to fall to
// want (an exited goroutine leaves the count a moment after), and fails
// with the stacks of the goroutines left over if it does not.
func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines after Close, %d before Open:\n%s", runtime.NumGoroutine(), want, buf)
		}
		time.Sleep(time.Millisecond)
	}
}
