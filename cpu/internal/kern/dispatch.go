package kern

import (
	"slices"

	"github.com/gpubench/gpubench/compute"
)

// Table is one level's kernels for elements of type T: the functions its
// methods (Copy, Dot, Gemv, ...) call once they have checked their
// arguments. A Table is made once, as its Set is, and never written
// afterwards, so any number of goroutines may use it at once.
//
// The dot and sum entries are leaves: they are called with at most Leaf
// elements, and may sum them in any order (several accumulators); Dot
// and Sum combine the leaves pairwise.
type Table[T compute.Float] struct {
	copy      func(dst, x []T)
	scale     func(dst []T, a T, x []T)
	add       func(dst, x, y []T)
	triad     func(dst, x []T, a T, y []T)
	axpy      func(dst []T, a T, x, y []T)
	dot       func(x, y []T) T
	sum       func(x []T) T
	gemv      func(dst, a []T, lda int, x []T)
	transpose func(dst []T, ldd int, a []T, lda, m, n int)
	fma       func(dst, x []T, mul, add T, k int)
	// The STREAM four with non-temporal stores (CopyNT and the rest);
	// nil where the level has none.
	copyNT  func(dst, x []T)
	scaleNT func(dst []T, a T, x []T)
	addNT   func(dst, x, y []T)
	triadNT func(dst, x []T, a T, y []T)
}

// genericTable is the pure-Go code of every kernel.
func genericTable[T compute.Float]() Table[T] {
	return Table[T]{
		copy:      copyGeneric[T],
		scale:     scaleGeneric[T],
		add:       addGeneric[T],
		triad:     triadGeneric[T],
		axpy:      axpyGeneric[T],
		dot:       dotGeneric[T],
		sum:       sumGeneric[T],
		gemv:      gemvGeneric[T],
		transpose: transposeGeneric[T],
		fma:       fmaGeneric[T],
	}
}

// Set is one level: its name and its kernels for float32 and float64.
// NewSet makes it; it is never written afterwards, so that a caller
// holds the Set it runs at and different callers may run different
// levels at once.
type Set struct {
	level Level
	f32   Table[float32]
	f64   Table[float64]
}

// Level is the set's name.
func (s *Set) Level() Level { return s.level }

// For is s's kernels for elements of type T.
func For[T compute.Float](s *Set) *Table[T] {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(&s.f32).(*Table[T])
	}
	return any(&s.f64).(*Table[T])
}

// newSet makes the set of level l from its tables. A SIMD level that
// brings no gemv of its own runs gemvRows on its dot kernel.
func newSet(l Level, f32 Table[float32], f64 Table[float64]) *Set {
	s := &Set{level: l, f32: f32, f64: f64}
	if s.f32.gemv == nil {
		s.f32.gemv = s.f32.gemvRows
	}
	if s.f64.gemv == nil {
		s.f64.gemv = s.f64.gemvRows
	}
	return s
}

// NewSet makes the kernels of level l, which must be one of Available:
// the error says which levels this CPU runs.
func NewSet(l Level) (*Set, error) {
	if l == Generic {
		return newSet(Generic, genericTable[float32](), genericTable[float64]()), nil
	}
	if !slices.Contains(Available(), l) {
		return nil, unavailable(l)
	}
	return newAsmSet(l), nil
}
