package blas

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// forEachLevel runs f on an Implementation at every level this CPU runs
// (only generic under -tags noasm), with two workers, and the kernels at
// every size, small calls included.
func forEachLevel(t *testing.T, f func(t *testing.T, im Implementation)) {
	for _, l := range kern.Available() {
		t.Run(string(l), func(t *testing.T) {
			im := allOnKernels(t, l)
			defer im.Close()
			if im.Level() != l {
				t.Fatalf("New(%s) runs at %s", l, im.Level())
			}
			f(t, im)
		})
	}
}

// allOnKernels is an Implementation at level l with two workers that
// runs every call it takes on the kernels, the small ones too.
func allOnKernels(t *testing.T, l Level) Implementation {
	im, err := New(Options{Level: l, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	im.s.allSizes = true
	return im
}

// guard is how many NaN elements guard each operand's storage on either
// side; rows are padded with NaN too. A read of them makes a result NaN,
// a write changes their bits.
const guard = 4

// guarded is a rows×cols matrix (a vector is one row) in row-major
// storage with row stride ld, NaN in the padding of each row, and guard
// NaN elements before and after.
type guarded[T compute.Float] struct {
	buf            []T
	rows, cols, ld int
	start          int // storage index of element (0, 0)
	before         []T // buf as made, to check what changed
	extra          int // NaN elements the call's slice has past the matrix
}

// newGuarded makes a rows×cols matrix with row stride cols+pad, its
// elements drawn by elem (nil: NaN), and extra NaN elements at the end
// of the slice a call gets.
func newGuarded[T compute.Float](rows, cols, pad, extra int, elem func() T) *guarded[T] {
	return newGuardedAt(0, rows, cols, pad, extra, elem)
}

// newVector makes a vector of n elements that starts off elements past
// an aligned one, with extra NaN elements at the end of its slice.
func newVector[T compute.Float](n, off, extra int, elem func() T) *guarded[T] {
	return newGuardedAt(off, 1, n, 0, extra, elem)
}

func newGuardedAt[T compute.Float](off, rows, cols, pad, extra int, elem func() T) *guarded[T] {
	g := &guarded[T]{rows: rows, cols: cols, ld: max(cols, 1) + pad, start: guard + off, extra: extra}
	g.buf = make([]T, g.start+guard+max(rows, 1)*g.ld+extra)
	for i := range g.buf {
		g.buf[i] = T(math.NaN())
	}
	if elem != nil {
		for i := range rows {
			for j := range cols {
				g.buf[g.start+i*g.ld+j] = elem()
			}
		}
	}
	g.before = append([]T(nil), g.buf...)
	return g
}

// data is the slice a call gets: from the first element to the end of
// the last row, as gonum asks even of an empty row, and extra elements
// more.
func (g *guarded[T]) data() []T {
	n := 0
	if g.rows > 0 {
		n = (g.rows-1)*g.ld + g.cols
	}
	return g.buf[g.start : g.start+n+g.extra]
}

// at is element (i, j).
func (g *guarded[T]) at(i, j int) T { return g.buf[g.start+i*g.ld+j] }

// was is element (i, j) as made.
func (g *guarded[T]) was(i, j int) T { return g.before[g.start+i*g.ld+j] }

// inside says whether storage index idx is an element of the matrix.
func (g *guarded[T]) inside(idx int) bool {
	idx -= g.start
	return idx >= 0 && idx/g.ld < g.rows && idx%g.ld < g.cols
}

// unchanged reports storage the call was not to write (outside the
// matrix, or all of it where whole is set) whose bits changed.
func (g *guarded[T]) unchanged(t *testing.T, name string, whole bool) {
	t.Helper()
	for i := range g.buf {
		if !whole && g.inside(i) {
			continue
		}
		if math.Float64bits(float64(g.buf[i])) != math.Float64bits(float64(g.before[i])) {
			t.Fatalf("%s changed at storage index %d (%d×%d, ld %d): %v, was %v", name, i, g.rows, g.cols, g.ld, g.buf[i], g.before[i])
		}
	}
}

// uniform draws from [−1, 1).
func uniform[T compute.Float](rng *rand.Rand) func() T {
	return func() T { return T(rng.Float64()*2 - 1) }
}

// within reports got unless it is within bound of want, NaN matching
// NaN and an infinity itself.
func within(t *testing.T, what string, got, want, bound float64) {
	t.Helper()
	if got == want || math.IsNaN(want) && math.IsNaN(got) {
		return
	}
	if !(math.Abs(got-want) <= bound) {
		t.Fatalf("%s = %v, want %v ± %.3g", what, got, want, bound)
	}
}
