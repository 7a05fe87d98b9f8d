package gemm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// TestGemmTrans checks that GemmTrans with A, B or both stored
// transposed gives the bits of Gemm on the same operands stored plainly
// (the packed panels are the same), leaves the transposed storage and
// its guard bands alone, and writes nothing outside C: at odd sizes,
// across each level's edge tiles and kc block, and down both parallel
// paths.
func TestGemmTrans(t *testing.T) {
	forEachLevel(t, func(t *testing.T, lv *Level) {
		transSame[float32](t, lv)
		transSame[float64](t, lv)
	})
}

func transSame[T compute.Float](t *testing.T, lv *Level) {
	kn := kernelOf[T](lv)
	shapes := [][3]int{{0, 3, 2}, {3, 0, 2}, {2, 3, 0}, {1, 1, 1}, {7, 31, 33}, {33, 7, 31},
		{kn.mr + 1, kn.nr - 1, kn.blocks.kc + 1}, {2*kn.mr - 1, 2*kn.nr + 1, 5}}
	var workers []int
	if !(raceEnabled && lv.Name() == string(kern.Generic)) {
		// Above serialFlops, so that they run in parallel: as strips and
		// as the static split.
		shapes = append(shapes, [3]int{200, 130, 170}, [3]int{5, 1000, 900})
		workers = []int{2}
	}
	rng := rand.New(rand.NewPCG(7, uint64(kn.mr)))
	for _, s := range shapes {
		for _, w := range append([]int{1}, workers...) {
			var pl *pool.Pool
			if w > 1 {
				pl = pool.New(w)
			}
			for _, tr := range [][2]bool{{true, false}, {false, true}, {true, true}} {
				transCase[T](t, lv, pl, rng, s[0], s[1], s[2], tr[0], tr[1])
			}
			if pl != nil {
				pl.Close()
			}
		}
	}
}

func transCase[T compute.Float](t *testing.T, lv *Level, pl *pool.Pool, rng *rand.Rand, m, n, k int, transA, transB bool) {
	t.Helper()
	p := newProblem(rng, m, n, k, T(1.5), T(-0.5))
	a, b, c := p.args()
	Gemm(lv, nil, pl, m, n, k, p.alpha, a, p.lda, b, p.ldb, p.beta, c, p.ldc)
	want := p.c

	ta, lda := p.a, p.lda
	if transA {
		ta, lda = transposed(p.a, m, k, p.lda)
	}
	tb, ldb := p.b, p.ldb
	if transB {
		tb, ldb = transposed(p.b, k, n, p.ldb)
	}
	ta0, tb0 := append([]T(nil), ta...), append([]T(nil), tb...)
	got := append([]T(nil), p.c0...)
	GemmTrans(lv, nil, pl, transA, transB, m, n, k, p.alpha, stored(ta, m, k, lda, transA), lda,
		stored(tb, k, n, ldb, transB), ldb, p.beta, got[guard:guard+len(c)], p.ldc)
	for i := range want {
		if math.Float64bits(float64(got[i])) != math.Float64bits(float64(want[i])) {
			t.Fatalf("%T m=%d n=%d k=%d transA=%v transB=%v on %d workers: storage index %d = %v, plain operands give %v",
				got[0], m, n, k, transA, transB, workersOf(pl), i, got[i], want[i])
		}
	}
	for _, s := range [][2][]T{{ta, ta0}, {tb, tb0}} {
		for i := range s[0] {
			if math.Float64bits(float64(s[0][i])) != math.Float64bits(float64(s[1][i])) {
				t.Fatalf("m=%d n=%d k=%d transA=%v transB=%v: an operand changed at storage index %d", m, n, k, transA, transB, i)
			}
		}
	}
}

// transposed stores the rows×cols matrix held in s (guard bands, row
// stride ld) as its transpose, cols×rows, with guard bands and NaN
// padding of its own.
func transposed[T compute.Float](s []T, rows, cols, ld int) ([]T, int) {
	ldt := max(rows, 1) + guard
	out := make([]T, 2*guard+max(cols, 1)*ldt)
	for i := range out {
		out[i] = T(math.NaN())
	}
	for i := range rows {
		for j := range cols {
			out[guard+j*ldt+i] = s[guard+i*ld+j]
		}
	}
	return out, ldt
}

// stored is the slice a call passes for the rows×cols operand held in s
// (stored transposed where trans is set): from the guard band to the
// end of its last stored row.
func stored[T compute.Float](s []T, rows, cols, ld int, trans bool) []T {
	if trans {
		rows, cols = cols, rows
	}
	if rows == 0 || cols == 0 {
		return s[guard:guard]
	}
	return s[guard : guard+(rows-1)*ld+cols]
}
