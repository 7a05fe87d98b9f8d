//go:build openblas && cgo

package peer

// The system OpenBLAS through its CBLAS interface: a handful of calls,
// so a few lines of cgo rather than a binding module. Debian and Ubuntu:
// apt-get install libopenblas-dev.

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// openblasFactories is the backend "openblas".
func openblasFactories() []compute.Factory {
	return []compute.Factory{{
		Name: "openblas",
		Doc: fmt.Sprintf("the system OpenBLAS through cgo (built with -tags openblas), a peer to compare against; core %s",
			C.GoString(C.openblas_get_corename())),
		Kernels: kernelSet(),
		Open:    func(o compute.Options) (compute.Backend, error) { return open(openblasLib(), o) },
		Peer:    true,
		// OpenBLAS's idle threads spin for 2^OPENBLAS_THREAD_TIMEOUT
		// cycles (2²⁸ by default, about 0.1 s) after each call and after
		// the library loads, taking 65–86 % of a CPU on a 2-vCPU VM;
		// 200 ms leaves room for a slower clock.
		Settle: 200 * time.Millisecond,
	}}
}

// openblasLib is OpenBLAS. Its thread count is process-wide: the worker
// count is set before each call where another backend changed it.
func openblasLib() *lib {
	threads := 0
	set := func() {
		if threads > 0 && int(C.openblas_get_num_threads()) != threads {
			C.openblas_set_num_threads(C.int(threads))
		}
	}
	core := C.GoString(C.openblas_get_corename())
	cpu := hwinfo.DescribeCPU()
	return &lib{
		name:  "openblas",
		level: strings.ToLower(core),
		notes: []string{strings.TrimSpace(C.GoString(C.openblas_get_config())), coreNote(core, cpu.Has("AVX512F"))},
		threads: func(workers int) (int, error) {
			if workers > 0 {
				threads = workers
				set()
			}
			return int(C.openblas_get_num_threads()), nil
		},
		maxDim: math.MaxInt32, // blasint is a C int in the LP64 build
		f32:    openblasRoutines[float32](set),
		f64:    openblasRoutines[float64](set),
	}
}

// avx512Cores are OpenBLAS's cores with AVX-512 kernels, as
// openblas_get_corename spells them, lower-cased.
var avx512Cores = []string{"skylakex", "cooperlake", "sapphirerapids"}

// coreNote says which core OpenBLAS runs and why: what OPENBLAS_CORETYPE
// said, whether start-up replaced it (openblas_core.go), and a warning
// where an AVX-512 machine (avx512) runs a core without it.
func coreNote(core string, avx512 bool) string {
	was, set, replaced := coretypeEnv()
	var s string
	switch {
	case replaced:
		s = fmt.Sprintf("core %s: OPENBLAS_CORETYPE=%s in the environment was replaced by SkylakeX before OpenBLAS loaded (an AVX-512 core on this AVX-512 machine)", core, was)
	case set:
		s = fmt.Sprintf("core %s, as OPENBLAS_CORETYPE=%s says", core, was)
	default:
		s = fmt.Sprintf("core %s, OpenBLAS's own choice (OPENBLAS_CORETYPE unset)", core)
	}
	if avx512 && !slices.Contains(avx512Cores, strings.ToLower(core)) {
		s += "; not an AVX-512 core on an AVX-512 machine: these are not OpenBLAS's best figures"
	}
	return s
}

// openblasRoutines calls OpenBLAS's CBLAS routines for T, each after set.
func openblasRoutines[T compute.Float](set func()) routines[T] {
	return routines[T]{
		gemm: func(m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
			set()
			gemm(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
		gemv: func(m, n int, a []T, lda int, x, y []T) {
			set()
			gemv(m, n, a, lda, x, y)
		},
		axpy: func(alpha T, x, y []T) {
			set()
			axpy(alpha, x, y)
		},
		dot: func(x, y []T) T {
			set()
			return dot(x, y)
		},
	}
}

// single reports whether T is float32, whose routines are CBLAS's s*.
func single[T compute.Float]() bool { return compute.DTypeOf[T]() == compute.Float32 }

// ptr passes a slice's first element to C as a *P; the slices hold no
// Go pointers, so cgo's rules allow it for the duration of the call.
func ptr[P any, T compute.Float](s []T) *P { return (*P)(unsafe.Pointer(unsafe.SliceData(s))) }

// gemm computes C = α·A·B + β·C, row-major, no transposes
// (cblas_sgemm or cblas_dgemm).
func gemm[T compute.Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
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

// gemv computes y = A·x, row-major, not reading y (cblas_sgemv or
// cblas_dgemv with α = 1, β = 0).
func gemv[T compute.Float](m, n int, a []T, lda int, x, y []T) {
	if single[T]() {
		C.cblas_sgemv(C.CblasRowMajor, C.CblasNoTrans, C.blasint(m), C.blasint(n), 1, ptr[C.float](a), C.blasint(lda), ptr[C.float](x), 1, 0, ptr[C.float](y), 1)
	} else {
		C.cblas_dgemv(C.CblasRowMajor, C.CblasNoTrans, C.blasint(m), C.blasint(n), 1, ptr[C.double](a), C.blasint(lda), ptr[C.double](x), 1, 0, ptr[C.double](y), 1)
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(x)
	runtime.KeepAlive(y)
}

// axpy computes y += α·x (cblas_saxpy or cblas_daxpy).
func axpy[T compute.Float](alpha T, x, y []T) {
	if single[T]() {
		C.cblas_saxpy(C.blasint(len(x)), C.float(alpha), ptr[C.float](x), 1, ptr[C.float](y), 1)
	} else {
		C.cblas_daxpy(C.blasint(len(x)), C.double(alpha), ptr[C.double](x), 1, ptr[C.double](y), 1)
	}
	runtime.KeepAlive(x)
	runtime.KeepAlive(y)
}

// dot computes Σ x[i]·y[i] (cblas_sdot or cblas_ddot).
func dot[T compute.Float](x, y []T) T {
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
