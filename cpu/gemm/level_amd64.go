//go:build amd64 && !noasm

package gemm

import "github.com/klauspost/cpuid/v2"

// asmLevels returns the assembly levels this CPU and OS support, best
// first: AVX-512 (F) with 32 zmm registers, then AVX2 with FMA3.
func asmLevels() []level {
	var ls []level
	if cpuid.CPU.Supports(cpuid.AVX512F) {
		ls = append(ls, level{"avx512",
			newKernel("avx512", 14, 32, avx512F32),
			newKernel("avx512", 14, 16, avx512F64)})
	}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3) {
		ls = append(ls, level{"avx2",
			newKernel("avx2", 6, 16, avx2F32),
			newKernel("avx2", 6, 8, avx2F64)})
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
