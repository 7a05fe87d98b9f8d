package gemm

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
	"github.com/gpubench/gpubench/internal/openblas"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

var benchSizes = []int{256, 512, 1024, 2048}

// BenchmarkGemm times C = A·B + C on square matrices of each dtype at
// each level, with peers on the same data: gonum's pure-Go Sgemm and
// Dgemm (GOMAXPROCS set to the worker count) and, with -tags openblas,
// the system OpenBLAS (that many threads):
//
//	BenchmarkGemm/backend=cpu/level=avx2/dtype=float32/workers=1/n=512
//	BenchmarkGemm/backend=gonum/dtype=float32/workers=1/n=512
//
// so that `benchstat -col /backend,/level` sets them side by side. It
// reports GFLOP/s as 2n³ per call, and GFLOP/cpu-s, the same FLOPs over
// the CPU time the process used: on a shared machine that one measures
// the code rather than the load (with one worker it is the speed of one
// core while it runs; with more, spin waits count against it).
func BenchmarkGemm(b *testing.B) {
	benchGemm[float32](b)
	benchGemm[float64](b)
}

// gonumGemm is gonum's Sgemm or Dgemm, by T.
func gonumGemm[T compute.Float]() func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	var g gonum.Implementation
	var f any = g.Dgemm
	if compute.DTypeOf[T]() == compute.Float32 {
		f = g.Sgemm
	}
	return f.(func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int))
}

func benchGemm[T compute.Float](b *testing.B) {
	gonumT := gonumGemm[T]()
	peers := map[string]func(n int, a, bb, c []T){
		"gonum":    func(n int, a, bb, c []T) { gonumT(blas.NoTrans, blas.NoTrans, n, n, n, 1, a, n, bb, n, 1, c, n) },
		"openblas": func(n int, a, bb, c []T) { openblas.Gemm(n, n, n, 1, a, n, bb, n, 1, c, n) },
	}
	rng := rand.New(rand.NewPCG(1, 1))
	data := func(n int) []T {
		s := make([]T, n)
		for i := range s {
			s[i] = T(rng.Float64()*2 - 1)
		}
		return s
	}
	workers := []int{1, 2}
	var names []string
	for _, l := range kern.Available() {
		names = append(names, string(l))
	}
	names = append(names, "gonum")
	if openblas.Available {
		names = append(names, "openblas")
	}
	dt := compute.DTypeOf[T]()
	for _, l := range names {
		config := "backend=" + l
		if l != "gonum" && l != "openblas" {
			config = "backend=cpu/level=" + l
		}
		for _, w := range workers {
			b.Run(fmt.Sprintf("%s/dtype=%v/workers=%d", config, dt, w), func(b *testing.B) {
				for _, n := range benchSizes {
					a, bb, c := data(n*n), data(n*n), data(n*n)
					b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
						b.ReportAllocs()
						var call func()
						switch l {
						case "gonum":
							defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(w))
							call = func() { peers[l](n, a, bb, c) }
						case "openblas":
							openblas.SetThreads(w)
							call = func() { peers[l](n, a, bb, c) }
						default:
							f := at[T](levelOf(b, kern.Level(l)))
							pl := pool.New(w)
							defer pl.Close()
							call = func() { f(pl, n, n, n, 1, a, n, bb, n, 1, c, n) }
						}
						call()
						b.ResetTimer()
						cpu0 := cpuSeconds()
						for b.Loop() {
							call()
						}
						flops := 2 * float64(n) * float64(n) * float64(n) * float64(b.N)
						b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
						if cpu := cpuSeconds() - cpu0; cpu > 0 {
							b.ReportMetric(flops/cpu/1e9, "GFLOP/cpu-s")
						}
					})
				}
			})
		}
	}
}
