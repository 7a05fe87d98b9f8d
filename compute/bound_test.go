package compute

import (
	"math"
	"strconv"
	"testing"
)

// The tests in this file hold numbers worked out by hand from the
// formulas that bound.go and Kernel.Depth document, never numbers asked
// of the code under test, so that a bound made looser (or tighter) than
// its derivation fails them.
//
// γ(d) = d·u/(1 − d·u). With u = 2⁻ᵖ this is d/(2ᵖ − d): p = 24 for
// float32, 53 for float64. Gamma evaluates d·u and 1 − d·u exactly (d·u
// is d scaled by a power of two; 1 − d·u = (2ᵖ − d)·2⁻ᵖ needs at most p
// bits) and rounds once, in the division, so it must return the float64
// nearest to d/(2ᵖ − d): the constants below are those, to the last bit.

// TestUnitRoundoffPinned: u and the smallest subnormal of each dtype,
// from which every pinned number below is worked.
func TestUnitRoundoffPinned(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		dt      DType
		u, tiny float64
	}{
		{Float32, 0x1p-24, 0x1p-149},
		{Float64, 0x1p-53, 0x1p-1074},
	} {
		if u, tiny := c.dt.UnitRoundoff(), c.dt.Tiny(); u != c.u || tiny != c.tiny {
			t.Errorf("%v: u = %g, tiny = %g; want %g, %g", c.dt, u, tiny, c.u, c.tiny)
		}
	}
}

// TestGammaPinned: γ(d) against d/(2ᵖ − d) rounded once, and +Inf from
// d = 2ᵖ on, where d·u ≥ 1 and the bound promises nothing.
func TestGammaPinned(t *testing.T) {
	t.Parallel()
	cases := []struct {
		d    int
		u    float64
		want float64
	}{
		{0, 0x1p-24, 0},
		{1, 0x1p-24, 5.960464832810452e-08},  // 1/(2²⁴ − 1) = 1/16777215
		{2, 0x1p-24, 1.1920930376163766e-07}, // 2/16777214 = 1/8388607
		{3, 0x1p-24, 1.788139663006007e-07},  // 3/16777213
		{6, 0x1p-24, 3.5762799655008193e-07}, // 6/16777210 = 3/8388605
		{10, 0x1p-24, 5.960468030254859e-07}, // 10/16777206 = 5/8388603
		// The last finite one: (2²⁴ − 1)/(2²⁴ − (2²⁴ − 1)) = 2²⁴ − 1.
		{1<<24 - 1, 0x1p-24, 16777215},
		{1 << 24, 0x1p-24, math.Inf(1)},   // d·u = 1
		{1<<24 + 1, 0x1p-24, math.Inf(1)}, // d·u > 1
		{0, 0x1p-53, 0},
		{1, 0x1p-53, 1.1102230246251568e-16},  // 1/(2⁵³ − 1) = 1/9007199254740991
		{2, 0x1p-53, 2.2204460492503136e-16},  // 2/(2⁵³ − 2) = 1/4503599627370495
		{7, 0x1p-53, 7.771561172376102e-16},   // 7/(2⁵³ − 7)
		{270, 0x1p-53, 2.997602166488012e-14}, // 270/(2⁵³ − 270)
	}
	// d past 2⁵³ needs a 64-bit int: 386 builds vet and test this too.
	if strconv.IntSize == 64 {
		var two53 int64 = 1 << 53
		cases = append(cases, []struct {
			d    int
			u    float64
			want float64
		}{
			{int(two53 - 1), 0x1p-53, 9007199254740991}, // (2⁵³ − 1)/1
			{int(two53), 0x1p-53, math.Inf(1)},
		}...)
	}
	for _, c := range cases {
		if got := Gamma(c.d, c.u); got != c.want {
			t.Errorf("Gamma(%d, %g) = %v, want %v", c.d, c.u, got, c.want)
		}
	}
}

// TestDepthPinned: Kernel.Depth for n = 8 at every kind of leaf, worked
// from its doc: serial, a sum has n − 1 = 7 roundings and a dot product
// n = 8 (one product, then 7 additions); summed in runs of leaf,
// (leaf − 1) + ⌈log₂⌈n/leaf⌉⌉, plus 1 for dot's product, never more than
// serial; leaf ≥ n is serial. Kernels that are not reductions take
// their serial count whatever the leaf: gemm k products and k − 1
// additions then α·(…), β·c and the final add, counted as k + 3; gemv n;
// triad x + α·y, 2.
func TestDepthPinned(t *testing.T) {
	t.Parallel()
	cases := []struct {
		k       Kernel
		s       Shape
		leaf, d int
	}{
		{Sum, Vec(8), 0, 7},
		{Sum, Vec(8), 1, 3},  // 0 + ⌈log₂ 8⌉
		{Sum, Vec(8), 2, 3},  // 1 + ⌈log₂ 4⌉
		{Sum, Vec(8), 3, 4},  // 2 + ⌈log₂ 3⌉
		{Sum, Vec(8), 4, 4},  // 3 + ⌈log₂ 2⌉
		{Sum, Vec(8), 7, 7},  // 6 + ⌈log₂ 2⌉ = 7, serial's 7
		{Sum, Vec(8), 8, 7},  // one run: serial
		{Sum, Vec(8), 16, 7}, // one run: serial
		{Dot, Vec(8), 0, 8},
		{Dot, Vec(8), 1, 4}, // 0 + 3 + 1
		{Dot, Vec(8), 2, 4}, // 1 + 2 + 1
		{Dot, Vec(8), 3, 5}, // 2 + 2 + 1
		{Dot, Vec(8), 4, 5}, // 3 + 1 + 1
		{Dot, Vec(8), 5, 6}, // 4 + 1 + 1
		{Dot, Vec(8), 7, 8}, // 6 + 1 + 1 = 8, serial's 8
		{Dot, Vec(8), 8, 8},
		{Gemm, MNK(2, 2, 3), 0, 6},
		{Gemm, MNK(2, 2, 3), 4, 6},
		{Gemv, Mat(3, 4), 0, 4},
		{Gemv, Mat(3, 4), 2, 4},
		{Triad, Vec(8), 0, 2},
		{Triad, Vec(8), 4, 2},
	}
	for _, c := range cases {
		if got := c.k.Depth(c.s, c.leaf); got != c.d {
			t.Errorf("%s %s leaf %d: Depth = %d, want %d", c.k, c.s.Format(c.k), c.leaf, got, c.d)
		}
	}
}

// boundSlack is how far Bound's float64 evaluation may stray from the
// exact value of its formula, relative: each γ is rounded once, their
// sum, the product by mag and the addition of terms·tiny once each
// (terms·tiny itself is exact, a small integer times a power of two),
// at most 5 roundings of relative error ≤ 2⁻⁵³ each, and the literal
// below is the exact value rounded once more. 2⁻⁵⁰ = 8·2⁻⁵³ covers the
// 6 with room; a bound off by one rounding in d moves by ≥ 1/(d+1), and
// one scaled moves by its factor, many orders of magnitude beyond it.
const boundSlack = 0x1p-50

// TestBoundPinned: Bound for small problems, against
//
//	b = (γ_dt(d) + γ_f64(dref))·mag + terms·tiny_dt
//
// worked by hand with d = Depth(leaf), dref = Depth(0) (TestDepthPinned)
// and the γ of TestGammaPinned. The fma kernel and float64 dot and sum
// are left out: their bounds are being rederived.
func TestBoundPinned(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		p    Problem
		leaf int
		mag  float64
		want float64
	}{
		// gemm 2×2×3, α = 1.5, β = −0.75: the element whose row of A is
		// (1, −2, 3), column of B (2, 1, −1) and c = 2 has mag
		// 1.5·(2 + 2 + 3) + 0.75·2 = 12. d = dref = k + 3 = 6, terms =
		// k + 1 = 4:
		//   float32: 12·(6/(2²⁴ − 6) + 6/(2⁵³ − 6)) + 4·2⁻¹⁴⁹
		//          = 12·(3.5762799655e-07 + 6.661e-16) + 2.8e-44
		//          ≈ 4.2915359666e-06
		//   float64: 12·2·6/(2⁵³ − 6) + 4·2⁻¹⁰⁷⁴ ≈ 1.5987211555e-14
		// and with mag 0, the underflow allowance alone, 4·2⁻¹⁰⁷⁴.
		{"gemm float32", Problem{Kernel: Gemm, Shape: MNK(2, 2, 3), DType: Float32, Alpha: 1.5, Beta: -0.75}, 0, 12, 4.291535966594589e-06},
		{"gemm float32 leaf 4", Problem{Kernel: Gemm, Shape: MNK(2, 2, 3), DType: Float32, Alpha: 1.5, Beta: -0.75}, 4, 12, 4.291535966594589e-06},
		{"gemm float64", Problem{Kernel: Gemm, Shape: MNK(2, 2, 3), DType: Float64, Alpha: 1.5, Beta: -0.75}, 0, 12, 1.5987211554602264e-14},
		{"gemm float64 mag 0", Problem{Kernel: Gemm, Shape: MNK(2, 2, 3), DType: Float64, Alpha: 1.5, Beta: -0.75}, 0, 0, 0x1p-1072},
		// dot n = 8, float32, mag 5; dref = 8, terms = 8. The reference
		// of a reduction is summed compensated: its term is
		// u₆₄ + γ₆₄(dref)² = 2⁻⁵³ + (8/(2⁵³ − 8))² ≈ 1.1102e-16:
		//   leaf 0: d = 8, 5·(8/(2²⁴ − 8) + 1.1102e-16) + 8·2⁻¹⁴⁹
		//         = 5·(4.768373856e-07 + 1.1e-16) ≈ 2.3841869284e-06
		//   leaf 4: d = 3 + 1 + 1 = 5, 5·(5/(2²⁴ − 5) + 1.1102e-16) + 8·2⁻¹⁴⁹
		//         = 5·(2.980233127e-07 + 1.1e-16) ≈ 1.4901165640e-06
		//   leaf 2: d = 1 + 2 + 1 = 4, 5·(4/(2²⁴ − 4) + 1.1102e-16) + 8·2⁻¹⁴⁹
		//         = 5·(2.384186359e-07 + 1.1e-16) ≈ 1.1920931803e-06
		{"dot float32 leaf 0", Problem{Kernel: Dot, Shape: Vec(8), DType: Float32}, 0, 5, 2.384186928439656e-06},
		{"dot float32 leaf 4", Problem{Kernel: Dot, Shape: Vec(8), DType: Float32}, 4, 5, 1.4901165640292193e-06},
		{"dot float32 leaf 2", Problem{Kernel: Dot, Shape: Vec(8), DType: Float32}, 2, 5, 1.192093180280086e-06},
		// sum n = 8, float32, mag 5; dref = 7, terms = 8; reference term
		// 2⁻⁵³ + (7/(2⁵³ − 7))²:
		//   leaf 0: d = 7, 5·(7/(2²⁴ − 7) + 1.1102e-16) + 8·2⁻¹⁴⁹ ≈ 2.0861634381e-06
		//   leaf 4: d = 3 + 1 = 4, 5·(4/(2²⁴ − 4) + 1.1102e-16) + 8·2⁻¹⁴⁹ ≈ 1.1920931803e-06
		//   leaf 2: d = 1 + 2 = 3, 5·(3/(2²⁴ − 3) + 1.1102e-16) + 8·2⁻¹⁴⁹ ≈ 8.9406983206e-07
		{"sum float32 leaf 0", Problem{Kernel: Sum, Shape: Vec(8), DType: Float32}, 0, 5, 2.086163438108998e-06},
		{"sum float32 leaf 4", Problem{Kernel: Sum, Shape: Vec(8), DType: Float32}, 4, 5, 1.192093180280086e-06},
		{"sum float32 leaf 2", Problem{Kernel: Sum, Shape: Vec(8), DType: Float32}, 2, 5, 8.94069832058115e-07},
		// gemv 3×4, mag 10; d = dref = n = 4, terms = 4:
		//   float64: 10·2·4/(2⁵³ − 4) + 4·2⁻¹⁰⁷⁴ ≈ 8.8817841970e-15
		//   float32: 10·(4/(2²⁴ − 4) + 4/(2⁵³ − 4)) + 4·2⁻¹⁴⁹ ≈ 2.3841863639e-06
		{"gemv float64", Problem{Kernel: Gemv, Shape: Mat(3, 4), DType: Float64}, 0, 10, 8.881784197001257e-15},
		{"gemv float32", Problem{Kernel: Gemv, Shape: Mat(3, 4), DType: Float32}, 0, 10, 2.3841863638908412e-06},
		// triad, out = x + α·y, mag |x| + |α||y| = 3; d = dref = 2, terms 2:
		//   float64: 3·2·2/(2⁵³ − 2) + 2·2⁻¹⁰⁷⁴ ≈ 1.3322676296e-15
		//   float32: 3·(2/(2²⁴ − 2) + 2/(2⁵³ − 2)) + 2·2⁻¹⁴⁹ ≈ 3.5762791195e-07
		// and with mag 0, 2·2⁻¹⁰⁷⁴ = 2⁻¹⁰⁷³.
		{"triad float64", Problem{Kernel: Triad, Shape: Vec(8), DType: Float64, Alpha: 2}, 0, 3, 1.3322676295501882e-15},
		{"triad float64 mag 0", Problem{Kernel: Triad, Shape: Vec(8), DType: Float64, Alpha: 2}, 0, 0, 0x1p-1073},
		{"triad float32", Problem{Kernel: Triad, Shape: Vec(8), DType: Float32, Alpha: 2}, 0, 3, 3.576279119510468e-07},
	}
	for _, c := range cases {
		got := Bound(c.p, c.leaf, c.mag)
		if math.Abs(got-c.want) > boundSlack*c.want {
			t.Errorf("%s: Bound(%v, leaf %d, mag %g) = %.17g, want %.17g", c.name, c.p, c.leaf, c.mag, got, c.want)
		}
		if m := c.p.Bound(c.leaf, c.mag); m != got {
			t.Errorf("%s: Problem.Bound = %.17g, Bound = %.17g", c.name, m, got)
		}
	}
}

// TestBoundUnbounded: where d·u ≥ 1 (a serial float32 sum of 2²⁴ + 2
// terms has d = 2²⁴ + 1), γ is +Inf and so is the bound of any element
// of positive mag: nothing can be promised, and nothing is rejected.
func TestBoundUnbounded(t *testing.T) {
	t.Parallel()
	p := Problem{Kernel: Sum, Shape: Vec(1<<24 + 2), DType: Float32}
	if b := Bound(p, 0, 1); !math.IsInf(b, 1) {
		t.Errorf("serial float32 sum of 2^24 + 2 terms: Bound = %g, want +Inf", b)
	}
}
