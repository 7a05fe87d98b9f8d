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
	check(m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if ca == nil {
		ca = new(Cache[T])
	}
	gemm(ca, kernelOf[T](l), l.stripBBytes, p, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// check panics on programmer errors: sizes, strides, slice lengths.
func check(m, n, k, la, lda, lb, ldb, lc, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("gemm: negative size m=%d n=%d k=%d", m, n, k))
	}
	if lda < max(1, k) {
		panic(fmt.Sprintf("gemm: lda=%d < max(1, k=%d)", lda, k))
	}
	if ldb < max(1, n) {
		panic(fmt.Sprintf("gemm: ldb=%d < max(1, n=%d)", ldb, n))
	}
	if ldc < max(1, n) {
		panic(fmt.Sprintf("gemm: ldc=%d < max(1, n=%d)", ldc, n))
	}
	if m > 0 && k > 0 && la < (m-1)*lda+k {
		panic(fmt.Sprintf("gemm: len(a)=%d < (m-1)*lda+k = %d", la, (m-1)*lda+k))
	}
	if k > 0 && n > 0 && lb < (k-1)*ldb+n {
		panic(fmt.Sprintf("gemm: len(b)=%d < (k-1)*ldb+n = %d", lb, (k-1)*ldb+n))
	}
	if m > 0 && n > 0 && lc < (m-1)*ldc+n {
		panic(fmt.Sprintf("gemm: len(c)=%d < (m-1)*ldc+n = %d", lc, (m-1)*ldc+n))
	}
}
