package peer

import (
	"fmt"
	"os"
	"runtime"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu"
	gpblas "github.com/gpubench/gpubench/cpu/blas"
)

// Factories are the peer backends for a compute.Registry: gonum's BLAS,
// gonum's BLAS API on gpubench's kernels, and OpenBLAS in a build with
// -tags openblas.
func Factories() []compute.Factory {
	return append([]compute.Factory{{
		Name:    "gonum",
		Doc:     "gonum's pure-Go BLAS (gonum.org/v1/gonum/blas/gonum), a peer to compare against",
		Kernels: kernelSet(),
		Open:    func(o compute.Options) (compute.Backend, error) { return open(gonumLib(), o) },
		Peer:    true,
	}, {
		Name:    "gonum+gpubench",
		Doc:     "gonum's BLAS API on gpubench's CPU kernels (cpu/blas): what blas64.Use(blas.Implementation{}) gives a gonum program",
		Kernels: kernelSet(),
		Open: func(o compute.Options) (compute.Backend, error) {
			l, err := gpubenchLib(o)
			if err != nil {
				return nil, err
			}
			return open(l, o)
		},
		Peer: true,
	}}, openblasFactories()...)
}

// gonumLib is gonum's BLAS. Its gemm runs on at most GOMAXPROCS
// goroutines at once and its level 1 and 2 routines on one; it has no
// thread setting of its own, so a worker count other than GOMAXPROCS is
// applied by setting GOMAXPROCS around each gemm (a stop-the-world of a
// few microseconds, small beside a gemm worth timing), then restored
// (restoreProcs).
func gonumLib() *lib {
	var g gonum.Implementation
	procs := 0 // GOMAXPROCS for gemm; 0 leaves it alone
	withProcs := func(f func()) {
		if procs == 0 {
			f()
			return
		}
		defer restoreProcs(runtime.GOMAXPROCS(procs))
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
		f32: gonumRoutines(gonumAPI[float32]{g.Sgemm, g.Sgemv, g.Saxpy, g.Sdot}, withProcs),
		f64: gonumRoutines(gonumAPI[float64]{g.Dgemm, g.Dgemv, g.Daxpy, g.Ddot}, withProcs),
	}
}

// gpubenchLib is the implementation of gonum's BLAS interface in
// cpu/blas, at the level the cpu backend would open at under o
// (its Disable), with gemm on o.Workers goroutines. It is called
// through the same routines as gonum's, not through gonum's mat: mat
// has no α and β, and blas64.Use is process-wide, where the reference
// that checks every backend is computed with gonum.
func gpubenchLib(o compute.Options) (*lib, error) {
	im, err := gpblas.New(gpblas.Options{Level: cpu.Level(cpu.BestEngine(o).Level()), Workers: o.Workers})
	if err != nil {
		return nil, err
	}
	return &lib{
		name:  "gonum+gpubench",
		level: string(im.Level()),
		notes: []string{fmt.Sprintf("cpu/blas: gemm and gemv (A past 512 KiB) on %d goroutines, axpy and dot on one", im.Workers())},
		threads: func(int) (int, error) {
			return im.Workers(), nil
		},
		close: im.Close,
		f32:   gonumRoutines(gonumAPI[float32]{im.Sgemm, im.Sgemv, im.Saxpy, im.Sdot}, nil),
		f64:   gonumRoutines(gonumAPI[float64]{im.Dgemm, im.Dgemv, im.Daxpy, im.Ddot}, nil),
	}, nil
}

// gonumAPI is gonum's BLAS routines for T, as its Implementation has
// them: Sgemm or Dgemm, and so on.
type gonumAPI[T compute.Float] struct {
	gemm func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
	gemv func(tA blas.Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int)
	axpy func(n int, alpha T, x []T, incX int, y []T, incY int)
	dot  func(n int, x []T, incX int, y []T, incY int) T
}

// gonumRoutines calls g's routines on whole, unit-stride operands, each
// gemm inside withProcs (nil: none).
func gonumRoutines[T compute.Float](g gonumAPI[T], withProcs func(func())) routines[T] {
	if withProcs == nil {
		withProcs = func(f func()) { f() }
	}
	return routines[T]{
		gemm: func(m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
			withProcs(func() { g.gemm(blas.NoTrans, blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) })
		},
		gemv: func(m, n int, a []T, lda int, x, y []T) { g.gemv(blas.NoTrans, m, n, 1, a, lda, x, 1, 0, y, 1) },
		axpy: func(alpha T, x, y []T) { g.axpy(len(x), alpha, x, 1, y, 1) },
		dot:  func(x, y []T) T { return g.dot(len(x), x, 1, y, 1) },
	}
}

// restoreProcs gives GOMAXPROCS back after a gemm that set it, where old
// was the setting before. Setting GOMAXPROCS turns off the runtime's own
// sizing, which follows the CPUs this process may use and its cgroup's
// CPU quota as they change; so where old was the runtime's default, the
// default is restored (runtime.SetDefaultGOMAXPROCS), and only a number
// chosen by the user (the GOMAXPROCS variable, or a call beside ours)
// is set back as a number.
func restoreProcs(old int) {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.SetDefaultGOMAXPROCS()
		if runtime.GOMAXPROCS(0) == old {
			return
		}
	}
	runtime.GOMAXPROCS(old)
}
