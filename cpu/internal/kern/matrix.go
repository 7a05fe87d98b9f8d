package kern

import "fmt"

// Gemv32 computes dst = A·x for the m×n row-major matrix A with row
// stride lda, m = len(dst), n = len(x):
//
//	for i := range dst {
//		var s float32
//		for j := range x { s += a[i*lda+j] * x[j] }
//		dst[i] = s
//	}
//
// in any order of summation within a row (the bound of a serial sum holds
// for every order). dst must not overlap a or x.
func Gemv32(dst, a []float32, lda int, x []float32) {
	checkMatrix("Gemv32", len(a), len(dst), len(x), lda)
	if len(dst) == 0 {
		return
	}
	impl.gemv32(dst, a, lda, x)
}

// Gemv64 computes dst = A·x for the m×n row-major matrix A with row
// stride lda, m = len(dst), n = len(x):
//
//	for i := range dst {
//		var s float64
//		for j := range x { s += a[i*lda+j] * x[j] }
//		dst[i] = s
//	}
//
// in any order of summation within a row. dst must not overlap a or x.
func Gemv64(dst, a []float64, lda int, x []float64) {
	checkMatrix("Gemv64", len(a), len(dst), len(x), lda)
	if len(dst) == 0 {
		return
	}
	impl.gemv64(dst, a, lda, x)
}

// Transpose32 writes the transpose of the m×n row-major matrix A (row
// stride lda) into dst (row stride ldd, n rows of m):
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < n; j++ { dst[j*ldd+i] = a[i*lda+j] }
//	}
//
// in cache-sized tiles. dst must not overlap a.
func Transpose32(dst []float32, ldd int, a []float32, lda, m, n int) {
	checkMatrix("Transpose32", len(a), m, n, lda)
	checkMatrix("Transpose32 (dst)", len(dst), n, m, ldd)
	if m == 0 || n == 0 {
		return
	}
	impl.transpose32(dst, ldd, a, lda, m, n)
}

// Transpose64 writes the transpose of the m×n row-major matrix A (row
// stride lda) into dst (row stride ldd, n rows of m):
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < n; j++ { dst[j*ldd+i] = a[i*lda+j] }
//	}
//
// in cache-sized tiles. dst must not overlap a.
func Transpose64(dst []float64, ldd int, a []float64, lda, m, n int) {
	checkMatrix("Transpose64", len(a), m, n, lda)
	checkMatrix("Transpose64 (dst)", len(dst), n, m, ldd)
	if m == 0 || n == 0 {
		return
	}
	impl.transpose64(dst, ldd, a, lda, m, n)
}

// gemv32Rows computes each element of A·x with the current level's dot
// kernel: the gemv of every SIMD level that brings no gemv of its own.
// Where the generic gemv interleaves four scalar rows, a vector dot
// product per row is faster, and x stays in L1 across rows.
func gemv32Rows(dst, a []float32, lda int, x []float32) {
	for i := range dst {
		dst[i] = dot32(a[i*lda:][:len(x)], x)
	}
}

// gemv64Rows is gemv32Rows for float64.
func gemv64Rows(dst, a []float64, lda int, x []float64) {
	for i := range dst {
		dst[i] = dot64(a[i*lda:][:len(x)], x)
	}
}

// checkMatrix panics unless a slice of length l holds an m×n matrix with
// row stride ld.
func checkMatrix(kernel string, l, m, n, ld int) {
	switch {
	case m < 0 || n < 0:
		panic(fmt.Sprintf("kern: %s: negative size %d×%d", kernel, m, n))
	case ld < n || ld < 0:
		panic(fmt.Sprintf("kern: %s: row stride %d is shorter than a row of %d", kernel, ld, n))
	case m > 0 && l < (m-1)*ld+n:
		panic(fmt.Sprintf("kern: %s: %d elements cannot hold %d×%d with row stride %d", kernel, l, m, n, ld))
	}
}
