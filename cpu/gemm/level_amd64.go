//go:build amd64 && !noasm

package gemm

import (
	"math"

	"github.com/klauspost/cpuid/v2"
)

// asmLevels returns the assembly levels this CPU and OS support, best
// first: AVX-512 (F) with 32 zmm registers, then AVX2 with FMA3.
func asmLevels() []level {
	var ls []level
	if cpuid.CPU.Supports(cpuid.AVX512F) {
		k32 := newKernel("avx512", 14, 32, avx512F32)
		k32.packA = asmPackA(packAAVX512F32, k32.packA)
		k32.packB = asmPackB(32, packBAVX512F32, k32.packB)
		k64 := newKernel("avx512", 14, 16, avx512F64)
		k64.packA = asmPackA(packAAVX512F64, k64.packA)
		k64.packB = asmPackB(16, packBAVX512F64, k64.packB)
		ls = append(ls, level{"avx512", k32, k64})
	}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3) {
		k32 := newKernel("avx2", 6, 16, avx2F32)
		k32.packB = asmPackB(16, packBAVX2F32, k32.packB)
		k64 := newKernel("avx2", 6, 8, avx2F64)
		k64.packB = asmPackB(8, packBAVX2F64, k64.packB)
		ls = append(ls, level{"avx2", k32, k64})
	}
	return ls
}

// The wrappers below cut each operand to what the assembly touches, so
// that a short slice panics here rather than the kernel reading or writing
// past it, and tell the race detector what the kernel reads and writes.

func avx512F32(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
	a, b, c = a[:kc*14], b[:kc*32], c[:13*ldc+32]
	raceKernel(a, b, c, 14, 32, ldc, beta != 0)
	kernAVX512F32(kc, a, b, c, ldc, alpha, beta)
}

func avx512F64(kc int, a, b, c []float64, ldc int, alpha, beta float64) {
	a, b, c = a[:kc*14], b[:kc*16], c[:13*ldc+16]
	raceKernel(a, b, c, 14, 16, ldc, beta != 0)
	kernAVX512F64(kc, a, b, c, ldc, alpha, beta)
}

func avx2F32(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
	a, b, c = a[:kc*6], b[:kc*16], c[:5*ldc+16]
	raceKernel(a, b, c, 6, 16, ldc, beta != 0)
	kernAVX2F32(kc, a, b, c, ldc, alpha, beta)
}

func avx2F64(kc int, a, b, c []float64, ldc int, alpha, beta float64) {
	a, b, c = a[:kc*6], b[:kc*8], c[:5*ldc+8]
	raceKernel(a, b, c, 6, 8, ldc, beta != 0)
	kernAVX2F64(kc, a, b, c, ldc, alpha, beta)
}

// asmPackA packs whole 14-row panels of A with the assembly gather, and
// the last, partial panel (or all of them, where i·lda overflows the
// gather's int32 indices) with the generic code, generic.
func asmPackA[T float](asm func(dst, a []T, k int, idx *[16]int32), generic func(dst, a []T, lda, m, k int)) func(dst, a []T, lda, m, k int) {
	const mr = 14
	return func(dst, a []T, lda, m, k int) {
		if int64(mr-1)*int64(lda)+int64(k) > math.MaxInt32 {
			generic(dst, a, lda, m, k)
			return
		}
		var idx [16]int32
		for i := range mr {
			idx[i] = int32(i * lda)
		}
		i0 := 0
		for ; i0+mr <= m; i0 += mr {
			panel := dst[i0*k : (i0+mr)*k]
			src := a[i0*lda : i0*lda+(mr-1)*lda+k]
			for i := range mr {
				raceRead(src[i*lda : i*lda+k])
			}
			raceWrite(panel)
			asm(panel, src, k, &idx)
		}
		if i0 < m {
			generic(dst[i0*k:], a[i0*lda:], lda, m-i0, k)
		}
	}
}

// asmPackB packs whole nr-column panels of B with the assembly copy,
// and the last, partial panel with the generic code.
func asmPackB[T float](nr int, asm func(dst, b []T, ldb, k int), generic func(dst, b []T, ldb, k, n int)) func(dst, b []T, ldb, k, n int) {
	return func(dst, b []T, ldb, k, n int) {
		j0 := 0
		for ; j0+nr <= n; j0 += nr {
			panel := dst[j0*k : (j0+nr)*k]
			src := b[j0 : j0+(k-1)*ldb+nr]
			for p := range k {
				raceRead(src[p*ldb : p*ldb+nr])
			}
			raceWrite(panel)
			asm(panel, src, ldb, k)
		}
		if j0 < n {
			generic(dst[j0*k:], b[j0:], ldb, k, n-j0)
		}
	}
}
