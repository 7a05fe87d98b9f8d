//go:build !openblas || !cgo

// Package openblas calls the system OpenBLAS, as a peer for gemm's
// benchmarks, when built with -tags openblas; without it, it is empty.
package openblas

import "github.com/gpubench/gpubench/compute"

// Available reports whether this build has OpenBLAS.
const Available = false

func SetThreads(int) {}
func Config() string { return "" }

// Gemm panics: this build has no OpenBLAS (Available is false).
func Gemm[T compute.Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	panic("openblas: built without -tags openblas")
}
