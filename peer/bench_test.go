package peer

import (
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/ref"
)

// BenchmarkKernel runs the peers' kernels at an in-cache and an
// in-memory size, named as the cpu package's benchmarks are
// (computetest.BenchName) so that benchstat sets them side by side:
//
//	go test -tags openblas -run - -bench Kernel ./cpu ./peer | benchstat -ignore pkg -col /backend -
func BenchmarkKernel(b *testing.B) {
	shapes := map[compute.Kernel][]compute.Shape{
		compute.Saxpy: {compute.Vec(256 << 10), compute.Vec(16 << 20)},
		compute.Dot:   {compute.Vec(256 << 10), compute.Vec(16 << 20)},
		compute.Gemv:  {compute.Mat(256, 256), compute.Mat(4096, 4096)},
		compute.Gemm:  {compute.MNK(256, 256, 256), compute.MNK(1024, 1024, 1024)},
	}
	for _, name := range peers() {
		for _, k := range kernelSet().List() {
			for _, s := range shapes[k] {
				for _, dt := range compute.DTypes() {
					p := compute.Problem{Kernel: k, Shape: s, DType: dt, Alpha: 1.5, Beta: 0.5}
					b.Run(computetest.BenchName(p, name), func(b *testing.B) {
						bench(b, name, p)
					})
				}
			}
		}
	}
}

func bench(b *testing.B, name string, p compute.Problem) {
	be, err := registry.Open(name, compute.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer be.Close()
	var bufs []compute.Buffer
	for _, v := range ref.Inputs(p, 1) {
		u, err := be.Alloc(p.DType, len(v))
		if err != nil {
			b.Fatal(err)
		}
		be.Upload(u, compute.HostFrom(v, p.DType))
		bufs = append(bufs, u)
	}
	l := compute.Launch{Problem: p, In: bufs}
	if i := p.Kernel.InPlaceIndex(); i >= 0 {
		l.Out = bufs[i]
	} else if l.Out, err = be.Alloc(p.DType, p.OutLen()); err != nil {
		b.Fatal(err)
	}
	if err := be.Run(l); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(p.Bytes()))
	b.ReportAllocs()
	for b.Loop() {
		be.Run(l)
	}
	if f := p.Flops(); f > 0 {
		b.ReportMetric(f*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	}
}
