// Package gemm computes the general matrix product C = α·A·B + β·C on the
// CPU, for float32 and float64, row-major, any m, n, k.
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
// holding up the call. Buffers are kept between calls, so a call in
// steady state does not allocate.
package gemm

//go:generate go run -C ../../_gen ./gemm -out ../internal/gemm/gemm_amd64.s -stubs ../internal/gemm/stubs_amd64.go -pkg gemm

import (
	"fmt"

	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// Gemm32 computes C = α·A·B + β·C for float32 row-major matrices: A is
// m×k with row stride lda, B is k×n with row stride ldb, C is m×n with row
// stride ldc, and
//
//	C[i*ldc+j] = α·Σ_p A[i*lda+p]·B[p*ldb+j] + β·C[i*ldc+j]
//
// accumulated in float32 (with fused multiply-adds in the SIMD kernels).
// k = 0 or α = 0 leaves C = β·C without reading A or B; β = 0 sets C
// without reading it, so NaN or Inf already in C does not propagate (as
// in BLAS). p runs the work on its workers; nil runs it on the calling
// goroutine. Gemm32 panics, with
// a "gemm: " prefix, on negative sizes, strides shorter than a row, or
// slices too short for the sizes.
func Gemm32(p *pool.Pool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	check(m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	gemm(&cache32, kernel32(), p, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Gemm64 is Gemm32 for float64:
//
//	C[i*ldc+j] = α·Σ_p A[i*lda+p]·B[p*ldb+j] + β·C[i*ldc+j]
func Gemm64(p *pool.Pool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	check(m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	gemm(&cache64, kernel64(), p, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
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
