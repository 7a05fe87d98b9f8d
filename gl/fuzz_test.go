//go:build cgo

package gl

import (
	"testing"

	"github.com/gpubench/gpubench/compute/computetest"
)

// FuzzKernels compares the gl backend with the reference on random
// kernels, shapes and values (computetest.Fuzz).
func FuzzKernels(f *testing.F) {
	computetest.Fuzz(f, openOrSkip(f))
}
