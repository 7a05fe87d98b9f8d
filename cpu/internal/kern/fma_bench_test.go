package kern

import (
	"fmt"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// BenchmarkFMA measures one core's FMA throughput at each level: 4096
// elements (in L1) with 1024 steps each, so memory plays no part.
//
//	go test -run - -bench FMA ./cpu/internal/kern
func BenchmarkFMA(b *testing.B) {
	for _, set := range sets(b) {
		benchFMA(b, set.Level(), For[float32](set))
		benchFMA(b, set.Level(), For[float64](set))
	}
}

func benchFMA[T compute.Float](b *testing.B, l Level, tab *Table[T]) {
	const n, k = 4096, 1024
	b.Run(fmt.Sprintf("level=%s/dtype=%T", l, T(0)), func(b *testing.B) {
		x, d := make([]T, n), make([]T, n)
		for b.Loop() {
			tab.FMA(d, x, 0.5, 0.25, k)
		}
		b.ReportMetric(2*n*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}
