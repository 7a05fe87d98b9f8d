package cpu

import (
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// FuzzKernels compares the backend with the reference on random kernels,
// shapes and values (computetest.Fuzz), on three workers so that shapes
// split into unequal chunks. The backend's minBytesPerWorker is lowered
// so that the small fuzzed shapes run the parallel paths too.
func FuzzKernels(f *testing.F) {
	b, err := registry.Open("cpu", compute.Options{Workers: 3})
	if err != nil {
		f.Fatal(err)
	}
	defer b.Close()
	b.(*Backend).split.minBytesPerWorker = 1 << 10
	computetest.Fuzz(f, b)
}
