package gemm

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// guard is the padding after each row and around each matrix: reading
// it into a result makes NaN, writing it changes its bits.
const guard = 5

// problem is one gemm with float64 copies of its inputs and padded,
// guarded storage for the tested type.
type problem[T compute.Float] struct {
	m, n, k       int
	alpha, beta   T
	lda, ldb, ldc int
	a, b, c       []T // with guard bands: a[guard:] is A
	c0            []T // C before the call
}

func newProblem[T compute.Float](rng *rand.Rand, m, n, k int, alpha, beta T) *problem[T] {
	p := &problem[T]{m: m, n: n, k: k, alpha: alpha, beta: beta,
		lda: max(k, 1) + guard, ldb: max(n, 1) + guard, ldc: max(n, 1) + guard}
	nanT := T(math.NaN())
	fill := func(rows, cols, ld int, finite bool) []T {
		s := make([]T, 2*guard+rows*ld)
		for i := range s {
			s[i] = nanT
		}
		for i := range rows {
			for j := range cols {
				if finite {
					s[guard+i*ld+j] = T(rng.Float64()*2 - 1)
				}
			}
		}
		return s
	}
	p.a = fill(m, k, p.lda, true)
	p.b = fill(k, n, p.ldb, true)
	// C holds NaN where β = 0: it must not be read.
	p.c = fill(m, n, p.ldc, beta != 0)
	p.c0 = append([]T(nil), p.c...)
	return p
}

func (p *problem[T]) args() (a, b, c []T) {
	return stored(p.a, p.m, p.k, p.lda, false), stored(p.b, p.k, p.n, p.ldb, false), stored(p.c, p.m, p.n, p.ldc, false)
}

// check compares C with a float64 triple loop, element by element within
// compute.Bound, and checks that the guard bands and padding of C are
// unchanged and that A and B are unchanged.
func (p *problem[T]) check(t *testing.T, dt compute.DType, a0, b0 []T) {
	t.Helper()
	pr := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(p.m, p.n, p.k), DType: dt}
	bad := 0
	for i := range p.m {
		for j := range p.n {
			var sum, mag float64
			for q := range p.k {
				x := float64(p.a[guard+i*p.lda+q]) * float64(p.b[guard+q*p.ldb+j])
				sum += x
				mag += math.Abs(x)
			}
			want := float64(p.alpha) * sum
			mag *= math.Abs(float64(p.alpha))
			if p.beta != 0 {
				c0 := float64(p.c0[guard+i*p.ldc+j])
				want += float64(p.beta) * c0
				mag += math.Abs(float64(p.beta) * c0)
			}
			got := float64(p.c[guard+i*p.ldc+j])
			bound := pr.Bound(0, mag)
			if !(math.Abs(got-want) <= bound) {
				if bad < 5 {
					t.Errorf("m=%d n=%d k=%d α=%v β=%v: C[%d,%d] = %v, want %v ± %.3g", p.m, p.n, p.k, p.alpha, p.beta, i, j, got, want, bound)
				}
				bad++
			}
		}
	}
	// Everything of C's storage outside C is bit-for-bit unchanged.
	for idx := range p.c {
		r, col := (idx-guard)/p.ldc, (idx-guard)%p.ldc
		if idx >= guard && r < p.m && col < p.n {
			continue
		}
		if math.Float64bits(float64(p.c[idx])) != math.Float64bits(float64(p.c0[idx])) {
			t.Fatalf("m=%d n=%d k=%d: wrote outside C at storage index %d", p.m, p.n, p.k, idx)
		}
	}
	for i := range a0 {
		if math.Float64bits(float64(a0[i])) != math.Float64bits(float64(p.a[i])) {
			t.Fatalf("A changed at %d", i)
		}
	}
	for i := range b0 {
		if math.Float64bits(float64(b0[i])) != math.Float64bits(float64(p.b[i])) {
			t.Fatalf("B changed at %d", i)
		}
	}
}

type gemmFunc[T compute.Float] func(p *pool.Pool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// at is Gemm at level lv, with a Cache of its own.
func at[T compute.Float](lv *Level) gemmFunc[T] {
	var ca Cache[T]
	return func(p *pool.Pool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
		Gemm(lv, &ca, p, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

func run[T compute.Float](t *testing.T, f gemmFunc[T], dt compute.DType, pl *pool.Pool, rng *rand.Rand, m, n, k int, alpha, beta T) {
	t.Helper()
	p := newProblem(rng, m, n, k, alpha, beta)
	a0 := append([]T(nil), p.a...)
	b0 := append([]T(nil), p.b...)
	a, b, c := p.args()
	f(pl, m, n, k, alpha, a, p.lda, b, p.ldb, beta, c, p.ldc)
	p.check(t, dt, a0, b0)
}

var (
	oddSizes   = []int{0, 1, 2, 3, 7, 31, 33, 127}
	alphaBetas = [][2]float64{{1, 0}, {1, 1}, {-1.5, 0.5}, {0.75, -2}, {0, 0.5}, {0, 0}, {2, 0}}
)

func TestGemmOddSizes(t *testing.T) {
	forEachLevel(t, func(t *testing.T, lv *Level) {
		rng := rand.New(rand.NewPCG(1, 1))
		for _, m := range oddSizes {
			for _, n := range oddSizes {
				for _, k := range oddSizes {
					ab := alphaBetas[(m+n+k)%len(alphaBetas)]
					run(t, at[float32](lv), compute.Float32, nil, rng, m, n, k, float32(ab[0]), float32(ab[1]))
					run(t, at[float64](lv), compute.Float64, nil, rng, m, n, k, ab[0], ab[1])
				}
			}
		}
	})
}

func TestGemmAlphaBeta(t *testing.T) {
	forEachLevel(t, func(t *testing.T, lv *Level) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, ab := range alphaBetas {
			for _, s := range [][3]int{{33, 31, 7}, {1, 127, 3}, {127, 1, 31}, {2, 3, 0}} {
				run(t, at[float32](lv), compute.Float32, nil, rng, s[0], s[1], s[2], float32(ab[0]), float32(ab[1]))
				run(t, at[float64](lv), compute.Float64, nil, rng, s[0], s[1], s[2], ab[0], ab[1])
			}
		}
	})
}

// TestGemmEdgeTiles runs every shape of edge tile each level's kernel
// meets: m and n at each remainder modulo mr and nr, k across the kc
// block, and m, n across the mc and nc blocks.
func TestGemmEdgeTiles(t *testing.T) {
	forEachLevel(t, func(t *testing.T, lv *Level) {
		edgeTiles[float32](t, lv, compute.Float32)
		edgeTiles[float64](t, lv, compute.Float64)
	})
}

func edgeTiles[T compute.Float](t *testing.T, lv *Level, dt compute.DType) {
	kern, f := kernelOf[T](lv), at[T](lv)
	rng := rand.New(rand.NewPCG(2, uint64(kern.mr)))
	mr, nr, bs := kern.mr, kern.nr, kern.blocks
	for m := 1; m <= 2*mr+1; m++ {
		for n := 1; n <= 2*nr+1; n++ {
			run(t, f, dt, nil, rng, m, n, 5, T(1.25), T(-0.5))
		}
	}
	for _, k := range []int{bs.kc - 1, bs.kc, bs.kc + 1, 2*bs.kc + 3} {
		run(t, f, dt, nil, rng, mr+1, nr+1, k, T(1), T(1))
		run(t, f, dt, nil, rng, mr+1, nr+1, k, T(-1), T(0))
	}
	run(t, f, dt, nil, rng, bs.mc+mr+1, nr-1, 3, T(1), T(0.5))
	run(t, f, dt, nil, rng, mr-1, bs.nc+nr+1, 3, T(1), T(0.5))
}

// TestGemmParallel checks that any number of workers gives the same bits
// as one: the cuts fall on micro-tile boundaries and every element sums
// in the same order.
func TestGemmParallel(t *testing.T) {
	forEachLevel(t, func(t *testing.T, lv *Level) {
		for _, workers := range []int{2, 3, 4} {
			pl := pool.New(workers)
			defer pl.Close()
			for _, s := range [][3]int{{200, 200, 200}, {257, 131, 301}, {5, 1000, 900}, {1000, 7, 900}, {2*lv.k32.mr*workers + 3, 300, 100}} {
				parallelSame(t, pl, s, at[float32](lv))
				parallelSame(t, pl, s, at[float64](lv))
			}
		}
	})
}

func parallelSame[T compute.Float](t *testing.T, pl *pool.Pool, s [3]int, f gemmFunc[T]) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, uint64(s[0])))
	m, n, k := s[0], s[1], s[2]
	p := newProblem[T](rng, m, n, k, T(0.5), T(1.5))
	a, b, c := p.args()
	c2 := append([]T(nil), c...)
	f(nil, m, n, k, p.alpha, a, p.lda, b, p.ldb, p.beta, c, p.ldc)
	f(pl, m, n, k, p.alpha, a, p.lda, b, p.ldb, p.beta, c2, p.ldc)
	for i := range c {
		if math.Float64bits(float64(c[i])) != math.Float64bits(float64(c2[i])) {
			t.Fatalf("%T %v with %d workers: element %d = %v, serial %v", c[0], s, pl.Workers(), i, c2[i], c[i])
		}
	}
}

func TestGemmNoAllocs(t *testing.T) {
	pl := pool.New(2)
	defer pl.Close()
	const n = 200
	a32, c32 := make([]float32, n*n), make([]float32, n*n)
	a64, c64 := make([]float64, n*n), make([]float64, n*n)
	lv := best(t)
	var ca32 Cache[float32]
	var ca64 Cache[float64]
	for _, p := range []*pool.Pool{nil, pl} {
		if got := testing.AllocsPerRun(10, func() { Gemm(lv, &ca32, p, n, n, n, 1, a32, n, a32, n, 0, c32, n) }); got != 0 {
			t.Errorf("float32 Gemm with %d workers: %v allocations per call, want 0", workersOf(p), got)
		}
		if got := testing.AllocsPerRun(10, func() { Gemm(lv, &ca64, p, n, n, n, 1, a64, n, a64, n, 1, c64, n) }); got != 0 {
			t.Errorf("float64 Gemm with %d workers: %v allocations per call, want 0", workersOf(p), got)
		}
	}
}

func workersOf(p *pool.Pool) int {
	if p == nil {
		return 1
	}
	return p.Workers()
}

func TestGemmPanics(t *testing.T) {
	s := make([]float32, 100)
	for _, tc := range []struct {
		name          string
		m, n, k       int
		a, b, c       []float32
		lda, ldb, ldc int
	}{
		{"negative", -1, 2, 2, s, s, s, 2, 2, 2},
		{"lda", 3, 3, 3, s, s, s, 2, 3, 3},
		{"ldb", 3, 3, 3, s, s, s, 3, 2, 3},
		{"ldc", 3, 3, 3, s, s, s, 3, 3, 2},
		{"short a", 3, 3, 3, s[:8], s, s, 3, 3, 3},
		{"short b", 3, 3, 3, s, s[:8], s, 3, 3, 3},
		{"short c", 3, 3, 3, s, s, s[:8], 3, 3, 3},
	} {
		func() {
			defer func() {
				r := recover()
				if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "gemm: ") {
					t.Errorf("%s: recovered %v, want a panic with prefix \"gemm: \"", tc.name, r)
				}
			}()
			Gemm(best(t), nil, nil, tc.m, tc.n, tc.k, 1, tc.a, tc.lda, tc.b, tc.ldb, 0, tc.c, tc.ldc)
		}()
	}
}

func TestGrid(t *testing.T) {
	for _, tc := range []struct{ workers, tm, tn, gm, gn int }{
		{1, 10, 10, 1, 1},
		{2, 10, 10, 2, 1},
		{2, 1, 10, 1, 2},
		{4, 10, 10, 2, 2},
		{4, 100, 1, 4, 1},
		{3, 2, 30, 1, 3},
	} {
		gm, gn := grid(tc.workers, tc.tm, tc.tn)
		if gm != tc.gm || gn != tc.gn {
			t.Errorf("grid(%d, %d, %d) = %d×%d, want %d×%d", tc.workers, tc.tm, tc.tn, gm, gn, tc.gm, tc.gn)
		}
	}
}

// forEachLevel runs f at the gemm level of every level this CPU runs.
func forEachLevel(t *testing.T, f func(t *testing.T, lv *Level)) {
	for _, l := range kern.Available() {
		t.Run(string(l), func(t *testing.T) { f(t, levelOf(t, l)) })
	}
}

// TestLevels: NewLevel makes every level this CPU runs under its own
// name, with kernels of its own, and refuses every other known level
// (neon has no micro-kernels, so it never falls back to the generic
// one) and every unknown name.
func TestLevels(t *testing.T) {
	have := kern.Available()
	for _, l := range append(kern.Known(), "no-such-level") {
		lv, err := NewLevel(l, testCaches())
		if !slices.Contains(have, l) {
			if err == nil || !errors.Is(err, compute.ErrUnavailable) {
				t.Errorf("NewLevel(%s) on a CPU that runs %v = %v, %v; want ErrUnavailable", l, have, lv, err)
			}
			continue
		}
		if err != nil || lv.Name() != string(l) {
			t.Fatalf("NewLevel(%s) = %v, %v; want the level of that name", l, lv, err)
		}
		if kernelOf[float32](lv) != lv.k32 || kernelOf[float64](lv) != lv.k64 {
			t.Errorf("%s: kernelOf does not return the level's own kernels", lv.Name())
		}
		if l != kern.Generic && lv.k32.name != string(l) {
			t.Errorf("%s runs the %s micro-kernel", l, lv.k32.name)
		}
	}
}

func TestDescribe(t *testing.T) {
	for _, l := range kern.Available() {
		d := levelOf(t, l).Describe()
		if !strings.Contains(d, "f32 ") || !strings.Contains(d, "kc ") {
			t.Errorf("Describe(%s) = %q", l, d)
		}
		t.Log(d)
	}
}
