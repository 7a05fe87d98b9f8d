package kern

import (
	"fmt"
	"math"
	"slices"
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

// kernelCase runs one catalogue kernel through this package.
type kernelCase struct {
	name  string
	run32 func(s compute.Shape, out []float32, alpha float32, in [][]float32)
	run64 func(s compute.Shape, out []float64, alpha float64, in [][]float64)
}

var cases = []kernelCase{
	{"copy",
		func(s compute.Shape, out []float32, a float32, in [][]float32) { Copy32(out, in[0]) },
		func(s compute.Shape, out []float64, a float64, in [][]float64) { Copy64(out, in[0]) }},
	{"scale",
		func(s compute.Shape, out []float32, a float32, in [][]float32) { Scale32(out, a, in[0]) },
		func(s compute.Shape, out []float64, a float64, in [][]float64) { Scale64(out, a, in[0]) }},
	{"add",
		func(s compute.Shape, out []float32, a float32, in [][]float32) { Add32(out, in[0], in[1]) },
		func(s compute.Shape, out []float64, a float64, in [][]float64) { Add64(out, in[0], in[1]) }},
	{"triad",
		func(s compute.Shape, out []float32, a float32, in [][]float32) { Triad32(out, in[0], a, in[1]) },
		func(s compute.Shape, out []float64, a float64, in [][]float64) { Triad64(out, in[0], a, in[1]) }},
	{"saxpy",
		func(s compute.Shape, out []float32, a float32, in [][]float32) { Axpy32(out, a, in[0], in[1]) },
		func(s compute.Shape, out []float64, a float64, in [][]float64) { Axpy64(out, a, in[0], in[1]) }},
	{"dot",
		func(s compute.Shape, out []float32, a float32, in [][]float32) { out[0] = Dot32(in[0], in[1]) },
		func(s compute.Shape, out []float64, a float64, in [][]float64) { out[0] = Dot64(in[0], in[1]) }},
	{"sum",
		func(s compute.Shape, out []float32, a float32, in [][]float32) { out[0] = Sum32(in[0]) },
		func(s compute.Shape, out []float64, a float64, in [][]float64) { out[0] = Sum64(in[0]) }},
	{"gemv",
		func(s compute.Shape, out []float32, a float32, in [][]float32) { Gemv32(out, in[0], s.N, in[1]) },
		func(s compute.Shape, out []float64, a float64, in [][]float64) { Gemv64(out, in[0], s.N, in[1]) }},
	{"transpose",
		func(s compute.Shape, out []float32, a float32, in [][]float32) {
			Transpose32(out, s.M, in[0], s.N, s.M, s.N)
		},
		func(s compute.Shape, out []float64, a float64, in [][]float64) {
			Transpose64(out, s.M, in[0], s.N, s.M, s.N)
		}},
	{"fma",
		func(s compute.Shape, out []float32, a float32, in [][]float32) {
			FMA32(out, in[0], compute.FMAMul, compute.FMAAdd, s.K)
		},
		func(s compute.Shape, out []float64, a float64, in [][]float64) {
			FMA64(out, in[0], compute.FMAMul, compute.FMAAdd, s.K)
		}},
}

// shapes lists the shapes a kernel is tested at: every size for vector
// kernels; for gemv and transpose, rows and columns from the sizes up to
// 65 and a few large, tile-straddling ones; for fma, every size with
// step counts from one (the loop's edge) to past an unrolled block, and
// fewer steps as the sizes grow.
func shapes(k *compute.Kernel, short bool) []compute.Shape {
	var out []compute.Shape
	switch k.Form {
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
			if n == 0 && k.Reduction {
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

// runCase runs c at shape s with inputs and output offset by off elements
// inside NaN guard bands, and checks the result against the float64
// reference within its derived bound, the guard bands, and that the
// inputs did not change. It returns the result for comparison across
// levels.
func runCase[T float32 | float64](t *testing.T, c kernelCase, k *compute.Kernel, dt compute.DType, s compute.Shape, off int,
	run func(s compute.Shape, out []T, alpha T, in [][]T)) (got, mag []float64) {
	t.Helper()
	const alpha = -1.5
	in64 := ref.Inputs(k, s, dt, uint64(s.M*131+s.N+off))
	want, mag, err := ref.Compute(k, s, alpha, 0, in64)
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
	run(s, out, T(alpha), in)
	got = widen(out)
	if chk := ref.Verify(k, s, dt, Leaf, got, want, mag); !chk.OK {
		t.Fatalf("%s %v %s offset %d: %d elements wrong; first: %s", c.name, dt, s.Format(k), off, chk.Bad, chk.Reason)
	}
	for i, v := range in {
		if !slices.Equal(widen(v), in64[i]) {
			t.Fatalf("%s %v %s offset %d: input %s changed", c.name, dt, s.Format(k), off, k.Inputs[i])
		}
		if !bandsNaN(bufs[i], len(v), off) {
			t.Fatalf("%s %v %s offset %d: guard band of input %s changed", c.name, dt, s.Format(k), off, k.Inputs[i])
		}
	}
	if !bandsNaN(outBuf, len(out), off) {
		t.Fatalf("%s %v %s offset %d: a write landed outside out", c.name, dt, s.Format(k), off)
	}
	return got, mag
}

// TestKernels checks every kernel at every level this CPU runs, in both
// dtypes, against the float64 reference and against the generic code.
func TestKernels(t *testing.T) {
	for _, l := range Levels() {
		t.Run(string(l), func(t *testing.T) {
			for _, c := range cases {
				k, err := compute.LookupKernel(c.name)
				if err != nil {
					t.Fatal(err)
				}
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
						restore := SetLevel(l)
						got32, mag32 := runCase(t, c, k, compute.Float32, s, off, c.run32)
						got64, mag64 := runCase(t, c, k, compute.Float64, s, off, c.run64)
						restore()
						if l == Generic {
							continue
						}
						restore = SetLevel(Generic)
						gen32, _ := runCase(t, c, k, compute.Float32, s, off, c.run32)
						gen64, _ := runCase(t, c, k, compute.Float64, s, off, c.run64)
						restore()
						agree(t, c, k, compute.Float32, s, got32, gen32, mag32)
						agree(t, c, k, compute.Float64, s, got64, gen64, mag64)
					}
				}
			}
		})
	}
}

// agree checks a level's result against the generic code's: both are
// within the bound of the reference, so they differ by at most twice it;
// kernels of one rounding per element must match bit for bit.
func agree(t *testing.T, c kernelCase, k *compute.Kernel, dt compute.DType, s compute.Shape, got, gen, mag []float64) {
	t.Helper()
	exact := c.name == "copy" || c.name == "scale" || c.name == "add" || c.name == "transpose"
	for i := range got {
		tol := 2 * compute.Bound(k, s, dt, Leaf, mag[i])
		if exact {
			tol = 0
		}
		if d := math.Abs(got[i] - gen[i]); d > tol || math.IsNaN(d) {
			t.Fatalf("%s %v %s: element %d is %g, generic gives %g", c.name, dt, s.Format(k), i, got[i], gen[i])
		}
	}
}

func TestEmpty(t *testing.T) {
	for _, l := range Levels() {
		restore := SetLevel(l)
		var e32 []float32
		var e64 []float64
		Copy32(e32, e32)
		Scale64(e64, 2, e64)
		Axpy32(e32, 2, e32, e32)
		if Dot32(e32, e32) != 0 || Dot64(e64, e64) != 0 || Sum32(e32) != 0 || Sum64(e64) != 0 {
			t.Errorf("%s: the sum of nothing is not 0", l)
		}
		Gemv32(e32, e32, 1, e32)
		Gemv64(e64, []float64{math.NaN()}, 1, e64) // m = 0 reads nothing
		Transpose32(e32, 1, e32, 1, 0, 0)
		FMA32(e32, e32, 0.5, 0.25, 3)
		FMA64(e64, e64, 0.5, 0.25, 0)
		restore()
	}
}

// TestGemvStride checks that gemv reads only the first n elements of each
// row when lda > n: the padding is NaN.
func TestGemvStride(t *testing.T) {
	for _, l := range Levels() {
		restore := SetLevel(l)
		for _, d := range [][2]int{{1, 1}, {5, 3}, {9, 17}, {33, 64}, {64, 1000}} {
			gemvStride(t, l, compute.Float32, d[0], d[1], Gemv32)
			gemvStride(t, l, compute.Float64, d[0], d[1], Gemv64)
		}
		restore()
	}
}

func gemvStride[T float32 | float64](t *testing.T, l Level, dt compute.DType, m, n int, gemv func(dst, a []T, lda int, x []T)) {
	t.Helper()
	k, _ := compute.LookupKernel("gemv")
	s := compute.Mat(m, n)
	in := ref.Inputs(k, s, dt, 7)
	want, mag, _ := ref.Compute(k, s, 0, 0, in)
	lda := n + 5
	a := make([]T, (m-1)*lda+n)
	for i := range a {
		a[i] = T(math.NaN())
	}
	for i := 0; i < m; i++ {
		copy(a[i*lda:], conv[T](in[0][i*n:(i+1)*n]))
	}
	got := make([]T, m)
	gemv(got, a, lda, conv[T](in[1]))
	if chk := ref.Verify(k, s, dt, Leaf, widen(got), want, mag); !chk.OK {
		t.Errorf("%s: gemv %v %dx%d lda %d: %s", l, dt, m, n, lda, chk.Reason)
	}
}

// TestTransposeStride checks that transpose writes only the first m
// elements of each output row when ldd > m.
func TestTransposeStride(t *testing.T) {
	for _, l := range Levels() {
		restore := SetLevel(l)
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
			Transpose32(dst, ldd, a, lda, m, n)
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
		restore()
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
	for _, l := range Levels() {
		restore := SetLevel(l)
		if got := Sum32(x); got != n {
			t.Errorf("%s: Sum32 of 2^25 ones = %v, want %v", l, got, float32(n))
		}
		if got := Dot32(x, x); got != n {
			t.Errorf("%s: Dot32 of 2^25 ones = %v, want %v", l, got, float32(n))
		}
		restore()
	}
}

// TestSumPointOne sums 0.1 (rounded to float32) 2²⁰ times: the pairwise
// sum stays within the bound compute.Bound derives from Leaf, which a
// serial float32 sum breaks.
func TestSumPointOne(t *testing.T) {
	const n = 1 << 20
	k, _ := compute.LookupKernel("sum")
	x := make([]float32, n)
	for i := range x {
		x[i] = 0.1
	}
	want := float64(float32(0.1)) * n // exact in float64: 24 bits times 2^20
	bound := compute.Bound(k, compute.Vec(n), compute.Float32, Leaf, want)
	var serial float32
	for _, v := range x {
		serial += v
	}
	if e := math.Abs(float64(serial) - want); e <= bound {
		t.Fatalf("serial float32 error %g is within the pairwise bound %g: the test shows nothing", e, bound)
	}
	for _, l := range Levels() {
		restore := SetLevel(l)
		if e := math.Abs(float64(Sum32(x)) - want); e > bound {
			t.Errorf("%s: Sum32 error %g beyond the bound %g", l, e, bound)
		}
		restore()
	}
}

// TestBlocksMatchWhole checks BlockLen's promise: summing blocks apart
// and combining them with Partials gives the bits of the whole sum.
func TestBlocksMatchWhole(t *testing.T) {
	k, _ := compute.LookupKernel("dot")
	for _, n := range []int{1, 511, 512, 513, 3*512 + 1, 7 * 512, 100000, 1<<20 + 3} {
		in := ref.Inputs(k, compute.Vec(n), compute.Float32, 3)
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
				p32 = append(p32, Sum32(x[lo:hi]))
				q32 = append(q32, Dot32(x[lo:hi], y[lo:hi]))
				p64 = append(p64, Dot64(x64[lo:hi], y64[lo:hi]))
			}
			if a, b := Partials32(p32), Sum32(x); a != b {
				t.Errorf("n=%d blocks of %d: Sum32 by blocks %v, whole %v", n, bl, a, b)
			}
			if a, b := Partials32(q32), Dot32(x, y); a != b {
				t.Errorf("n=%d blocks of %d: Dot32 by blocks %v, whole %v", n, bl, a, b)
			}
			if a, b := Partials64(p64), Dot64(x64, y64); a != b {
				t.Errorf("n=%d blocks of %d: Dot64 by blocks %v, whole %v", n, bl, a, b)
			}
		}
	}
}

func TestLevels(t *testing.T) {
	ls := Levels()
	if len(ls) == 0 || ls[0] != Generic {
		t.Fatalf("Levels() = %v, want generic first", ls)
	}
	if ls[len(ls)-1] != Default() {
		t.Errorf("Default() = %s, want the last of %v", Default(), ls)
	}
	if Current() != Default() {
		t.Errorf("Current() = %s before any SetLevel, want the default %s", Current(), Default())
	}
	restore := SetLevel(Generic)
	if Current() != Generic {
		t.Errorf("after SetLevel(generic), Current() = %s", Current())
	}
	restore()
	if Current() != Default() {
		t.Errorf("restore left %s, want %s", Current(), Default())
	}
	if _, err := ParseLevel("no-such-level"); err == nil {
		t.Errorf("ParseLevel accepted an unknown level")
	}
	if l, err := ParseLevel(" Generic "); err != nil || l != Generic {
		t.Errorf("ParseLevel(\" Generic \") = %q, %v", l, err)
	}
	if Best(ls...) != Generic {
		t.Errorf("Best with every level disabled = %s, want generic", Best(ls...))
	}
	if Best() != Default() {
		t.Errorf("Best() = %s, want %s", Best(), Default())
	}
	if a := testing.AllocsPerRun(100, func() { SetLevel(Generic)() }); a != 0 {
		t.Errorf("SetLevel allocates %v times", a)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("SetLevel of an unavailable level did not panic")
			}
		}()
		SetLevel("no-such-level")
	}()
}

// TestFMANoSteps: zero steps copy x, at every level and every length
// around the vector and block widths.
func TestFMANoSteps(t *testing.T) {
	for _, l := range Levels() {
		restore := SetLevel(l)
		for n := range 200 {
			x32, x64 := make([]float32, n), make([]float64, n)
			for i := range n {
				x32[i], x64[i] = float32(i)-7.5, float64(i)*1e300
			}
			d32, d64 := make([]float32, n), make([]float64, n)
			FMA32(d32, x32, 0.5, 0.25, 0)
			FMA64(d64, x64, 0.5, 0.25, 0)
			if !slices.Equal(d32, x32) || !slices.Equal(d64, x64) {
				t.Fatalf("%s: FMA with k = 0, n = %d, does not copy x", l, n)
			}
		}
		restore()
	}
}

// TestFMAOtherConstants: with a multiplier that is not a power of two
// the levels that fuse and the generic code that does not differ, but
// each stays within twice the one-rounding bound (two roundings a step)
// of the float64 chain; a long chain stays bounded.
func TestFMAOtherConstants(t *testing.T) {
	const mul, add = 0.7, -0.3 // fixed point −1
	for _, l := range Levels() {
		restore := SetLevel(l)
		for _, n := range []int{1, 17, 100, 1000} {
			for _, k := range []int{1, 5, 300} {
				x := make([]float64, n)
				for i := range x {
					x[i] = math.Sin(float64(i))
				}
				got := make([]float64, n)
				FMA64(got, x, mul, add, k)
				got32 := make([]float32, n)
				FMA32(got32, conv[float32](x), mul, add, k)
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
						t.Fatalf("%s: FMA64 n=%d k=%d element %d: %g, want %g", l, n, k, i, got[i], a)
					}
					if e := math.Abs(float64(got32[i]) - a); e > bound(0x1p-24)+bound(0x1p-53) {
						t.Fatalf("%s: FMA32 n=%d k=%d element %d: %g, want %g", l, n, k, i, got32[i], a)
					}
				}
			}
		}
		restore()
	}
}

func TestMismatchPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"Copy32":      func() { Copy32(make([]float32, 3), make([]float32, 2)) },
		"Axpy64":      func() { Axpy64(make([]float64, 3), 1, make([]float64, 3), make([]float64, 4)) },
		"Dot32":       func() { Dot32(make([]float32, 3), make([]float32, 4)) },
		"Gemv32":      func() { Gemv32(make([]float32, 3), make([]float32, 8), 3, make([]float32, 3)) },
		"Transpose64": func() { Transpose64(make([]float64, 5), 2, make([]float64, 6), 3, 2, 3) },
		"FMA32":       func() { FMA32(make([]float32, 3), make([]float32, 4), 0.5, 0.25, 1) },
		"FMA64 k<0":   func() { FMA64(make([]float64, 3), make([]float64, 3), 0.5, 0.25, -1) },
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

func ExampleDot32() {
	x := []float32{1, 2, 3}
	y := []float32{4, 5, 6}
	fmt.Println(Dot32(x, y))
	// Output: 32
}
