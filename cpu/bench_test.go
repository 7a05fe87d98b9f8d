package cpu

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/ref"
)

// BenchmarkKernel runs each kernel of the catalogue through Run at sizes
// in L1, in L2 and in memory, on GOMAXPROCS workers: compare worker
// counts with -cpu 1,2. Names are key=value (computetest.BenchName), as
// the gl and peer packages' are, so that benchstat can project:
//
//	go test -run - -bench Kernel -cpu 1,2 -count 6 ./cpu | benchstat -col /dtype -
func BenchmarkKernel(b *testing.B) {
	vec := []int{4 << 10, 256 << 10, 16 << 20}
	mat := [][2]int{{64, 64}, {256, 256}, {4096, 4096}}
	gemm := []int{64, 256, 1024}
	for _, k := range compute.Kernels() {
		var chains []compute.Shape
		for _, steps := range []int{1, 64, 1024} {
			chains = append(chains, compute.Chain(64<<10, steps))
		}
		shapes := shapesOf(k, vec, mat, gemm, chains)
		for _, s := range shapes {
			for _, dt := range compute.DTypes() {
				p := compute.Problem{Kernel: k, Shape: s, DType: dt, Alpha: 1.5, Beta: 0.5}
				b.Run(computetest.BenchName(p, "cpu"), func(b *testing.B) { benchLaunch(b, p, minBytesPerWorker) })
			}
		}
	}
}

// benchLaunch times p through Run on GOMAXPROCS workers, giving each
// worker at least minBytes of traffic.
func benchLaunch(b *testing.B, p compute.Problem, minBytes int) {
	be, err := Open("cpu", BestEngine(compute.Options{}), compute.Options{Workers: runtime.GOMAXPROCS(0)})
	if err != nil {
		b.Fatal(err)
	}
	defer be.Close()
	be.split.minBytesPerWorker = minBytes
	var bufs []compute.Buffer
	for _, v := range ref.Inputs(p, 1) {
		u := mustAlloc(b, be, p.DType, len(v))
		if err := be.Upload(u, compute.HostFrom(v, p.DType)); err != nil {
			b.Fatal(err)
		}
		bufs = append(bufs, u)
	}
	l := compute.Launch{Problem: p, In: bufs, Out: outFor(b, be, p, bufs)}
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

// BenchmarkCutoff times a kernel at sizes around the serial cut-off on
// the serial path and on every worker, to choose minBytesPerWorker:
//
//	go test -run - -bench Cutoff -benchtime 200ms ./cpu
//
// The cut-off is the traffic from which path=parallel beats path=serial.
func BenchmarkCutoff(b *testing.B) {
	for _, k := range []compute.Kernel{compute.Copy, compute.Saxpy, compute.Dot} {
		for _, kib := range []int{4, 16, 64, 256, 512, 1024, 2048, 4096, 16384} {
			elems := kib << 10 / 4 / 3
			if k != compute.Saxpy {
				elems = kib << 10 / 4 / 2
			}
			p := compute.Problem{Kernel: k, Shape: compute.Vec(elems), DType: compute.Float32, Alpha: 1.5, Beta: 0.5}
			for _, path := range []string{"serial", "parallel"} {
				b.Run(fmt.Sprintf("kernel=%s/traffic=%dKiB/path=%s", k, kib, path), func(b *testing.B) {
					minBytes := math.MaxInt
					if path == "parallel" {
						minBytes = 1
					}
					benchLaunch(b, p, minBytes)
				})
			}
		}
	}
}
