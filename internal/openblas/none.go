//go:build !openblas || !cgo

// Package openblas is empty in this build (no -tags openblas, or no
// cgo): Available is false and its functions panic. With the tag it
// calls the system OpenBLAS (openblas.go).
package openblas

import "github.com/gpubench/gpubench/compute"

// Available reports whether this build has OpenBLAS.
const Available = false

// MaxDim bounds every size and stride, as in the OpenBLAS build.
const MaxDim = 1<<31 - 1

const noOpenBLAS = "openblas: built without -tags openblas (or cgo)"

func SetThreads(int)                                           { panic(noOpenBLAS) }
func Threads() int                                             { panic(noOpenBLAS) }
func Config() string                                           { panic(noOpenBLAS) }
func CoreName() string                                         { panic(noOpenBLAS) }
func CoretypeEnv() (was string, set, replaced bool)            { panic(noOpenBLAS) }
func CoreForced() (chose string, forced bool)                  { panic(noOpenBLAS) }
func Axpy[T compute.Float](alpha T, x, y []T)                  { panic(noOpenBLAS) }
func Dot[T compute.Float](x, y []T) T                          { panic(noOpenBLAS) }
func Gemv[T compute.Float](m, n int, a []T, lda int, x, y []T) { panic(noOpenBLAS) }
func Gemm[T compute.Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	panic(noOpenBLAS)
}
