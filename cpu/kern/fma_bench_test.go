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
	const n, k = 4096, 1024
	for _, l := range Levels() {
		b.Run(fmt.Sprintf("level=%s/dtype=float32", l), func(b *testing.B) {
			defer SetLevel(l)()
			x, d := make([]float32, n), make([]float32, n)
			for b.Loop() {
				FMA32(d, x, 0.5, 0.25, k)
			}
			b.ReportMetric(2*n*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("level=%s/dtype=float64", l), func(b *testing.B) {
			defer SetLevel(l)()
			x, d := make([]float64, n), make([]float64, n)
			for b.Loop() {
				FMA64(d, x, 0.5, 0.25, k)
			}
			b.ReportMetric(2*n*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
