package blas

import (
	"math"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// Saxpy computes y[i] += alpha * x[i] for i < n. See gonum's Saxpy.
func (im Implementation) Saxpy(n int, alpha float32, x []float32, incX int, y []float32, incY int) {
	e := im.state()
	if !unit(n, incX, len(x)) || !unit(n, incY, len(y)) || e.small(n < smallVector) {
		im.Implementation.Saxpy(n, alpha, x, incX, y, incY)
		return
	}
	axpy(tablesOf[float32](e).kern, alpha, x[:n], y[:n])
}

// Daxpy computes y[i] += alpha * x[i] for i < n. See gonum's Daxpy.
func (im Implementation) Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	e := im.state()
	if !unit(n, incX, len(x)) || !unit(n, incY, len(y)) || e.small(n < smallVector) {
		im.Implementation.Daxpy(n, alpha, x, incX, y, incY)
		return
	}
	axpy(tablesOf[float64](e).kern, alpha, x[:n], y[:n])
}

// Sdot computes Σ x[i]*y[i] for i < n in float32, pairwise in runs of
// kern.Leaf terms. See gonum's Sdot.
func (im Implementation) Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	e := im.state()
	if !unit(n, incX, len(x)) || !unit(n, incY, len(y)) || e.small(n < smallVector) {
		return im.Implementation.Sdot(n, x, incX, y, incY)
	}
	return tablesOf[float32](e).kern.Dot(x[:n], y[:n])
}

// Ddot computes Σ x[i]*y[i] for i < n, pairwise in runs of kern.Leaf
// terms. See gonum's Ddot.
func (im Implementation) Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	e := im.state()
	if !unit(n, incX, len(x)) || !unit(n, incY, len(y)) || e.small(n < smallVector) {
		return im.Implementation.Ddot(n, x, incX, y, incY)
	}
	return tablesOf[float64](e).kern.Dot(x[:n], y[:n])
}

// Sscal computes x[i] *= alpha for i < n, and x[i] = 0 where alpha is 0
// (NaN and Inf included, as gonum). See gonum's Sscal.
func (im Implementation) Sscal(n int, alpha float32, x []float32, incX int) {
	e := im.state()
	if !unit(n, incX, len(x)) || e.small(n < smallVector) {
		im.Implementation.Sscal(n, alpha, x, incX)
		return
	}
	scal(tablesOf[float32](e).kern, alpha, x[:n])
}

// Dscal computes x[i] *= alpha for i < n, and x[i] = 0 where alpha is 0
// (NaN and Inf included, as gonum). See gonum's Dscal.
func (im Implementation) Dscal(n int, alpha float64, x []float64, incX int) {
	e := im.state()
	if !unit(n, incX, len(x)) || e.small(n < smallVector) {
		im.Implementation.Dscal(n, alpha, x, incX)
		return
	}
	scal(tablesOf[float64](e).kern, alpha, x[:n])
}

// Snrm2 computes the Euclidean norm √(Σ x[i]²) for i < n: as the root
// of a dot product where no square overflows or underflows enough to
// matter, else with gonum's scaled sum. See gonum's Snrm2.
func (im Implementation) Snrm2(n int, x []float32, incX int) float32 {
	if e := im.state(); n >= 2 && unit(n, incX, len(x)) && !e.small(n < smallNorm) {
		if s, ok := sumSquares(tablesOf[float32](e).kern, x[:n]); ok {
			return float32(math.Sqrt(float64(s)))
		}
	}
	return im.Implementation.Snrm2(n, x, incX)
}

// Dnrm2 computes the Euclidean norm √(Σ x[i]²) for i < n: as the root
// of a dot product where no square overflows or underflows enough to
// matter, else with gonum's scaled sum. See gonum's Dnrm2.
func (im Implementation) Dnrm2(n int, x []float64, incX int) float64 {
	if e := im.state(); n >= 2 && unit(n, incX, len(x)) && !e.small(n < smallNorm) {
		if s, ok := sumSquares(tablesOf[float64](e).kern, x[:n]); ok {
			return math.Sqrt(s)
		}
	}
	return im.Implementation.Dnrm2(n, x, incX)
}

// unit says whether a level-1 routine takes a vector of n ≥ 1 elements
// with increment inc in a slice of length l: unit increments only, and
// only what gonum does not panic on.
func unit(n, inc, l int) bool { return n > 0 && inc == 1 && l >= n }

// axpy computes y += alpha·x, nothing where alpha is 0 (gonum's quick
// return, which leaves NaN in x unread).
func axpy[T compute.Float](t *kern.Table[T], alpha T, x, y []T) {
	if alpha == 0 {
		return
	}
	t.Axpy(y, alpha, x, y)
}

// scal computes x *= alpha, and clears x where alpha is 0.
func scal[T compute.Float](t *kern.Table[T], alpha T, x []T) {
	if alpha == 0 {
		clear(x)
		return
	}
	t.Scale(x, alpha, x)
}

// sumSquares is Σ x[i]² with the dot kernel, and whether it is the norm's
// square to within T's rounding: finite (no square overflowed) and at
// least len(x)·minSquares (a square that underflows loses at most the
// smallest subnormal, so all of them together at most u of the sum).
// NaN fails the test and goes to gonum, which returns NaN.
func sumSquares[T compute.Float](t *kern.Table[T], x []T) (T, bool) {
	s := t.Dot(x, x)
	return s, s >= T(len(x))*minSquares[T]() && !math.IsInf(float64(s), 1)
}

// minSquares is the smallest subnormal over the unit roundoff:
// 2⁻¹⁰⁷⁴/2⁻⁵³ = 2⁻¹⁰²¹ for float64, 2⁻¹⁴⁹/2⁻²⁴ = 2⁻¹²⁵ for float32.
func minSquares[T compute.Float]() T {
	if compute.DTypeOf[T]() == compute.Float32 {
		return 0x1p-125
	}
	return T(0x1p-1021)
}
