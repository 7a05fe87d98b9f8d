package gemm

import (
	"fmt"
	"testing"
)

func BenchmarkPack(b *testing.B) {
	const n, kc = 1024, 192
	src := make([]float32, n*n)
	dst := grow[float32](nil, n*kc+64*kc)
	b.Run(fmt.Sprint("A/", n), func(b *testing.B) {
		for b.Loop() {
			packA(dst, src, n, n, kc, 14)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*kc), "ns/elem")
	})
	b.Run(fmt.Sprint("B/", n), func(b *testing.B) {
		for b.Loop() {
			packB(dst, src, n, kc, n, 32)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*kc), "ns/elem")
	})
}
