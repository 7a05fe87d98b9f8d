package kern

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// sizes covers 0..3×16+1 (every tail of a 16-lane vector, three times
// over), primes, the leaf edges, and sizes over many leaves.
var sizes = func() []int {
	var s []int
	for n := 0; n <= 3*16+1; n++ {
		s = append(s, n)
	}
	return append(s, 53, 97, 127, 251, 509, 511, 512, 513, 1000, 1023, 1024, 1025, 4099, 65537, 1<<20+3)
}()

// guard is the number of NaN elements on each side of a slice under test:
// a kernel that reads one turns its result into NaN, and one that writes
// one changes its bits.
const guard = 16

// guarded returns a slice holding v that starts off elements into buf,
// whose other elements are NaN.
func guarded[T float32 | float64](v []T, off int) (buf, s []T) {
	buf = make([]T, guard+off+len(v)+guard)
	nan := T(math.NaN())
	for i := range buf {
		buf[i] = nan
	}
	copy(buf[guard+off:], v)
	return buf, buf[guard+off : guard+off+len(v)]
}

// bandsNaN reports whether buf, made by guarded around n elements at off,
// still holds NaN outside them.
func bandsNaN[T float32 | float64](buf []T, n, off int) bool {
	for i, v := range buf {
		if (i < guard+off || i >= guard+off+n) && v == v {
			return false
		}
	}
	return true
}

func conv[T float32 | float64](v []float64) []T {
	out := make([]T, len(v))
	for i, x := range v {
		out[i] = T(x)
	}
	return out
}

func widen[T float32 | float64](v []T) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// kernels are the catalogue's kernels this package holds: all but gemm.
var kernels = []compute.Kernel{compute.Copy, compute.Scale, compute.Add, compute.Triad, compute.Saxpy,
	compute.Dot, compute.Sum, compute.Gemv, compute.Transpose, compute.FMA}

// runKernel runs one catalogue kernel through table tab.
func runKernel[T compute.Float](tab *Table[T], k compute.Kernel, s compute.Shape, out []T, a T, in [][]T) {
	switch k {
	case compute.Copy:
		tab.Copy(out, in[0])
	case compute.Scale:
		tab.Scale(out, a, in[0])
	case compute.Add:
		tab.Add(out, in[0], in[1])
	case compute.Triad:
		tab.Triad(out, in[0], a, in[1])
	case compute.Saxpy:
		tab.Axpy(out, a, in[0], in[1])
	case compute.Dot:
		out[0] = tab.Dot(in[0], in[1])
	case compute.Sum:
		out[0] = tab.Sum(in[0])
	case compute.Gemv:
		tab.Gemv(out, in[0], s.N, in[1])
	case compute.Transpose:
		tab.Transpose(out, s.M, in[0], s.N, s.M, s.N)
	case compute.FMA:
		tab.FMA(out, in[0], compute.FMAMul, compute.FMAAdd, s.K)
	default:
		panic("kern test: no kernel " + k.String())
	}
}

// shapes lists the shapes a kernel is tested at: every size for vector
// kernels; for gemv and transpose, rows and columns from the sizes up to
// 65 and a few large, tile-straddling ones; for fma, every size with
// step counts from one (the loop's edge) to past an unrolled block, and
// fewer steps as the sizes grow.
func shapes(k compute.Kernel, short bool) []compute.Shape {
	var out []compute.Shape
	switch k.Form() {
	case compute.ChainForm:
		for _, n := range sizes {
			steps := []int{1, 2, 3, 13}
			switch {
			case n == 0:
				continue // TestEmpty
			case n > 1<<16:
				steps = []int{3}
			case n > 3*16+1:
				steps = []int{1, 7}
			}
			for _, st := range steps {
				out = append(out, compute.Chain(n, st))
			}
		}
	case compute.VectorForm:
		for _, n := range sizes {
			if n == 0 && k.Reduction() {
				continue // tested on its own: the sum of nothing is 0
			}
			if n > 0 {
				out = append(out, compute.Vec(n))
			}
		}
	default:
		dims := []int{1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 32, 33, 63, 65}
		if short {
			dims = []int{1, 3, 4, 5, 31, 33}
		}
		for _, m := range dims {
			for _, n := range dims {
				out = append(out, compute.Mat(m, n))
			}
		}
		out = append(out, compute.Mat(257, 1000), compute.Mat(1031, 1024), compute.Mat(1, 4099), compute.Mat(4099, 1))
	}
	return out
}

// problem is kernel k at shape s in T, with the α the tests use.
func problem[T compute.Float](k compute.Kernel, s compute.Shape) compute.Problem {
	return compute.Problem{Kernel: k, Shape: s, DType: compute.DTypeOf[T](), Alpha: -1.5}
}

// runCase runs kernel k through tab at shape s with inputs and output
// offset by off elements inside NaN guard bands, and checks the result
// against the float64 reference within its derived bound, the guard
// bands, and that the inputs did not change. It returns the result for
// comparison across levels.
func runCase[T compute.Float](t *testing.T, tab *Table[T], k compute.Kernel, s compute.Shape, off int) (got, mag []float64) {
	t.Helper()
	p := problem[T](k, s)
	dt := p.DType
	in64 := ref.Inputs(p, uint64(s.M*131+s.N+off))
	want, mag, err := ref.Compute(p, in64)
	if err != nil {
		t.Fatal(err)
	}
	in := make([][]T, len(in64))
	bufs := make([][]T, len(in64))
	for i, v := range in64 {
		bufs[i], in[i] = guarded(conv[T](v), off)
	}
	outBuf, out := guarded(make([]T, len(want)), off)
	for i := range out {
		out[i] = T(math.NaN()) // an element left unwritten fails
	}
	runKernel(tab, k, s, out, T(p.Alpha), in)
	got = widen(out)
	if chk := ref.Verify(p, Leaf, got, want, mag); !chk.OK {
		t.Fatalf("%s %v %s offset %d: %d elements wrong; first: %s", k, dt, s.Format(k), off, chk.Bad, chk.Reason)
	}
	for i, v := range in {
		if !slices.Equal(widen(v), in64[i]) {
			t.Fatalf("%s %v %s offset %d: input %s changed", k, dt, s.Format(k), off, k.Inputs()[i])
		}
		if !bandsNaN(bufs[i], len(v), off) {
			t.Fatalf("%s %v %s offset %d: guard band of input %s changed", k, dt, s.Format(k), off, k.Inputs()[i])
		}
	}
	if !bandsNaN(outBuf, len(out), off) {
		t.Fatalf("%s %v %s offset %d: a write landed outside out", k, dt, s.Format(k), off)
	}
	return got, mag
}

// TestKernels checks every kernel at every level this CPU runs, in both
// dtypes, against the float64 reference and against the generic code.
func TestKernels(t *testing.T) {
	generic := sets(t)[0]
	for _, set := range sets(t) {
		t.Run(string(set.Level()), func(t *testing.T) {
			for _, k := range kernels {
				// The race detector slows these loops tenfold; it looks for
				// races, which the small sizes show as well as the large.
				light := testing.Short() || raceEnabled
				for _, s := range shapes(k, light) {
					big := k.OperandLen("out", s)+s.N > 1<<16
					if big && light {
						continue
					}
					for off := 0; off < 4; off++ {
						if big && off > 1 {
							break // large sizes at one unaligned start are enough
						}
						got32, mag32 := runCase(t, For[float32](set), k, s, off)
						got64, mag64 := runCase(t, For[float64](set), k, s, off)
						if set == generic {
							continue
						}
						gen32, _ := runCase(t, For[float32](generic), k, s, off)
						gen64, _ := runCase(t, For[float64](generic), k, s, off)
						agree(t, problem[float32](k, s), got32, gen32, mag32)
						agree(t, problem[float64](k, s), got64, gen64, mag64)
					}
				}
			}
		})
	}
}

// agree checks a level's result against the generic code's: both are
// within the bound of the reference, so they differ by at most twice it;
// kernels of one rounding per element must match bit for bit.
func agree(t *testing.T, p compute.Problem, got, gen, mag []float64) {
	t.Helper()
	k := p.Kernel
	exact := k == compute.Copy || k == compute.Scale || k == compute.Add || k == compute.Transpose
	for i := range got {
		tol := 2 * p.Bound(Leaf, mag[i])
		if exact {
			tol = 0
		}
		if d := math.Abs(got[i] - gen[i]); d > tol || math.IsNaN(d) {
			t.Fatalf("%s %v %s: element %d is %g, generic gives %g", k, p.DType, p.Shape.Format(k), i, got[i], gen[i])
		}
	}
}

func TestEmpty(t *testing.T) {
	for _, set := range sets(t) {
		f32, f64 := For[float32](set), For[float64](set)
		var e32 []float32
		var e64 []float64
		f32.Copy(e32, e32)
		f64.Scale(e64, 2, e64)
		f32.Axpy(e32, 2, e32, e32)
		if f32.Dot(e32, e32) != 0 || f64.Dot(e64, e64) != 0 || f32.Sum(e32) != 0 || f64.Sum(e64) != 0 {
			t.Errorf("%s: the sum of nothing is not 0", set.Level())
		}
		f32.Gemv(e32, e32, 1, e32)
		f64.Gemv(e64, []float64{math.NaN()}, 1, e64) // m = 0 reads nothing
		f32.Transpose(e32, 1, e32, 1, 0, 0)
		f32.FMA(e32, e32, 0.5, 0.25, 3)
		f64.FMA(e64, e64, 0.5, 0.25, 0)
	}
}

// TestGemvStride checks that gemv reads only the first n elements of each
// row when lda > n: the padding is NaN.
func TestGemvStride(t *testing.T) {
	for _, set := range sets(t) {
		for _, d := range [][2]int{{1, 1}, {5, 3}, {9, 17}, {33, 64}, {64, 1000}} {
			gemvStride(t, set.Level(), For[float32](set), d[0], d[1])
			gemvStride(t, set.Level(), For[float64](set), d[0], d[1])
		}
	}
}

func gemvStride[T compute.Float](t *testing.T, l Level, tab *Table[T], m, n int) {
	t.Helper()
	p := problem[T](compute.Gemv, compute.Mat(m, n))
	in := ref.Inputs(p, 7)
	want, mag, _ := ref.Compute(p, in)
	lda := n + 5
	a := make([]T, (m-1)*lda+n)
	for i := range a {
		a[i] = T(math.NaN())
	}
	for i := 0; i < m; i++ {
		copy(a[i*lda:], conv[T](in[0][i*n:(i+1)*n]))
	}
	got := make([]T, m)
	tab.Gemv(got, a, lda, conv[T](in[1]))
	if chk := ref.Verify(p, Leaf, widen(got), want, mag); !chk.OK {
		t.Errorf("%s: gemv %v %dx%d lda %d: %s", l, p.DType, m, n, lda, chk.Reason)
	}
}

// TestTransposeStride checks that transpose writes only the first m
// elements of each output row when ldd > m.
func TestTransposeStride(t *testing.T) {
	for _, set := range sets(t) {
		l := set.Level()
		for _, d := range [][2]int{{1, 1}, {3, 5}, {33, 31}, {70, 100}} {
			m, n := d[0], d[1]
			lda, ldd := n+3, m+7
			a := make([]float32, (m-1)*lda+n)
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					a[i*lda+j] = float32(i*1000 + j)
				}
			}
			dst := make([]float32, (n-1)*ldd+m)
			for i := range dst {
				dst[i] = float32(math.NaN())
			}
			For[float32](set).Transpose(dst, ldd, a, lda, m, n)
			for j := 0; j < n; j++ {
				for i := 0; i < ldd && j*ldd+i < len(dst); i++ {
					v := dst[j*ldd+i]
					if i < m && v != float32(i*1000+j) {
						t.Fatalf("%s: transpose %dx%d: dst[%d][%d] = %g, want %d", l, m, n, j, i, v, i*1000+j)
					}
					if i >= m && v == v {
						t.Fatalf("%s: transpose %dx%d wrote the padding at dst[%d][%d]", l, m, n, j, i)
					}
				}
			}
		}
	}
}

// TestSumOnesExact: 2²⁵ ones sum to 2²⁵ exactly when summed pairwise
// (every partial sum is a power of two times a leaf's count), while a
// serial float32 sum sticks at 2²⁴, where adding 1 rounds back down.
func TestSumOnesExact(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("128 MiB of input")
	}
	const n = 1 << 25
	x := make([]float32, n)
	for i := range x {
		x[i] = 1
	}
	var serial float32
	for _, v := range x {
		serial += v
	}
	if serial == n {
		t.Fatalf("a serial float32 sum of 2^25 ones gave 2^25: the test shows nothing")
	}
	for _, set := range sets(t) {
		tab := For[float32](set)
		if got := tab.Sum(x); got != n {
			t.Errorf("%s: Sum of 2^25 float32 ones = %v, want %v", set.Level(), got, float32(n))
		}
		if got := tab.Dot(x, x); got != n {
			t.Errorf("%s: Dot of 2^25 float32 ones = %v, want %v", set.Level(), got, float32(n))
		}
	}
}

// TestSumPointOne sums 0.1 (rounded to float32) 2²⁰ times: the pairwise
// sum stays within the bound compute.Bound derives from Leaf, which a
// serial float32 sum breaks.
func TestSumPointOne(t *testing.T) {
	const n = 1 << 20
	x := make([]float32, n)
	for i := range x {
		x[i] = 0.1
	}
	want := float64(float32(0.1)) * n // exact in float64: 24 bits times 2^20
	bound := problem[float32](compute.Sum, compute.Vec(n)).Bound(Leaf, want)
	var serial float32
	for _, v := range x {
		serial += v
	}
	if e := math.Abs(float64(serial) - want); e <= bound {
		t.Fatalf("serial float32 error %g is within the pairwise bound %g: the test shows nothing", e, bound)
	}
	for _, set := range sets(t) {
		if e := math.Abs(float64(For[float32](set).Sum(x)) - want); e > bound {
			t.Errorf("%s: float32 Sum error %g beyond the bound %g", set.Level(), e, bound)
		}
	}
}

// TestBlocksMatchWhole checks BlockLen's promise: summing blocks apart
// and combining them with Partials gives the bits of the whole sum, at
// every level.
func TestBlocksMatchWhole(t *testing.T) {
	for _, set := range sets(t) {
		f32, f64 := For[float32](set), For[float64](set)
		for _, n := range []int{1, 511, 512, 513, 3*512 + 1, 7 * 512, 100000, 1<<20 + 3} {
			in := ref.Inputs(problem[float32](compute.Dot, compute.Vec(n)), 3)
			x, y := conv[float32](in[0]), conv[float32](in[1])
			x64, y64 := in[0], in[1]
			for _, maxBlocks := range []int{1, 2, 3, 5, 64} {
				bl := BlockLen(n, maxBlocks)
				if bl%Leaf != 0 || (n+bl-1)/bl > maxBlocks {
					t.Fatalf("BlockLen(%d, %d) = %d: not a multiple of Leaf, or too many blocks", n, maxBlocks, bl)
				}
				var p32, q32 []float32
				var p64 []float64
				for lo := 0; lo < n; lo += bl {
					hi := min(lo+bl, n)
					p32 = append(p32, f32.Sum(x[lo:hi]))
					q32 = append(q32, f32.Dot(x[lo:hi], y[lo:hi]))
					p64 = append(p64, f64.Dot(x64[lo:hi], y64[lo:hi]))
				}
				l := set.Level()
				if a, b := Partials(p32), f32.Sum(x); a != b {
					t.Errorf("%s n=%d blocks of %d: float32 Sum by blocks %v, whole %v", l, n, bl, a, b)
				}
				if a, b := Partials(q32), f32.Dot(x, y); a != b {
					t.Errorf("%s n=%d blocks of %d: float32 Dot by blocks %v, whole %v", l, n, bl, a, b)
				}
				if a, b := Partials(p64), f64.Dot(x64, y64); a != b {
					t.Errorf("%s n=%d blocks of %d: float64 Dot by blocks %v, whole %v", l, n, bl, a, b)
				}
			}
		}
	}
}

// TestLevels checks the levels: generic first and available wherever
// the others are not, every known name parsed (case-insensitive,
// trimmed) and an unknown one refused, and NewSet making each available
// level under its own name and refusing the others. (Which one a
// backend runs as levels are disabled is the cpu package's BestEngine,
// tested there.)
func TestLevels(t *testing.T) {
	ls := Available()
	if len(ls) == 0 || ls[0] != Generic {
		t.Fatalf("Available() = %v, want generic first", ls)
	}
	for _, k := range Known() {
		if l, err := ParseLevel(" " + strings.ToUpper(string(k)) + " "); err != nil || l != k {
			t.Errorf("ParseLevel(%q) = %q, %v", strings.ToUpper(string(k)), l, err)
		}
		s, err := NewSet(k)
		switch {
		case slices.Contains(ls, k) && (err != nil || s.Level() != k):
			t.Errorf("NewSet(%s) = %v, %v; want the set of that level", k, s, err)
		case !slices.Contains(ls, k) && (err == nil || !errors.Is(err, compute.ErrUnavailable)):
			t.Errorf("NewSet(%s) on a CPU that runs %v: %v; want ErrUnavailable", k, ls, err)
		}
	}
	for _, bad := range []string{"no-such-level", "", "avx"} {
		if l, err := ParseLevel(bad); err == nil || !errors.Is(err, compute.ErrUsage) {
			t.Errorf("ParseLevel(%q) = %q, %v; want ErrUsage", bad, l, err)
		}
	}
	ss := sets(t)
	for _, s := range ss {
		if For[float32](s) != &s.f32 || For[float64](s) != &s.f64 {
			t.Errorf("%s: For does not return the set's own tables", s.Level())
		}
	}
	if a := testing.AllocsPerRun(100, func() { _, _ = For[float32](ss[0]), For[float64](ss[len(ss)-1]) }); a != 0 {
		t.Errorf("For allocates %v times", a)
	}
}

// TestFMANoSteps: zero steps copy x, at every level and every length
// around the vector and block widths.
func TestFMANoSteps(t *testing.T) {
	for _, set := range sets(t) {
		for n := range 200 {
			x32, x64 := make([]float32, n), make([]float64, n)
			for i := range n {
				x32[i], x64[i] = float32(i)-7.5, float64(i)*1e300
			}
			d32, d64 := make([]float32, n), make([]float64, n)
			For[float32](set).FMA(d32, x32, 0.5, 0.25, 0)
			For[float64](set).FMA(d64, x64, 0.5, 0.25, 0)
			if !slices.Equal(d32, x32) || !slices.Equal(d64, x64) {
				t.Fatalf("%s: FMA with k = 0, n = %d, does not copy x", set.Level(), n)
			}
		}
	}
}

// TestFMAOtherConstants: with a multiplier that is not a power of two
// the levels that fuse and the generic code that does not differ, but
// each stays within twice the one-rounding bound (two roundings a step)
// of the float64 chain; a long chain stays bounded.
func TestFMAOtherConstants(t *testing.T) {
	const mul, add = 0.7, -0.3 // fixed point −1
	for _, set := range sets(t) {
		l := set.Level()
		for _, n := range []int{1, 17, 100, 1000} {
			for _, k := range []int{1, 5, 300} {
				x := make([]float64, n)
				for i := range x {
					x[i] = math.Sin(float64(i))
				}
				got := make([]float64, n)
				For[float64](set).FMA(got, x, mul, add, k)
				got32 := make([]float32, n)
				For[float32](set).FMA(got32, conv[float32](x), mul, add, k)
				for i, v := range x {
					a, m := v, math.Abs(v)
					worst := m
					for range k {
						a, m = a*mul+add, m*mul+math.Abs(add)
						worst = max(worst, m)
					}
					// Σ μ^i ≤ 1/(1 − μ) roundings of at most 2u·worst each.
					bound := func(u float64) float64 { return 2 * u * worst / (1 - mul) * 1.01 }
					if e := math.Abs(got[i] - a); e > bound(0x1p-53) {
						t.Fatalf("%s: float64 FMA n=%d k=%d element %d: %g, want %g", l, n, k, i, got[i], a)
					}
					if e := math.Abs(float64(got32[i]) - a); e > bound(0x1p-24)+bound(0x1p-53) {
						t.Fatalf("%s: float32 FMA n=%d k=%d element %d: %g, want %g", l, n, k, i, got32[i], a)
					}
				}
			}
		}
	}
}

func TestMismatchPanics(t *testing.T) {
	f32, f64 := For[float32](best(t)), For[float64](best(t))
	for name, f := range map[string]func(){
		"Copy float32":      func() { f32.Copy(make([]float32, 3), make([]float32, 2)) },
		"Axpy float64":      func() { f64.Axpy(make([]float64, 3), 1, make([]float64, 3), make([]float64, 4)) },
		"Dot float32":       func() { f32.Dot(make([]float32, 3), make([]float32, 4)) },
		"Gemv float32":      func() { f32.Gemv(make([]float32, 3), make([]float32, 8), 3, make([]float32, 3)) },
		"Transpose float64": func() { f64.Transpose(make([]float64, 5), 2, make([]float64, 6), 3, 2, 3) },
		"FMA float32":       func() { f32.FMA(make([]float32, 3), make([]float32, 4), 0.5, 0.25, 1) },
		"FMA float64 k<0":   func() { f64.FMA(make([]float64, 3), make([]float64, 3), 0.5, 0.25, -1) },
	} {
		func() {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || len(s) < 5 || s[:5] != "kern:" {
					t.Errorf("%s: recovered %v, want a panic prefixed kern:", name, r)
				}
			}()
			f()
		}()
	}
}

func ExampleTable_Dot() {
	x := []float32{1, 2, 3}
	y := []float32{4, 5, 6}
	ls := Available()
	s, err := NewSet(ls[len(ls)-1]) // the best level this CPU runs
	if err != nil {
		panic(err)
	}
	fmt.Println(For[float32](s).Dot(x, y))
	// Output: 32
}
