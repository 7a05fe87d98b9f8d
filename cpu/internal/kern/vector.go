// Package kern holds the CPU backend's slice-level kernels for float32
// and float64: the STREAM four, axpy, dot, sum, gemv, transpose and the
// fma kernel's chains.
//
// Each public function calls through one table of function variables,
// filled once at start-up for the best level the CPU runs (see Level,
// SetLevel). The pure-Go code of every kernel is always compiled (the
// *_generic.go files): it is the fallback on every platform and under
// -tags noasm, and the reference the SIMD levels are tested against.
//
// Every kernel's doc comment is its reference loop. Output slices may
// not overlap inputs unless they are the same slice. Length mismatches
// are programming errors and panic with a "kern: " prefix.
package kern

import "fmt"

func mismatch(kernel string, lens ...int) {
	panic(fmt.Sprintf("kern: %s: slice lengths %v differ", kernel, lens))
}

// Copy32 computes
//
//	for i := range dst { dst[i] = x[i] }
func Copy32(dst, x []float32) {
	if len(x) != len(dst) {
		mismatch("Copy32", len(dst), len(x))
	}
	impl.copy32(dst, x)
}

// Copy64 computes
//
//	for i := range dst { dst[i] = x[i] }
func Copy64(dst, x []float64) {
	if len(x) != len(dst) {
		mismatch("Copy64", len(dst), len(x))
	}
	impl.copy64(dst, x)
}

// Scale32 computes
//
//	for i := range dst { dst[i] = a * x[i] }
func Scale32(dst []float32, a float32, x []float32) {
	if len(x) != len(dst) {
		mismatch("Scale32", len(dst), len(x))
	}
	impl.scale32(dst, a, x)
}

// Scale64 computes
//
//	for i := range dst { dst[i] = a * x[i] }
func Scale64(dst []float64, a float64, x []float64) {
	if len(x) != len(dst) {
		mismatch("Scale64", len(dst), len(x))
	}
	impl.scale64(dst, a, x)
}

// Add32 computes
//
//	for i := range dst { dst[i] = x[i] + y[i] }
func Add32(dst, x, y []float32) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("Add32", len(dst), len(x), len(y))
	}
	impl.add32(dst, x, y)
}

// Add64 computes
//
//	for i := range dst { dst[i] = x[i] + y[i] }
func Add64(dst, x, y []float64) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("Add64", len(dst), len(x), len(y))
	}
	impl.add64(dst, x, y)
}

// Triad32 computes STREAM's triad
//
//	for i := range dst { dst[i] = x[i] + a*y[i] }
func Triad32(dst, x []float32, a float32, y []float32) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("Triad32", len(dst), len(x), len(y))
	}
	impl.triad32(dst, x, a, y)
}

// Triad64 computes STREAM's triad
//
//	for i := range dst { dst[i] = x[i] + a*y[i] }
func Triad64(dst, x []float64, a float64, y []float64) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("Triad64", len(dst), len(x), len(y))
	}
	impl.triad64(dst, x, a, y)
}

// Axpy32 computes
//
//	for i := range dst { dst[i] = a*x[i] + y[i] }
//
// dst may be y (the BLAS in-place form).
func Axpy32(dst []float32, a float32, x, y []float32) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("Axpy32", len(dst), len(x), len(y))
	}
	impl.axpy32(dst, a, x, y)
}

// Axpy64 computes
//
//	for i := range dst { dst[i] = a*x[i] + y[i] }
//
// dst may be y (the BLAS in-place form).
func Axpy64(dst []float64, a float64, x, y []float64) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("Axpy64", len(dst), len(x), len(y))
	}
	impl.axpy64(dst, a, x, y)
}
