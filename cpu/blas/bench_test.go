package blas

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu"
)

// BenchmarkMatMul times C = A·B on n×n float64 matrices three ways on
// the same data: gonum's mat.Dense.Mul on gonum's own BLAS (gonum) and
// on Implementation (gpubench), each installed with blas64.Use, and the
// cpu backend's gemm (cpu: α = 1, β = 0, through compute.Backend.Run).
// It reports GFLOP/s as 2n³ per call. -count repeats each case in a
// row, so that a change in the machine's load lands on one of the three;
// for the three to take turns, run the benchmark again instead:
//
//	go test -c ./cpu/blas
//	for i in $(seq 10); do ./blas.test -test.run - -test.bench 'MatMul/.*/n=1024$'; done | benchstat -col /impl -
func BenchmarkMatMul(b *testing.B) {
	defer blas64.Use(blas64.Implementation())
	for _, n := range []int{4, 16, 64, 256, 1024} {
		a := mat.NewDense(n, n, randoms(n*n, 1))
		bb := mat.NewDense(n, n, randoms(n*n, 2))
		var c mat.Dense
		for _, impl := range []string{"gonum", "gpubench", "cpu"} {
			b.Run(fmt.Sprintf("impl=%s/n=%d", impl, n), func(b *testing.B) {
				call := func() { c.Mul(a, bb) }
				switch impl {
				case "gonum":
					blas64.Use(gonum.Implementation{})
				case "gpubench":
					blas64.Use(Implementation{})
				case "cpu":
					call = cpuGemm(b, n, a.RawMatrix().Data, bb.RawMatrix().Data)
				}
				call()
				for b.Loop() {
					call()
				}
				b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// cpuGemm opens the cpu backend with A and B of n×n uploaded and returns
// a call of its gemm, C = A·B; the backend closes when b ends.
func cpuGemm(b *testing.B, n int, a, bb []float64) func() {
	be, err := compute.NewRegistry(cpu.Factories()...).Open("cpu", compute.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { be.Close() })
	var in []compute.Buffer
	for _, v := range [][]float64{a, bb, make([]float64, n*n)} {
		u, err := be.Alloc(compute.Float64, len(v))
		if err == nil {
			err = be.Upload(u, compute.HostFrom(v, compute.Float64))
		}
		if err != nil {
			b.Fatal(err)
		}
		in = append(in, u)
	}
	out, err := be.Alloc(compute.Float64, n*n)
	if err != nil {
		b.Fatal(err)
	}
	l := compute.Launch{Problem: compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(n, n, n), DType: compute.Float64, Alpha: 1}, In: in, Out: out}
	return func() {
		if err := be.Run(l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoutine times each replaced float64 routine on gonum's own
// BLAS and on Implementation, small sizes (where the fixed cost of a call
// shows) and large: BenchmarkRoutine/routine=<routine>/impl=<impl>/n=<n>, with n
// the vector length, the side of gemv's square A, or gemm's m = n = k.
//
//	go test -run - -bench Routine ./cpu/blas | benchstat -col /impl -
func BenchmarkRoutine(b *testing.B) {
	impls := []struct {
		name string
		blas blas.Float64
	}{{"gonum", gonum.Implementation{}}, {"gpubench", Implementation{}}}
	vector := []int{4, 8, 16, 32, 64, 4096, 1 << 20}
	for _, r := range []struct {
		name   string
		sizes  []int
		matrix bool // x, y and a hold n×n elements, not n
		call   func(f blas.Float64, n int, x, y, a []float64)
	}{
		{"Ddot", vector, false, func(f blas.Float64, n int, x, y, _ []float64) { f.Ddot(n, x, 1, y, 1) }},
		{"Daxpy", vector, false, func(f blas.Float64, n int, x, y, _ []float64) { f.Daxpy(n, 0.5, x, 1, y, 1) }},
		{"Dscal", vector, false, func(f blas.Float64, n int, x, _, _ []float64) { f.Dscal(n, 1, x, 1) }},
		{"Dnrm2", vector, false, func(f blas.Float64, n int, x, _, _ []float64) { f.Dnrm2(n, x, 1) }},
		{"DgemvN", []int{4, 8, 16, 32, 64, 128, 256, 1024}, true, func(f blas.Float64, n int, x, y, a []float64) {
			f.Dgemv(blas.NoTrans, n, n, 1, a, n, x, 1, 0.5, y, 1)
		}},
		{"DgemvT", []int{4, 8, 16, 32, 64, 128, 256, 1024}, true, func(f blas.Float64, n int, x, y, a []float64) {
			f.Dgemv(blas.Trans, n, n, 1, a, n, x, 1, 0.5, y, 1)
		}},
		{"Dgemm", []int{4, 8, 12, 16, 64}, true, func(f blas.Float64, n int, x, y, a []float64) {
			f.Dgemm(blas.NoTrans, blas.NoTrans, n, n, n, 1, a, n, x, n, 0, y, n)
		}},
	} {
		for _, n := range r.sizes {
			size := n
			if r.matrix {
				size = n * n
			}
			x, y, a := randoms(size, 1), randoms(size, 2), randoms(size, 3)
			for _, impl := range impls {
				b.Run(fmt.Sprintf("routine=%s/impl=%s/n=%d", r.name, impl.name, n), func(b *testing.B) {
					for b.Loop() {
						r.call(impl.blas, n, x, y, a)
					}
				})
			}
		}
	}
}
