package testblas32

import (
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
)

// TestGonum runs the generated tests on gonum's own float32 routines,
// which they are the float64 tests of, rewritten: they pass there.
func TestGonum(t *testing.T) {
	var impl gonum.Implementation
	TestSgemm(t, impl)
	SgemvTest(t, impl)
	SaxpyTest(t, impl)
	SdotTest(t, impl)
	SscalTest(t, impl)
	Snrm2Test(t, impl)
}
