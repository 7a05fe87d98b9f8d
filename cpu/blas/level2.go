package blas

import (
	"gonum.org/v1/gonum/blas"

	"github.com/gpubench/gpubench/compute"
)

// Sgemv computes
//
//	y = alpha * A * x + beta * y   if tA is blas.NoTrans
//	y = alpha * Aᵀ * x + beta * y  otherwise
//
// for the m×n row-major matrix A, with the gemv and axpy kernels. See
// gonum's Sgemv for the arguments.
func (im Implementation) Sgemv(tA blas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	e := im.engine()
	if !gemvOK(tA, m, n, len(a), lda, len(x), incX, len(y), incY) || e.small(gemvSmall(tA, m, n)) {
		im.Implementation.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	gemv(tablesOf[float32](e), tA, m, n, alpha, a, lda, x, beta, y)
}

// Dgemv computes
//
//	y = alpha * A * x + beta * y   if tA is blas.NoTrans
//	y = alpha * Aᵀ * x + beta * y  otherwise
//
// for the m×n row-major matrix A, with the gemv and axpy kernels. See
// gonum's Dgemv for the arguments.
func (im Implementation) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	e := im.engine()
	if !gemvOK(tA, m, n, len(a), lda, len(x), incX, len(y), incY) || e.small(gemvSmall(tA, m, n)) {
		im.Implementation.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	gemv(tablesOf[float64](e), tA, m, n, alpha, a, lda, x, beta, y)
}

// gemvOK says whether gemv takes a call: a non-empty A, unit
// increments, and arguments gonum does not panic on.
func gemvOK(tA blas.Transpose, m, n, la, lda, lx, incX, ly, incY int) bool {
	if !isTrans(tA) && tA != blas.NoTrans || m <= 0 || n <= 0 {
		return false
	}
	lenX, lenY := n, m
	if isTrans(tA) {
		lenX, lenY = m, n
	}
	return unit(lenX, incX, lx) && unit(lenY, incY, ly) && fits(m, n, la, lda)
}

// gemvRows is how many rows of A·x gemv computes into its scratch at a
// time where β ≠ 0: 2 KiB of float64, a few cache lines of y beside.
const gemvRows = 256

// gemv runs a call gemvOK takes, as gonum orders it: nothing where
// α = 0 and β = 1; y = β·y where α = 0 (A and x unread); else the
// product, without reading y where β = 0.
func gemv[T compute.Float](t *tables[T], tA blas.Transpose, m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	k := t.kern
	if isTrans(tA) {
		x, y = x[:m], y[:n]
	} else {
		x, y = x[:n], y[:m]
	}
	switch {
	case alpha == 0 && beta == 1:
		return
	case alpha == 0:
		scal(k, beta, y)
	case isTrans(tA):
		// Aᵀ·x is the sum of A's rows weighted by x: one axpy per row
		// into y, after y = β·y.
		if beta != 1 {
			scal(k, beta, y)
		}
		for i, xi := range x {
			k.Axpy(y, alpha*xi, a[i*lda:i*lda+n], y)
		}
	case beta == 0:
		k.Gemv(y, a, lda, x)
		if alpha != 1 {
			k.Scale(y, alpha, y)
		}
	default:
		buf := t.scratch.Get().(*[gemvRows]T)
		for i0 := 0; i0 < m; i0 += gemvRows {
			rows := min(gemvRows, m-i0)
			ax, yi := buf[:rows], y[i0:i0+rows]
			k.Gemv(ax, a[i0*lda:], lda, x)
			if beta != 1 {
				k.Scale(yi, beta, yi)
			}
			k.Axpy(yi, alpha, ax, yi)
		}
		t.scratch.Put(buf)
	}
}

// newScratch makes gemv's scratch for the rows of A·x.
func newScratch[T compute.Float]() any { return new([gemvRows]T) }
