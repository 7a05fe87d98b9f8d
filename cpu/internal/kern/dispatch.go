package kern

import (
	"fmt"
	"strings"

	"github.com/gpubench/gpubench/compute"
)

// Level names a set of kernel implementations: the pure-Go generic code,
// or SIMD code for one instruction-set level.
type Level string

const (
	Generic Level = "generic"
	AVX2    Level = "avx2" // AVX2 + FMA3, 256-bit
	AVX512  Level = "avx512"
	NEON    Level = "neon"
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
// The sets of the levels this CPU runs are made once, at start-up
// (Sets), and never written afterwards: a caller holds the Set it runs
// at, so that different callers may run different levels at once.
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

// sets lists the levels this CPU runs, generic first and the best last.
// It is made at start-up and never written afterwards.
var sets = append([]*Set{newSet(Generic, genericTable[float32](), genericTable[float64]())}, asmSets()...)

// Sets lists the levels available on this CPU, generic first and the
// best last.
func Sets() []*Set { return sets }

// Levels names the levels available on this CPU, generic first and the
// best last.
func Levels() []Level {
	out := make([]Level, len(sets))
	for i, s := range sets {
		out[i] = s.level
	}
	return out
}

// Default is the best level this CPU runs.
func Default() *Set { return sets[len(sets)-1] }

// Lookup reads a level's name (case-insensitive) and returns its set if
// this CPU runs it; the error says which levels it does.
func Lookup(name string) (*Set, error) {
	l := Level(strings.ToLower(strings.TrimSpace(name)))
	for _, s := range sets {
		if s.level == l {
			return s, nil
		}
	}
	return nil, fmt.Errorf("CPU level %q is not available here: choose one of %v", name, Levels())
}
