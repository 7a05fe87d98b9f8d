package peer

import (
	"runtime"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/gpubench/gpubench/compute"
)

func init() {
	compute.Register(compute.Factory{
		Name: "gonum",
		Doc:  "gonum's pure-Go BLAS (gonum.org/v1/gonum/blas/gonum), a peer to compare against",
		Open: func(o compute.Options) (compute.Backend, error) { return open(gonumLib(), o) },
		Peer: true,
	})
}

// gonumLib is gonum's BLAS. Its gemm runs on at most GOMAXPROCS
// goroutines at once and its level 1 and 2 routines on one; it has no
// thread setting of its own, so a worker count other than GOMAXPROCS is
// applied by setting GOMAXPROCS around each gemm (a stop-the-world of a
// few microseconds, small beside a gemm worth timing).
func gonumLib() *lib {
	var g gonum.Implementation
	procs := 0 // GOMAXPROCS for gemm; 0 leaves it alone
	withProcs := func(f func()) {
		if procs == 0 {
			f()
			return
		}
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		f()
	}
	return &lib{
		name:  "gonum",
		level: "go",
		notes: []string{"gonum runs gemm on GOMAXPROCS goroutines (set to the worker count around each call), gemv, axpy and dot on one"},
		threads: func(workers int) (int, error) {
			if workers == 0 || workers == runtime.GOMAXPROCS(0) {
				return runtime.GOMAXPROCS(0), nil
			}
			procs = workers
			return workers, nil
		},
		sgemm: func(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			withProcs(func() { g.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) })
		},
		dgemm: func(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
			withProcs(func() { g.Dgemm(blas.NoTrans, blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) })
		},
		sgemv: func(m, n int, a []float32, lda int, x, y []float32) {
			g.Sgemv(blas.NoTrans, m, n, 1, a, lda, x, 1, 0, y, 1)
		},
		dgemv: func(m, n int, a []float64, lda int, x, y []float64) {
			g.Dgemv(blas.NoTrans, m, n, 1, a, lda, x, 1, 0, y, 1)
		},
		saxpy: func(alpha float32, x, y []float32) { g.Saxpy(len(x), alpha, x, 1, y, 1) },
		daxpy: func(alpha float64, x, y []float64) { g.Daxpy(len(x), alpha, x, 1, y, 1) },
		sdot:  func(x, y []float32) float32 { return g.Sdot(len(x), x, 1, y, 1) },
		ddot:  func(x, y []float64) float64 { return g.Ddot(len(x), x, 1, y, 1) },
	}
}
