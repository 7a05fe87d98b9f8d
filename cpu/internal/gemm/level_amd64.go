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
		k32.packA = asmPackA(14, packAAVX512F32, nil, k32.packA)
		k32.packB = asmPackB(32, packBAVX512F32, k32.packB)
		k64 := newKernel("avx512", 14, 16, avx512F64)
		k64.packA = asmPackA(14, packAAVX512F64, nil, k64.packA)
		k64.packB = asmPackB(16, packBAVX512F64, k64.packB)
		ls = append(ls, level{"avx512", k32, k64})
	}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3) {
		k32 := newKernel("avx2", 6, 16, avx2F32)
		k32.packA = asmPackA(6, packAAVX2F32, mask32, k32.packA)
		k32.packB = asmPackB(16, packBAVX2F32, k32.packB)
		k64 := newKernel("avx2", 6, 8, avx2F64)
		k64.packA = asmPackA(6, packAAVX2F64, mask64, k64.packA)
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

// asmPackA packs whole mr-row panels of A with the assembly gathers,
// and the last, partial panel (or all of them, where i·lda overflows the
// gathers' int32 indices) with the generic code. The assembly takes the
// row offsets i·lda in idx[:mr] and, for AVX2, its store mask in
// idx[8:16].
func asmPackA[T float](mr int, asm func(dst, a []T, k int, idx *[16]int32), mask *[8]int32, generic func(dst, a []T, lda, m, k int)) func(dst, a []T, lda, m, k int) {
	return func(dst, a []T, lda, m, k int) {
		if int64(mr-1)*int64(lda)+int64(k) > math.MaxInt32 {
			generic(dst, a, lda, m, k)
			return
		}
		var idx [16]int32
		for i := range mr {
			idx[i] = int32(i * lda)
		}
		if mask != nil {
			copy(idx[8:], mask[:])
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

// The AVX2 packing's store masks: the first 6 float32 lanes, the first 2
// float64 lanes (of the second store: the first stores 4 whole).
var (
	mask32 = &[8]int32{-1, -1, -1, -1, -1, -1, 0, 0}
	mask64 = &[8]int32{-1, -1, -1, -1, 0, 0, 0, 0}
)

// asmPackB packs the whole nr-column panels of B with the assembly,
// row by row across all of them, and the last, partial panel with the
// generic code.
func asmPackB[T float](nr int, asm func(dst, b []T, ldb, k, panels int), generic func(dst, b []T, ldb, k, n int)) func(dst, b []T, ldb, k, n int) {
	return func(dst, b []T, ldb, k, n int) {
		panels := n / nr
		if panels > 0 {
			w := panels * nr
			out := dst[:w*k]
			src := b[:(k-1)*ldb+w]
			for p := range k {
				raceRead(src[p*ldb : p*ldb+w])
			}
			raceWrite(out)
			asm(out, src, ldb, k, panels)
		}
		if j0 := panels * nr; j0 < n {
			generic(dst[j0*k:], b[j0:], ldb, k, n-j0)
		}
	}
}
