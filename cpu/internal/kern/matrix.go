package kern

import "fmt"

// Gemv computes dst = A·x for the m×n row-major matrix A with row
// stride lda, m = len(dst), n = len(x):
//
//	for i := range dst {
//		var s T
//		for j := range x { s += a[i*lda+j] * x[j] }
//		dst[i] = s
//	}
//
// in any order of summation within a row (the bound of a serial sum holds
// for every order). dst must not overlap a or x.
func (t *Table[T]) Gemv(dst, a []T, lda int, x []T) {
	checkMatrix("Gemv", len(a), len(dst), len(x), lda)
	if len(dst) == 0 {
		return
	}
	t.gemv(dst, a, lda, x)
}

// Transpose writes the transpose of the m×n row-major matrix A (row
// stride lda) into dst (row stride ldd, n rows of m):
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < n; j++ { dst[j*ldd+i] = a[i*lda+j] }
//	}
//
// in cache-sized tiles. dst must not overlap a.
func (t *Table[T]) Transpose(dst []T, ldd int, a []T, lda, m, n int) {
	checkMatrix("Transpose", len(a), m, n, lda)
	checkMatrix("Transpose (dst)", len(dst), n, m, ldd)
	if m == 0 || n == 0 {
		return
	}
	t.transpose(dst, ldd, a, lda, m, n)
}

// gemvRows computes each element of A·x with the table's dot kernel: the
// gemv of a SIMD level that brings no gemv of its own (newSet). Where the
// generic gemv interleaves four scalar rows, a vector dot product per row
// is faster, and x stays in L1 across rows.
func (t *Table[T]) gemvRows(dst, a []T, lda int, x []T) {
	for i := range dst {
		dst[i] = t.pairwiseDot(a[i*lda:][:len(x)], x)
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
