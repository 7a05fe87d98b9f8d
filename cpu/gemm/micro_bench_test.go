package gemm

import (
	"fmt"
	"testing"
)

// BenchmarkMicroKernel times each level's micro-kernel alone on panels
// that stay in L1 and L2: the ceiling of the whole gemm.
func BenchmarkMicroKernel(b *testing.B) {
	for _, l := range available {
		k := l.k32
		const kc = 256
		a := grow[float32](nil, kc*k.mr)
		bb := grow[float32](nil, kc*k.nr)
		c := grow[float32](nil, k.mr*k.nr)
		b.Run(fmt.Sprintf("%s/f32", l.name), func(b *testing.B) {
			for b.Loop() {
				k.fn(kc, a, bb, c, k.nr, 1, 1)
			}
			b.ReportMetric(2*float64(kc*k.mr*k.nr)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
