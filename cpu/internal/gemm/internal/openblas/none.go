//go:build !openblas || !cgo

// Package openblas calls the system OpenBLAS, as a peer for gemm's
// benchmarks, when built with -tags openblas; without it, it is empty.
package openblas

// Available reports whether this build has OpenBLAS.
const Available = false

func SetThreads(int) {}
func Config() string { return "" }

func Sgemm(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	panic("openblas: built without -tags openblas")
}

func Dgemm(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	panic("openblas: built without -tags openblas")
}
