package blas

import (
	"gonum.org/v1/gonum/blas"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// Sgemv computes
//
//	y = alpha * A * x + beta * y   if tA is blas.NoTrans
//	y = alpha * Aᵀ * x + beta * y  otherwise
//
// for the m×n row-major matrix A, with the gemv and axpy kernels. See
// gonum's Sgemv for the arguments.
func (im Implementation) Sgemv(tA blas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	e := im.state()
	if !gemvOK(tA, m, n, len(a), lda, len(x), incX, len(y), incY) || e.small(gemvSmall(tA, m, n)) {
		im.Implementation.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	gemv(e, tA, m, n, alpha, a, lda, x, beta, y)
}

// Dgemv computes
//
//	y = alpha * A * x + beta * y   if tA is blas.NoTrans
//	y = alpha * Aᵀ * x + beta * y  otherwise
//
// for the m×n row-major matrix A, with the gemv and axpy kernels. See
// gonum's Dgemv for the arguments.
func (im Implementation) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	e := im.state()
	if !gemvOK(tA, m, n, len(a), lda, len(x), incX, len(y), incY) || e.small(gemvSmall(tA, m, n)) {
		im.Implementation.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	gemv(e, tA, m, n, alpha, a, lda, x, beta, y)
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

// minGemvBytes is the least of A a gemv worker is given: below twice
// it gemv runs on its caller's goroutine alone. It is the cpu backend's
// cut-off for streaming kernels (the least traffic per worker from which
// every kernel measured gained from a second worker); A is nearly all of
// gemv's traffic.
// Measurements: docs/methodology.md#why-these-constants.
const minGemvBytes = 256 << 10

// gemv runs a call gemvOK takes, as gonum orders it: nothing where
// α = 0 and β = 1; y = β·y where α = 0 (A and x unread); else the
// product, without reading y where β = 0. An A of more than
// 2·minGemvBytes is shared out among e's workers by elements of y, rows
// of A (A·x) or columns (Aᵀ·x), on boundaries of whole cache lines of y
// (and so of whole groups of four rows, as kern's gemv takes them): the
// result has the bits of one worker's.
func gemv[T compute.Float](e *state, tA blas.Transpose, m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	t := tablesOf[T](e)
	if isTrans(tA) {
		x, y = x[:m], y[:n]
	} else {
		x, y = x[:n], y[:m]
	}
	switch {
	case alpha == 0 && beta == 1:
		return
	case alpha == 0:
		scal(t.kern, beta, y)
		return
	}
	part := func(lo, hi int) {
		if isTrans(tA) {
			gemvT(t.kern, lo, hi, alpha, a, lda, x, beta, y)
		} else {
			gemvN(t, lo, hi, alpha, a, lda, x, beta, y)
		}
	}
	size := compute.DTypeOf[T]().Size()
	parts := min(e.workers, int(int64(m)*int64(n)*int64(size)/minGemvBytes))
	if parts > 1 {
		if p := e.acquire(); p != nil {
			defer e.release(p)
			p.Run(func(w int) {
				if w < parts {
					if lo, hi := pool.Chunk(len(y), parts, 64/size, w); lo < hi {
						part(lo, hi)
					}
				}
			})
			return
		}
	}
	part(0, len(y))
}

// gemvN computes y[lo:hi] = α·A[lo:hi]·x + β·y[lo:hi], not reading y
// where β = 0.
func gemvN[T compute.Float](t *tables[T], lo, hi int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	k := t.kern
	if beta == 0 {
		y = y[lo:hi]
		k.Gemv(y, a[lo*lda:], lda, x)
		if alpha != 1 {
			k.Scale(y, alpha, y)
		}
		return
	}
	buf := t.scratch.Get().(*[gemvRows]T)
	for i0 := lo; i0 < hi; i0 += gemvRows {
		rows := min(gemvRows, hi-i0)
		ax, yi := buf[:rows], y[i0:i0+rows]
		k.Gemv(ax, a[i0*lda:], lda, x)
		if beta != 1 {
			k.Scale(yi, beta, yi)
		}
		k.Axpy(yi, alpha, ax, yi)
	}
	t.scratch.Put(buf)
}

// gemvT computes y[lo:hi] = α·(Aᵀ·x)[lo:hi] + β·y[lo:hi]: Aᵀ·x is the
// sum of A's rows weighted by x, so one axpy per row, columns lo to hi,
// after y = β·y (cleared, not read, where β = 0).
func gemvT[T compute.Float](k *kern.Table[T], lo, hi int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	y = y[lo:hi]
	if beta != 1 {
		scal(k, beta, y)
	}
	for i, xi := range x {
		k.Axpy(y, alpha*xi, a[i*lda+lo:i*lda+hi], y)
	}
}

// newScratch makes gemv's scratch for the rows of A·x.
func newScratch[T compute.Float]() any { return new([gemvRows]T) }
