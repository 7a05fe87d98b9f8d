package blas

import (
	"testing"

	"gonum.org/v1/gonum/blas/testblas"

	"github.com/gpubench/gpubench/cpu/blas/internal/testblas32"
)

// TestTestblas runs gonum's conformance tests (blas/testblas) of every
// routine Implementation replaces, at every level: gonum's own for the
// float64 routines, and for the float32 ones the same tests generated
// for float32 (internal/testblas32).
func TestTestblas(t *testing.T) {
	forEachLevel(t, func(t *testing.T, im Implementation) {
		for _, test := range []struct {
			name string
			run  func(*testing.T)
		}{
			{"Dgemm", func(t *testing.T) { testblas.TestDgemm(t, im) }},
			{"Dgemv", func(t *testing.T) { testblas.DgemvTest(t, im) }},
			{"Daxpy", func(t *testing.T) { testblas.DaxpyTest(t, im) }},
			{"Ddot", func(t *testing.T) { testblas.DdotTest(t, im) }},
			{"Dscal", func(t *testing.T) { testblas.DscalTest(t, im) }},
			{"Dnrm2", func(t *testing.T) { testblas.Dnrm2Test(t, im) }},
			{"Sgemm", func(t *testing.T) { testblas32.TestSgemm(t, im) }},
			{"Sgemv", func(t *testing.T) { testblas32.SgemvTest(t, im) }},
			{"Saxpy", func(t *testing.T) { testblas32.SaxpyTest(t, im) }},
			{"Sdot", func(t *testing.T) { testblas32.SdotTest(t, im) }},
			{"Sscal", func(t *testing.T) { testblas32.SscalTest(t, im) }},
			{"Snrm2", func(t *testing.T) { testblas32.Snrm2Test(t, im) }},
		} {
			t.Run(test.name, test.run)
		}
	})
}
