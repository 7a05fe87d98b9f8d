package gemm

import (
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// BenchmarkMicroKernel times each level's micro-kernel alone on panels
// that stay in L1 and L2: the ceiling of the whole gemm.
func BenchmarkMicroKernel(b *testing.B) {
	for _, name := range kern.Available() {
		l := levelOf(b, name)
		benchMicro(b, "level="+l.name+"/dtype=float32", l.k32)
		benchMicro(b, "level="+l.name+"/dtype=float64", l.k64)
	}
}

func benchMicro[T compute.Float](b *testing.B, name string, k *kernel[T]) {
	kc := k.blocks.kc
	a := grow[T](nil, kc*k.mr)
	bb := grow[T](nil, kc*k.nr)
	c := grow[T](nil, k.mr*k.nr)
	b.Run(name, func(b *testing.B) {
		cpu0 := cpuSeconds()
		for b.Loop() {
			k.fn(kc, a, bb, c, k.nr, 1, 1)
		}
		flops := 2 * float64(kc*k.mr*k.nr) * float64(b.N)
		b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		if cpu := cpuSeconds() - cpu0; cpu > 0 {
			b.ReportMetric(flops/cpu/1e9, "GFLOP/cpu-s")
		}
	})
}
