package kern

import (
	"fmt"
	"testing"
)

// BenchmarkFMA measures one core's FMA throughput at each level: 4096
// elements (in L1) with 1024 steps each, so memory plays no part.
//
//	go test -run - -bench FMA ./cpu/kern
func BenchmarkFMA(b *testing.B) {
	for _, l := range Levels() {
		benchFMA(b, l, FMA32)
		benchFMA(b, l, FMA64)
	}
}

func benchFMA[T float](b *testing.B, l Level, fma func(dst, x []T, mul, add T, k int)) {
	const n, k = 4096, 1024
	b.Run(fmt.Sprintf("level=%s/dtype=%T", l, T(0)), func(b *testing.B) {
		defer SetLevel(l)()
		x, d := make([]T, n), make([]T, n)
		for b.Loop() {
			fma(d, x, 0.5, 0.25, k)
		}
		b.ReportMetric(2*n*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}
