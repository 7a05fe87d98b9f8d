package gemm

import (
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// BenchmarkPack times packing a 1024×kc block of A and a kc×1024 block
// of B out of 1024×1024 matrices, stored plainly and transposed (At,
// Bt), per level, in ns per element:
// BenchmarkPack/level=<level>/dtype=<dtype>/op=<A|B|At|Bt>.
func BenchmarkPack(b *testing.B) {
	for _, l := range kern.Available() {
		benchPack(b, "level="+string(l)+"/dtype=float32", levelOf(b, l).k32)
		benchPack(b, "level="+string(l)+"/dtype=float64", levelOf(b, l).k64)
	}
}

func benchPack[T compute.Float](b *testing.B, name string, k *kernel[T]) {
	const n = 1024
	kc := k.blocks.kc
	src := make([]T, n*n)
	dst := grow[T](nil, (n+k.mr+k.nr)*kc)
	b.Run(name+"/op=A", func(b *testing.B) {
		for b.Loop() {
			k.packA(dst, src, n, n, kc)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*kc), "ns/elem")
	})
	b.Run(name+"/op=B", func(b *testing.B) {
		for b.Loop() {
			k.packB(dst, src, n, kc, n)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*kc), "ns/elem")
	})
	b.Run(name+"/op=At", func(b *testing.B) {
		for b.Loop() {
			k.packOpA(dst, operand[T]{data: src, ld: n, trans: true}, n, kc)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*kc), "ns/elem")
	})
	b.Run(name+"/op=Bt", func(b *testing.B) {
		for b.Loop() {
			k.packOpB(dst, operand[T]{data: src, ld: n, trans: true}, kc, n)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*kc), "ns/elem")
	})
}
