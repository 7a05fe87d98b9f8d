package kern

import "testing"

// BenchmarkTransposeGeneric times the pure-Go tiled transpose, the path
// of every machine without AVX2 and of -tags noasm.
func BenchmarkTransposeGeneric(b *testing.B) {
	const m, n = 1024, 1000
	b.Run("dtype=float32", func(b *testing.B) {
		a, dst := make([]float32, m*n), make([]float32, m*n)
		b.SetBytes(2 * 4 * m * n)
		for b.Loop() {
			transposeGeneric(dst, m, a, n, m, n)
		}
	})
	b.Run("dtype=float64", func(b *testing.B) {
		a, dst := make([]float64, m*n), make([]float64, m*n)
		b.SetBytes(2 * 8 * m * n)
		for b.Loop() {
			transposeGeneric(dst, m, a, n, m, n)
		}
	})
}
