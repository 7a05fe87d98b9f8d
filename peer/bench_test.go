package peer

import (
	"fmt"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// BenchmarkKernel runs the peers' kernels at an in-cache and an
// in-memory size, named as the cpu package's benchmarks are so benchstat
// can set them side by side:
//
//	go test -tags openblas -run - -bench Kernel -cpu 1,2 ./cpu/peer
func BenchmarkKernel(b *testing.B) {
	shapes := map[string][]compute.Shape{
		"saxpy": {compute.Vec(256 << 10), compute.Vec(16 << 20)},
		"dot":   {compute.Vec(256 << 10), compute.Vec(16 << 20)},
		"gemv":  {compute.Mat(256, 256), compute.Mat(4096, 4096)},
		"gemm":  {compute.GEMM(256, 256, 256), compute.GEMM(1024, 1024, 1024)},
	}
	for _, name := range peers() {
		for _, kn := range []string{"saxpy", "dot", "gemv", "gemm"} {
			k, _ := compute.LookupKernel(kn)
			for _, s := range shapes[kn] {
				for _, dt := range compute.DTypes {
					b.Run(fmt.Sprintf("%s/backend=%s/dtype=%v/size=%s", kn, name, dt, s.Format(k)), func(b *testing.B) {
						bench(b, name, k, s, dt)
					})
				}
			}
		}
	}
}

func bench(b *testing.B, name string, k *compute.Kernel, s compute.Shape, dt compute.DType) {
	be, err := compute.Open(name, compute.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer be.Close()
	var bufs []compute.Buffer
	for _, v := range ref.Inputs(k, s, dt, 1) {
		u, err := be.Alloc(dt, len(v))
		if err != nil {
			b.Fatal(err)
		}
		be.Upload(u, ref.Slice(v, dt))
		bufs = append(bufs, u)
	}
	out, err := be.Alloc(dt, k.OperandLen("out", s))
	if err != nil {
		b.Fatal(err)
	}
	l := compute.Launch{Kernel: k, Shape: s, DType: dt, Alpha: 1.5, Beta: 0.5, In: bufs, Out: out}
	if err := be.Run(l); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(k.Bytes(s, dt)))
	b.ReportAllocs()
	for b.Loop() {
		be.Run(l)
	}
	if f := k.Flops(s); f > 0 {
		b.ReportMetric(f*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	}
}
