// Package kern holds the CPU backend's slice-level kernels for float32
// and float64: the STREAM four, axpy, dot, sum, gemv, transpose and the
// fma kernel's chains.
//
// The kernels of one level, for one element type, are a Table: its
// methods check their arguments and call through its function fields.
// Level names a level, and Available lists those this CPU runs (the one
// place its features are checked); NewSet makes a level's Set, which
// cpu/internal/simd pairs with gemm's code of the same level once, at
// first use. A caller holds the Set it runs at and takes its Table with
// For, so that no call changes what another runs. The pure-Go code
// of every kernel is always compiled (the *_generic.go files): it is the
// generic level, the fallback on every platform and under -tags noasm,
// and the reference the SIMD levels are tested against.
//
// Every kernel's doc comment is its reference loop. Output slices may
// not overlap inputs unless they are the same slice. Length mismatches
// are programming errors and panic with a "kern: " prefix.
package kern

import "fmt"

func mismatch(kernel string, lens ...int) {
	panic(fmt.Sprintf("kern: %s: slice lengths %v differ", kernel, lens))
}

// Copy computes
//
//	for i := range dst { dst[i] = x[i] }
func (t *Table[T]) Copy(dst, x []T) {
	if len(x) != len(dst) {
		mismatch("Copy", len(dst), len(x))
	}
	t.copy(dst, x)
}

// Scale computes
//
//	for i := range dst { dst[i] = a * x[i] }
func (t *Table[T]) Scale(dst []T, a T, x []T) {
	if len(x) != len(dst) {
		mismatch("Scale", len(dst), len(x))
	}
	t.scale(dst, a, x)
}

// Add computes
//
//	for i := range dst { dst[i] = x[i] + y[i] }
func (t *Table[T]) Add(dst, x, y []T) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("Add", len(dst), len(x), len(y))
	}
	t.add(dst, x, y)
}

// Triad computes STREAM's triad
//
//	for i := range dst { dst[i] = x[i] + a*y[i] }
func (t *Table[T]) Triad(dst, x []T, a T, y []T) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("Triad", len(dst), len(x), len(y))
	}
	t.triad(dst, x, a, y)
}

// Non-temporal stores write dst without first reading its lines into
// the cache (a write-allocate read the STREAM four do not count, and
// their bandwidth pays for) and without keeping them there: they pay
// where dst is too large to stay in cache until it is read, and cost
// where it is not. CopyNT, ScaleNT, AddNT and TriadNT compute what Copy,
// Scale, Add and Triad do, with non-temporal stores where the level has
// them (HasNT); the generic level has none, and they are Copy and the
// rest there. The caller chooses by size (the cpu backend measures the
// crossover).

// HasNT reports whether the level stores non-temporally in CopyNT and the
// rest.
func (t *Table[T]) HasNT() bool { return t.copyNT != nil }

// CopyNT is Copy with non-temporal stores.
func (t *Table[T]) CopyNT(dst, x []T) {
	if len(x) != len(dst) {
		mismatch("CopyNT", len(dst), len(x))
	}
	if t.copyNT == nil {
		t.copy(dst, x)
		return
	}
	t.copyNT(dst, x)
}

// ScaleNT is Scale with non-temporal stores.
func (t *Table[T]) ScaleNT(dst []T, a T, x []T) {
	if len(x) != len(dst) {
		mismatch("ScaleNT", len(dst), len(x))
	}
	if t.scaleNT == nil {
		t.scale(dst, a, x)
		return
	}
	t.scaleNT(dst, a, x)
}

// AddNT is Add with non-temporal stores.
func (t *Table[T]) AddNT(dst, x, y []T) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("AddNT", len(dst), len(x), len(y))
	}
	if t.addNT == nil {
		t.add(dst, x, y)
		return
	}
	t.addNT(dst, x, y)
}

// TriadNT is Triad with non-temporal stores.
func (t *Table[T]) TriadNT(dst, x []T, a T, y []T) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("TriadNT", len(dst), len(x), len(y))
	}
	if t.triadNT == nil {
		t.triad(dst, x, a, y)
		return
	}
	t.triadNT(dst, x, a, y)
}

// Axpy computes
//
//	for i := range dst { dst[i] = a*x[i] + y[i] }
//
// dst may be y (the BLAS in-place form).
func (t *Table[T]) Axpy(dst []T, a T, x, y []T) {
	if len(x) != len(dst) || len(y) != len(dst) {
		mismatch("Axpy", len(dst), len(x), len(y))
	}
	t.axpy(dst, a, x, y)
}
