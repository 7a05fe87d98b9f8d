//go:build openblas && cgo

// Package openblas calls the system OpenBLAS's cblas_sgemm and
// cblas_dgemm, as a peer for gemm's benchmarks. It builds only with
// -tags openblas (and cgo); install libopenblas-dev first.
package openblas

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import (
	"unsafe"

	"github.com/gpubench/gpubench/compute"
)

// Available reports whether this build has OpenBLAS.
const Available = true

// SetThreads sets the number of threads OpenBLAS uses.
func SetThreads(n int) { C.openblas_set_num_threads(C.int(n)) }

// Config is OpenBLAS's build description (version and kernel target).
func Config() string {
	return C.GoString(C.openblas_get_config()) + " " + C.GoString(C.openblas_get_corename())
}

// Gemm computes C = α·A·B + β·C, row-major, no transposes, with
// cblas_sgemm for float32 and cblas_dgemm for float64.
func Gemm[T compute.Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if compute.DTypeOf[T]() == compute.Float32 {
		C.cblas_sgemm(C.CblasRowMajor, C.CblasNoTrans, C.CblasNoTrans, C.blasint(m), C.blasint(n), C.blasint(k),
			C.float(alpha), (*C.float)(unsafe.Pointer(&a[0])), C.blasint(lda),
			(*C.float)(unsafe.Pointer(&b[0])), C.blasint(ldb),
			C.float(beta), (*C.float)(unsafe.Pointer(&c[0])), C.blasint(ldc))
		return
	}
	C.cblas_dgemm(C.CblasRowMajor, C.CblasNoTrans, C.CblasNoTrans, C.blasint(m), C.blasint(n), C.blasint(k),
		C.double(alpha), (*C.double)(unsafe.Pointer(&a[0])), C.blasint(lda),
		(*C.double)(unsafe.Pointer(&b[0])), C.blasint(ldb),
		C.double(beta), (*C.double)(unsafe.Pointer(&c[0])), C.blasint(ldc))
}
