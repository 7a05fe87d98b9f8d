package blas

import (
	"gonum.org/v1/gonum/blas"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/gemm"
)

// Sgemm computes
//
//	C = alpha * op(A) * op(B) + beta * C
//
// where op(X) is X or Xᵀ as tA and tB say, op(A) is m×k, op(B) k×n and C
// m×n, all row-major, with gemm's BLIS loops on the Implementation's workers.
// See gonum's Sgemm for the arguments.
func (im Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	e := im.state()
	if !gemmOK(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc) || e.small(gemmSmall(m, n, k)) {
		im.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmOn(e, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm computes
//
//	C = alpha * op(A) * op(B) + beta * C
//
// where op(X) is X or Xᵀ as tA and tB say, op(A) is m×k, op(B) k×n and C
// m×n, all row-major, with gemm's BLIS loops on the Implementation's workers.
// See gonum's Dgemm for the arguments.
func (im Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	e := im.state()
	if !gemmOK(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc) || e.small(gemmSmall(m, n, k)) {
		im.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmOn(e, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmOK says whether gemm takes a call: a non-empty C and arguments
// gonum does not panic on. gonum's code runs the rest (an empty C is a
// quick return there), so that bad arguments panic with its messages.
func gemmOK(tA, tB blas.Transpose, m, n, k, la, lda, lb, ldb, lc, ldc int) bool {
	if !isTrans(tA) && tA != blas.NoTrans || !isTrans(tB) && tB != blas.NoTrans {
		return false
	}
	if m <= 0 || n <= 0 || k < 0 {
		return false
	}
	ra, ca := m, k // A as stored
	if isTrans(tA) {
		ra, ca = k, m
	}
	rb, cb := k, n // B as stored
	if isTrans(tB) {
		rb, cb = n, k
	}
	return fits(ra, ca, la, lda) && fits(rb, cb, lb, ldb) && fits(m, n, lc, ldc)
}

// fits says whether a slice of length l with row stride ld holds a
// rows×cols matrix as gonum requires: ld ≥ max(1, cols), and
// l ≥ (rows−1)·ld + cols even where cols is 0.
func fits(rows, cols, l, ld int) bool {
	return ld >= max(1, cols) && l >= (rows-1)*ld+cols
}

// isTrans says whether t transposes (for real matrices ConjTrans is
// Trans).
func isTrans(t blas.Transpose) bool { return t == blas.Trans || t == blas.ConjTrans }

// gemmOn runs a call gemmOK takes on e: nothing where C stays as it is
// (gonum's quick return), else gemm on e's workers.
func gemmOn[T compute.Float](e *state, tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if (alpha == 0 || k == 0) && beta == 1 {
		return
	}
	p := e.acquire()
	defer e.release(p)
	gemm.GemmTrans(e.Gemm(), &tablesOf[T](e).cache, p, isTrans(tA), isTrans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
