//go:build cgo

package gl

import (
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/ref"
)

// BenchmarkKernel times one launch and the wait for it (Run, then Sync)
// with the operands already on the device, named as the cpu and peer
// packages' benchmarks are (computetest.BenchName): a streaming kernel, a
// reduction, transpose and gemm, at sizes that take milliseconds on
// llvmpipe.
func BenchmarkKernel(b *testing.B) {
	be := openOrSkip(b)
	for _, p := range []compute.Problem{
		problem(compute.Saxpy, compute.Vec(1<<20), compute.Float32),
		problem(compute.Dot, compute.Vec(1<<20), compute.Float32),
		problem(compute.Transpose, compute.Mat(1024, 1024), compute.Float32),
		problem(compute.Gemm, compute.MNK(256, 256, 256), compute.Float32),
	} {
		b.Run(computetest.BenchName(p, "gl"), func(b *testing.B) {
			l, err := launchOf(be, p, ref.Inputs(p, 1))
			defer releaseAll(l)
			if err != nil {
				b.Fatal(err)
			}
			run := func() {
				if err := be.Run(l); err != nil {
					b.Fatal(err)
				}
				if err := be.Sync(); err != nil {
					b.Fatal(err)
				}
			}
			run() // compiles the program and learns its rate
			b.SetBytes(int64(p.Bytes()))
			b.ResetTimer()
			for range b.N {
				run()
			}
			if f := p.Flops(); f > 0 {
				b.ReportMetric(f*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			}
		})
	}
}
