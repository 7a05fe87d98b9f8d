package cpu

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/ref"
)

// BenchmarkKernel runs each kernel of the catalogue through Run at sizes
// in L1, in L2 and in memory, on GOMAXPROCS workers: compare worker
// counts with -cpu 1,2. Names are key=value so benchstat can project:
//
//	go test -run - -bench Kernel -cpu 1,2 -count 6 ./cpu | benchstat -col /dtype -
func BenchmarkKernel(b *testing.B) {
	vec := []int{4 << 10, 256 << 10, 16 << 20}
	mat := [][2]int{{64, 64}, {256, 256}, {4096, 4096}}
	gemm := []int{64, 256, 1024}
	for _, k := range compute.Kernels() {
		var shapes []compute.Shape
		switch k.Form {
		case compute.VectorForm:
			for _, n := range vec {
				shapes = append(shapes, compute.Vec(n))
			}
		case compute.MatrixForm:
			for _, d := range mat {
				shapes = append(shapes, compute.Mat(d[0], d[1]))
			}
		case compute.GEMMForm:
			for _, n := range gemm {
				shapes = append(shapes, compute.GEMM(n, n, n))
			}
		case compute.ChainForm:
			for _, steps := range []int{1, 64, 1024} {
				shapes = append(shapes, compute.Chain(64<<10, steps))
			}
		}
		for _, s := range shapes {
			for _, dt := range compute.DTypes {
				name := fmt.Sprintf("%s/dtype=%v/size=%s", k.Name, dt, s.Format(k))
				b.Run(name, func(b *testing.B) { benchLaunch(b, k, s, dt) })
			}
		}
	}
}

func benchLaunch(b *testing.B, k *compute.Kernel, s compute.Shape, dt compute.DType) {
	be, err := Open("cpu", kern.Current(), compute.Options{Workers: runtime.GOMAXPROCS(0)})
	if err != nil {
		b.Fatal(err)
	}
	defer be.Close()
	in := ref.Inputs(k, s, dt, 1)
	var bufs []compute.Buffer
	for _, v := range in {
		u := mustAlloc(b, be, dt, len(v))
		if err := be.Upload(u, ref.Slice(v, dt)); err != nil {
			b.Fatal(err)
		}
		bufs = append(bufs, u)
	}
	out := mustAlloc(b, be, dt, k.OperandLen("out", s))
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

// BenchmarkCutoff times a kernel at sizes around the serial cut-off on
// the serial path and on every worker, to choose minBytesPerWorker:
//
//	go test -run - -bench Cutoff -benchtime 200ms ./cpu
//
// The cut-off is the traffic from which path=parallel beats path=serial.
func BenchmarkCutoff(b *testing.B) {
	for _, kn := range []string{"copy", "saxpy", "dot"} {
		k, _ := compute.LookupKernel(kn)
		for _, kib := range []int{4, 16, 64, 256, 512, 1024, 2048, 4096, 16384} {
			elems := kib << 10 / 4 / 3
			if kn != "saxpy" {
				elems = kib << 10 / 4 / 2
			}
			s := compute.Vec(elems)
			for _, path := range []string{"serial", "parallel"} {
				b.Run(fmt.Sprintf("%s/traffic=%dKiB/path=%s", kn, kib, path), func(b *testing.B) {
					old := minBytesPerWorker
					defer func() { minBytesPerWorker = old }()
					minBytesPerWorker = math.MaxInt
					if path == "parallel" {
						minBytesPerWorker = 1
					}
					benchLaunch(b, k, s, compute.Float32)
				})
			}
		}
	}
}
