//go:build amd64 && !noasm

package gemm

import (
	"math"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// asmLevel makes level l from its assembly, or returns nil where gemm
// has none for l: AVX-512 (F) with 32 zmm registers, AVX2 with FMA3.
// The caller has checked that the CPU runs l. Each asmPackA call names
// its assembly directly, so that the compiler sees which function gets
// the index array and keeps it on the stack.
func asmLevel(l kern.Level, cs Caches) *Level {
	switch l {
	case kern.AVX512:
		k32 := newKernel(cs, "avx512", 14, 32, asmMicro(14, 32, kernAVX512F32))
		k32.packA = asmPackA(14, packAAVX512F32, nil, k32.packA)
		k32.packB = asmPackB(32, packBAVX512F32, k32.packB)
		k64 := newKernel(cs, "avx512", 14, 16, asmMicro(14, 16, kernAVX512F64))
		k64.packA = asmPackA(14, packAAVX512F64, nil, k64.packA)
		k64.packB = asmPackB(16, packBAVX512F64, k64.packB)
		return newLevel(cs, l, k32, k64)
	case kern.AVX2:
		// The AVX2 packing's store masks: the first 6 float32 lanes, the
		// first 2 float64 lanes (of the second store: the first stores 4
		// whole). asmPackA copies them into each call's index array.
		mask32 := &[8]int32{-1, -1, -1, -1, -1, -1, 0, 0}
		mask64 := &[8]int32{-1, -1, -1, -1, 0, 0, 0, 0}
		k32 := newKernel(cs, "avx2", 6, 16, asmMicro(6, 16, kernAVX2F32))
		k32.packA = asmPackA(6, packAAVX2F32, mask32, k32.packA)
		k32.packB = asmPackB(16, packBAVX2F32, k32.packB)
		k64 := newKernel(cs, "avx2", 6, 8, asmMicro(6, 8, kernAVX2F64))
		k64.packA = asmPackA(6, packAAVX2F64, mask64, k64.packA)
		k64.packB = asmPackB(8, packBAVX2F64, k64.packB)
		return newLevel(cs, l, k32, k64)
	}
	return nil
}

// asmMicro wraps an mr×nr assembly micro-kernel: it cuts each operand to
// what the assembly touches, so that a short slice panics here rather
// than the kernel reading or writing past it, and tells the race
// detector what the kernel reads and writes.
func asmMicro[T compute.Float](mr, nr int, asm func(kc int, a, b, c []T, ldc int, alpha, beta T)) microKernel[T] {
	return func(kc int, a, b, c []T, ldc int, alpha, beta T) {
		a, b, c = a[:kc*mr], b[:kc*nr], c[:(mr-1)*ldc+nr]
		raceKernel(a, b, c, mr, nr, ldc, beta != 0)
		asm(kc, a, b, c, ldc, alpha, beta)
	}
}

// asmPackA packs whole mr-row panels of A with the assembly gathers,
// and the last, partial panel (or all of them, where i·lda overflows the
// gathers' int32 indices) with the generic code. The assembly takes the
// row offsets i·lda in idx[:mr] and, for AVX2, its store mask in
// idx[8:16].
func asmPackA[T compute.Float](mr int, asm func(dst, a []T, k int, idx *[16]int32), mask *[8]int32, generic func(dst, a []T, lda, m, k int)) func(dst, a []T, lda, m, k int) {
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

// asmPackB packs the whole nr-column panels of B with the assembly,
// row by row across all of them, and the last, partial panel with the
// generic code.
func asmPackB[T compute.Float](nr int, asm func(dst, b []T, ldb, k, panels int), generic func(dst, b []T, ldb, k, n int)) func(dst, b []T, ldb, k, n int) {
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
