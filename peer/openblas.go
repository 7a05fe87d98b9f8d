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
	"math"
	"runtime"
	"strings"
	"time"
	"unsafe"

	"github.com/gpubench/gpubench/compute"
)

func init() {
	compute.Register(compute.Factory{
		Name: "openblas",
		Doc:  "the system OpenBLAS through cgo (built with -tags openblas), a peer to compare against",
		Open: func(o compute.Options) (compute.Backend, error) { return open(openblasLib(), o) },
		Peer: true,
		// OpenBLAS's idle threads spin for 2^OPENBLAS_THREAD_TIMEOUT
		// cycles (2²⁸ by default, about 0.1 s) after each call and after
		// the library loads, taking 65–86 % of a CPU on the 2-vCPU VM of
		// DESIGN.md; 200 ms leaves room for a slower clock.
		Settle: 200 * time.Millisecond,
	})
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
	return &lib{
		name:  "openblas",
		level: strings.ToLower(C.GoString(C.openblas_get_corename())),
		notes: []string{strings.TrimSpace(C.GoString(C.openblas_get_config()))},
		threads: func(workers int) (int, error) {
			if workers > 0 {
				threads = workers
				set()
			}
			return int(C.openblas_get_num_threads()), nil
		},
		maxDim: math.MaxInt32, // blasint is a C int in the LP64 build
		sgemm: func(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			set()
			C.cblas_sgemm(C.CblasRowMajor, C.CblasNoTrans, C.CblasNoTrans, C.blasint(m), C.blasint(n), C.blasint(k),
				C.float(alpha), f32(a), C.blasint(lda), f32(b), C.blasint(ldb), C.float(beta), f32(c), C.blasint(ldc))
			runtime.KeepAlive(a)
			runtime.KeepAlive(b)
			runtime.KeepAlive(c)
		},
		dgemm: func(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
			set()
			C.cblas_dgemm(C.CblasRowMajor, C.CblasNoTrans, C.CblasNoTrans, C.blasint(m), C.blasint(n), C.blasint(k),
				C.double(alpha), f64(a), C.blasint(lda), f64(b), C.blasint(ldb), C.double(beta), f64(c), C.blasint(ldc))
			runtime.KeepAlive(a)
			runtime.KeepAlive(b)
			runtime.KeepAlive(c)
		},
		sgemv: func(m, n int, a []float32, lda int, x, y []float32) {
			set()
			C.cblas_sgemv(C.CblasRowMajor, C.CblasNoTrans, C.blasint(m), C.blasint(n), 1, f32(a), C.blasint(lda), f32(x), 1, 0, f32(y), 1)
			runtime.KeepAlive(a)
			runtime.KeepAlive(x)
			runtime.KeepAlive(y)
		},
		dgemv: func(m, n int, a []float64, lda int, x, y []float64) {
			set()
			C.cblas_dgemv(C.CblasRowMajor, C.CblasNoTrans, C.blasint(m), C.blasint(n), 1, f64(a), C.blasint(lda), f64(x), 1, 0, f64(y), 1)
			runtime.KeepAlive(a)
			runtime.KeepAlive(x)
			runtime.KeepAlive(y)
		},
		saxpy: func(alpha float32, x, y []float32) {
			set()
			C.cblas_saxpy(C.blasint(len(x)), C.float(alpha), f32(x), 1, f32(y), 1)
			runtime.KeepAlive(x)
			runtime.KeepAlive(y)
		},
		daxpy: func(alpha float64, x, y []float64) {
			set()
			C.cblas_daxpy(C.blasint(len(x)), C.double(alpha), f64(x), 1, f64(y), 1)
			runtime.KeepAlive(x)
			runtime.KeepAlive(y)
		},
		sdot: func(x, y []float32) float32 {
			set()
			r := C.cblas_sdot(C.blasint(len(x)), f32(x), 1, f32(y), 1)
			runtime.KeepAlive(x)
			runtime.KeepAlive(y)
			return float32(r)
		},
		ddot: func(x, y []float64) float64 {
			set()
			r := C.cblas_ddot(C.blasint(len(x)), f64(x), 1, f64(y), 1)
			runtime.KeepAlive(x)
			runtime.KeepAlive(y)
			return float64(r)
		},
	}
}

// f32 and f64 pass a slice's first element to C; the slices hold no Go
// pointers, so cgo's rules allow it for the duration of the call.
func f32(s []float32) *C.float  { return (*C.float)(unsafe.Pointer(unsafe.SliceData(s))) }
func f64(s []float64) *C.double { return (*C.double)(unsafe.Pointer(unsafe.SliceData(s))) }
