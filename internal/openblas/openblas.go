//go:build openblas && cgo

// Package openblas calls the system OpenBLAS through its CBLAS
// interface: the one binding of it in this module, serving the openblas
// peer backend and gemm's benchmarks. It builds only with -tags openblas
// (and cgo); install libopenblas-dev first (Debian, Ubuntu). Without the
// tag the package is empty: Available is false and its functions panic.
//
// A handful of calls, so a few lines of cgo rather than a binding
// module. Every routine is row-major, with unit increments; T picks
// CBLAS's s* routines for float32 and d* for float64. The slices hold
// no Go pointers, so cgo's rules allow passing them for the duration of
// each call.
package openblas

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import (
	"runtime"
	"strings"
	"unsafe"

	"github.com/gpubench/gpubench/compute"
)

// Available reports whether this build has OpenBLAS.
const Available = true

// SetThreads sets the number of threads OpenBLAS uses, process-wide.
func SetThreads(n int) { C.openblas_set_num_threads(C.int(n)) }

// Threads is the number of threads OpenBLAS uses.
func Threads() int { return int(C.openblas_get_num_threads()) }

// Config is OpenBLAS's build description (version, options, target).
func Config() string { return strings.TrimSpace(C.GoString(C.openblas_get_config())) }

// CoreName is the core (kernel set) OpenBLAS chose as it loaded, as it
// spells it: "SkylakeX", "Cooperlake", "Haswell"…
func CoreName() string { return C.GoString(C.openblas_get_corename()) }

// MaxDim bounds every size and stride: blasint is a C int in the LP64
// build.
const MaxDim = 1<<31 - 1

// single reports whether T is float32, whose routines are CBLAS's s*.
func single[T compute.Float]() bool { return compute.DTypeOf[T]() == compute.Float32 }

// ptr passes a slice's first element to C as a *P.
func ptr[P any, T compute.Float](s []T) *P { return (*P)(unsafe.Pointer(unsafe.SliceData(s))) }

// Gemm computes C = α·A·B + β·C, no transposes (cblas_sgemm or
// cblas_dgemm): A is m×k, B k×n, C m×n, with row strides lda, ldb, ldc.
func Gemm[T compute.Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if single[T]() {
		C.cblas_sgemm(C.CblasRowMajor, C.CblasNoTrans, C.CblasNoTrans, C.blasint(m), C.blasint(n), C.blasint(k),
			C.float(alpha), ptr[C.float](a), C.blasint(lda), ptr[C.float](b), C.blasint(ldb), C.float(beta), ptr[C.float](c), C.blasint(ldc))
	} else {
		C.cblas_dgemm(C.CblasRowMajor, C.CblasNoTrans, C.CblasNoTrans, C.blasint(m), C.blasint(n), C.blasint(k),
			C.double(alpha), ptr[C.double](a), C.blasint(lda), ptr[C.double](b), C.blasint(ldb), C.double(beta), ptr[C.double](c), C.blasint(ldc))
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
}

// Gemv computes y = A·x for the m×n A with row stride lda, not reading
// y (cblas_sgemv or cblas_dgemv with α = 1, β = 0).
func Gemv[T compute.Float](m, n int, a []T, lda int, x, y []T) {
	if single[T]() {
		C.cblas_sgemv(C.CblasRowMajor, C.CblasNoTrans, C.blasint(m), C.blasint(n), 1, ptr[C.float](a), C.blasint(lda), ptr[C.float](x), 1, 0, ptr[C.float](y), 1)
	} else {
		C.cblas_dgemv(C.CblasRowMajor, C.CblasNoTrans, C.blasint(m), C.blasint(n), 1, ptr[C.double](a), C.blasint(lda), ptr[C.double](x), 1, 0, ptr[C.double](y), 1)
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(x)
	runtime.KeepAlive(y)
}

// Axpy computes y[i] += α·x[i] over len(x) elements (cblas_saxpy or
// cblas_daxpy).
func Axpy[T compute.Float](alpha T, x, y []T) {
	if single[T]() {
		C.cblas_saxpy(C.blasint(len(x)), C.float(alpha), ptr[C.float](x), 1, ptr[C.float](y), 1)
	} else {
		C.cblas_daxpy(C.blasint(len(x)), C.double(alpha), ptr[C.double](x), 1, ptr[C.double](y), 1)
	}
	runtime.KeepAlive(x)
	runtime.KeepAlive(y)
}

// Dot computes Σ x[i]·y[i] over len(x) elements (cblas_sdot or
// cblas_ddot).
func Dot[T compute.Float](x, y []T) T {
	var r T
	if single[T]() {
		r = T(C.cblas_sdot(C.blasint(len(x)), ptr[C.float](x), 1, ptr[C.float](y), 1))
	} else {
		r = T(C.cblas_ddot(C.blasint(len(x)), ptr[C.double](x), 1, ptr[C.double](y), 1))
	}
	runtime.KeepAlive(x)
	runtime.KeepAlive(y)
	return r
}
