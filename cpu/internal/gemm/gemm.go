// Package gemm computes the general matrix product C = α·A·B + β·C on the
// CPU, for float32 and float64, row-major, any m, n, k, at the SIMD
// level the caller passes (Level).
//
// It follows the BLIS loop structure (Van Zee and van de Geijn, "BLIS: A
// Framework for Rapidly Instantiating BLAS Functionality", TOMS 2015):
//
//	for jc over n in steps of nc          B block kc×nc lives in L3
//	  for pc over k in steps of kc        pack B[pc:pc+kc, jc:jc+nc]
//	    for ic over m in steps of mc      pack A[ic:ic+mc, pc:pc+kc] (L2)
//	      for jr over nc in steps of nr   B micro-panel kc×nr (L1)
//	        for ir over mc in steps of mr
//	          micro-kernel: C[mr×nr] = α·Apanel·Bpanel + β·C
//
// Packing puts each mr-row panel of A and each nr-column panel of B in
// contiguous, 64-byte aligned memory in the order the micro-kernel reads
// it, zero-padded to whole panels. The micro-kernel keeps the mr×nr
// block of C in registers for the whole kc loop. On amd64 it is
// generated assembly (AVX-512 or AVX2+FMA); elsewhere, and under
// -tags noasm, a pure-Go kernel. Tiles at the right and bottom edges
// of C run the same kernel into a scratch tile that is then merged, so
// odd sizes pay only O(mr·nr) extra per tile and kc step.
//
// Parallel calls split C into one rectangle per worker, aligned to the
// micro-tile, and each worker runs the loops above on its rectangle with
// its own packing buffers. Calls small enough that all of packed B fits
// in L2 (a few milliseconds of work or less) instead share out strips of
// C's rows through a counter, so that a worker the OS starts late, or
// puts on a busy vCPU, leaves its strips to the others rather than
// holding up the call. Buffers are kept between calls in the caller's
// Cache, so a call in steady state does not allocate.
package gemm

//go:generate go run -C ../../_gen ./gemm -out ../internal/gemm/gemm_amd64.s -stubs ../internal/gemm/stubs_amd64.go -pkg gemm

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// Gemm computes C = α·A·B + β·C for row-major matrices at level l: A is
// m×k with row stride lda, B is k×n with row stride ldb, C is m×n with
// row stride ldc, and
//
//	C[i*ldc+j] = α·Σ_p A[i*lda+p]·B[p*ldb+j] + β·C[i*ldc+j]
//
// accumulated in T (with fused multiply-adds in the SIMD kernels).
// k = 0 or α = 0 leaves C = β·C without reading A or B; β = 0 sets C
// without reading it, so NaN or Inf already in C does not propagate (as
// in BLAS). p runs the work on its workers; nil runs it on the calling
// goroutine. ca keeps the packing buffers between calls, so that calls
// in steady state do not allocate; nil uses new ones for this call.
// Gemm panics, with a "gemm: " prefix, on negative sizes, strides
// shorter than a row, or slices too short for the sizes.
func Gemm[T compute.Float](l *Level, ca *Cache[T], p *pool.Pool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	GemmTrans(l, ca, p, false, false, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// GemmTrans is Gemm with either operand stored transposed, as BLAS's
// op(A)·op(B): where transA is set, a holds Aᵀ (k×m, row stride lda), so
// that A's element (i, p) is a[p*lda+i]; where transB is set, b holds Bᵀ
// (n×k, row stride ldb), B's element (p, j) being b[j*ldb+p]. Packing
// reads a transposed operand in its stored order and writes the same
// panels as for the plain one, so no whole matrix is copied and the
// result has the same bits as the product of the transposes stored
// plainly.
func GemmTrans[T compute.Float](l *Level, ca *Cache[T], p *pool.Pool, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("gemm: negative size m=%d n=%d k=%d", m, n, k))
	}
	opA := operand[T]{data: a, ld: lda, trans: transA}
	opB := operand[T]{data: b, ld: ldb, trans: transB}
	opA.check("a", m, k)
	opB.check("b", k, n)
	operand[T]{data: c, ld: ldc}.check("c", m, n)
	if ca == nil {
		ca = new(Cache[T])
	}
	gemm(ca, kernelOf[T](l), l.stripBBytes, p, m, n, k, alpha, opA, opB, beta, c, ldc)
}

// operand is A or B of a product as stored: its element (i, j) is
// data[i*ld+j], or data[j*ld+i] where trans is set.
type operand[T compute.Float] struct {
	data  []T
	ld    int
	trans bool
}

// at is the operand from its element (i, j) on.
func (o operand[T]) at(i, j int) operand[T] {
	if o.trans {
		i, j = j, i
	}
	return operand[T]{data: o.data[i*o.ld+j:], ld: o.ld, trans: o.trans}
}

// check panics, with a "gemm: " prefix, unless o can hold a rows×cols
// operand: a row stride no shorter than a stored row (and at least 1),
// and a slice long enough for the last stored row.
func (o operand[T]) check(name string, rows, cols int) {
	if o.trans {
		rows, cols = cols, rows
	}
	if o.ld < max(1, cols) {
		panic(fmt.Sprintf("gemm: ld%s=%d < max(1, %d), a stored row of %s", name, o.ld, cols, name))
	}
	if rows > 0 && cols > 0 && len(o.data) < (rows-1)*o.ld+cols {
		panic(fmt.Sprintf("gemm: len(%s)=%d < %d, the %d×%d stored %s with row stride %d",
			name, len(o.data), (rows-1)*o.ld+cols, rows, cols, name, o.ld))
	}
}
