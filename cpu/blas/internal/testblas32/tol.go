// Package testblas32 is gonum's BLAS conformance tests
// (gonum.org/v1/gonum/blas/testblas) of the float64 routines cpu/blas
// replaces, generated for their float32 twins by cpu/_gen/testblas32:
// TestSgemm, SgemvTest, SaxpyTest, SdotTest, SscalTest, Snrm2Test. The
// test cases are gonum's float64 ones rounded to float32, and results
// are compared within sTolEqual's tolerance.
package testblas32

//go:generate go run -C ../../../_gen ./testblas32 -out ../blas/internal/testblas32

import "math"

// tol is the float32 tolerance of sTolEqual: testblas compares float64
// results within 1e-14 (relative above 1, absolute below), about 90
// units of float64's roundoff 2⁻⁵³; the same 90 units of float32's
// roundoff 2⁻²⁴ are 1e-14·2²⁹ ≈ 5.4e-6.
const tol = 1e-14 * (1 << 29)

// sTolEqual is testblas's dTolEqual for float32: a and b are both NaN,
// equal, or within tol, relative to the larger magnitude where it is
// above 1.
func sTolEqual(a, b float32) bool {
	x, y := float64(a), float64(b)
	if math.IsNaN(x) && math.IsNaN(y) || x == y {
		return true
	}
	if m := math.Max(math.Abs(x), math.Abs(y)); m > 1 {
		x /= m
		y /= m
	}
	return math.Abs(x-y) < tol
}
