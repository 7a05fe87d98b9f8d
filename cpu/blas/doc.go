// Package blas is a gonum BLAS implementation (blas.Float32 and
// blas.Float64) whose matrix products, matrix-vector products and
// vector routines run on gpubench's CPU kernels: the BLIS-style gemm
// and the SIMD vector kernels of the cpu backend, cgo-free, at the best
// SIMD level the CPU runs. A gonum program switches to it with
//
//	import (
//		"gonum.org/v1/gonum/blas/blas32"
//		"gonum.org/v1/gonum/blas/blas64"
//		gpblas "github.com/gpubench/gpubench/cpu/blas"
//	)
//
//	blas64.Use(gpblas.Implementation{})
//	blas32.Use(gpblas.Implementation{})
//
// after which mat.Dense.Mul, Product and VecDense.MulVec, and every
// other user of blas64 and blas32, run on it. The zero Implementation
// runs at the best level with gemm on GOMAXPROCS goroutines; New makes
// one with its own level and workers (Options), which Close stops.
//
// Implementation embeds gonum's own (gonum.org/v1/gonum/blas/gonum) and
// replaces Sgemm and Dgemm (every transpose), Sgemv and Dgemv (both
// transposes, unit increments), Saxpy, Daxpy, Sdot, Ddot, Sscal, Dscal,
// Snrm2 and Dnrm2 (unit increments). Any call those do not take (other
// increments, arguments gonum rejects) goes to gonum's code, so that
// arguments panic exactly as gonum's do, and so do calls small enough
// that gonum's code is faster (a few dozen elements, a few hundred
// multiply-adds); every other routine is gonum's.
//
// Results differ from gonum's in rounding only: dot products sum
// pairwise in runs (their error grows like log n, not n), and the
// kernels use fused multiply-adds. NaN and Inf propagate as IEEE
// arithmetic says, with BLAS's exceptions: β = 0 sets the output
// without reading it, and gemm with α = 0 or k = 0, or gemv with α = 0,
// reads neither A nor B (nor x). (gonum's gemm also skips every term
// whose α·A element is zero, so a NaN in B next to a zero in A does not
// reach C there, nor in the small products it runs here; in the others
// it does.)
//
// gemm, and gemv of an A past 512 KiB, run on a pool of worker
// goroutines, started by the first call that needs it; a call made
// while another holds the pool runs on its caller's goroutine alone, so
// that concurrent callers neither wait nor oversubscribe the CPU. The
// level-1 routines run on the caller's goroutine. Any number of
// goroutines may call one Implementation at once.
package blas
