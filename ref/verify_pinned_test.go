package ref

import (
	"math"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// The tests in this file hold element bounds worked out by hand from
// compute.Bound's formula, b = (γ_dt(d) + γ_f64(dref))·mag + terms·tiny_dt
// with γ(d) = d·u/(1 − d·u), u = 2⁻²⁴ (float32) or 2⁻⁵³ (float64), never
// a bound asked of the code under test: a Verify that lets through more
// than the derivation allows, or rejects less, fails them. Each wanted
// value is 0, so that got = ±0.99·b and ±1.01·b are exact (next to a
// want of order mag they would round to whole ulps, and a float64
// bound is a few of those).

// pinnedGEMV is gemv 2×3 in float64 with
//
//	A = [1 −2 3; 2 −3 4], x = (1, 2, 1):
//	want = (1 − 4 + 3, 2 − 6 + 4) = (0, 0), mag = (1 + 4 + 3, 2 + 6 + 4) = (8, 12).
//
// d = dref = n = 3, terms = 3, so b = 2·3/(2⁵³ − 3)·mag + 3·2⁻¹⁰⁷⁴:
//
//	b₀ = 48/(2⁵³ − 3) ≈ 5.3290705182e-15,  b₁ = 72/(2⁵³ − 3) ≈ 7.9936057773e-15.
var pinnedGEMV = struct {
	p         compute.Problem
	in        [][]float64
	want, mag []float64
	b         [2]float64
}{
	p:    compute.Problem{Kernel: compute.Gemv, Shape: compute.Mat(2, 3), DType: compute.Float64},
	in:   [][]float64{{1, -2, 3, 2, -3, 4}, {1, 2, 1}},
	want: []float64{0, 0},
	mag:  []float64{8, 12},
	b:    [2]float64{5.329070518200753e-15, 7.99360577730113e-15},
}

// pinnedSlack is how far a Check's Bound may stray from a literal above,
// relative: Bound's float64 evaluation rounds at most 5 times and the
// literal once (see compute's boundSlack).
const pinnedSlack = 0x1p-50

// TestVerifyPinned: Verify passes errors of 0.99 of the hand-worked bound
// and fails those of 1.01 with Bad = 1, naming the element, whichever of
// the two elements is off and in either sign, and reports the element's
// bound and its error's ratio to it.
func TestVerifyPinned(t *testing.T) {
	t.Parallel()
	g := pinnedGEMV
	want, mag, err := Compute(g.p, g.in)
	if err != nil || want[0] != g.want[0] || want[1] != g.want[1] || mag[0] != g.mag[0] || mag[1] != g.mag[1] {
		t.Fatalf("gemv reference: want %v, mag %v, %v; worked by hand %v, %v", want, mag, err, g.want, g.mag)
	}
	b0, b1 := g.b[0], g.b[1]
	cases := []struct {
		name  string
		got   []float64
		bad   int
		worst int // the element of the largest ratio, −1 where they tie
		ratio float64
		// reason is how Reason starts: it names the first bad element.
		reason string
	}{
		{"both at 0.99", []float64{0.99 * b0, -0.99 * b1}, 0, -1, 0.99, ""},
		{"element 0 at 1.01", []float64{1.01 * b0, 0.99 * b1}, 1, 0, 1.01, "element 0:"},
		{"element 1 at −1.01", []float64{0.99 * b0, -1.01 * b1}, 1, 1, 1.01, "element 1:"},
		{"both at 1.01", []float64{-1.01 * b0, 1.01 * b1}, 2, -1, 1.01, "element 0:"},
	}
	for _, c := range cases {
		for _, path := range []struct {
			name   string
			verify func(got []float64) Check
		}{
			// One reference takes Verify's fast path; two (the same
			// twice) the element-by-element one: both must decide alike.
			{"Verify", func(got []float64) Check { return Verify(g.p, 0, got, g.want, g.mag) }},
			{"VerifyAny", func(got []float64) Check {
				r := Reference{g.want, g.mag}
				return VerifyAny(g.p, 0, 0, got, r, r)
			}},
		} {
			chk := path.verify(c.got)
			name := path.name + " " + c.name
			if chk.OK != (c.bad == 0) || chk.Bad != c.bad {
				t.Errorf("%s: OK %v, Bad %d (%s); want Bad %d", name, chk.OK, chk.Bad, chk.Reason, c.bad)
			}
			if !strings.HasPrefix(chk.Reason, c.reason) || (c.reason == "") != (chk.Reason == "") {
				t.Errorf("%s: Reason %q, want it to start %q", name, chk.Reason, c.reason)
			}
			if math.Abs(chk.Ratio-c.ratio) > 1e-9 {
				t.Errorf("%s: Ratio %v, want %v", name, chk.Ratio, c.ratio)
			}
			if c.worst >= 0 {
				if chk.Worst != c.worst || math.Abs(chk.Bound-g.b[c.worst]) > pinnedSlack*g.b[c.worst] {
					t.Errorf("%s: Worst %d, Bound %.17g; want element %d, bound %.17g", name, chk.Worst, chk.Bound, c.worst, g.b[c.worst])
				}
			}
		}
	}
}

// TestVerifyPinnedLeaf: the leaf a backend declares sets the bound. dot
// of n = 8 in float32 with x = (1, …, 1), y = (1, −1, 1, −1, …) has want
// 0 and mag 8; dref = 8 and terms = 8, and the compensated reference's
// term is r = 2⁻⁵³ + (8/(2⁵³ − 8))² ≈ 1.1102e-16, so
//
//	leaf 0: d = 8,             b = 8·(8/(2²⁴ − 8) + r) + 8·2⁻¹⁴⁹ ≈ 3.8146990855e-06
//	leaf 4: d = 3 + 1 + 1 = 5, b = 8·(5/(2²⁴ − 5) + r) + 8·2⁻¹⁴⁹ ≈ 2.3841865024e-06
//
// An error of 1.01 of the leaf-4 bound fails at leaf 4 and passes
// serially (leaf 0), whose bound is 1.6 times larger; 0.99 of it passes
// at leaf 4 (and would not, were dot's rounding for the products left
// out of d: 8·4/(2²⁴ − 4) ≈ 1.907e-06).
func TestVerifyPinnedLeaf(t *testing.T) {
	t.Parallel()
	p := compute.Problem{Kernel: kernel(t, "dot"), Shape: compute.Vec(8), DType: compute.Float32}
	const b0, b4 = 3.814699085503449e-06, 2.384186502446751e-06
	x := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	y := []float64{1, -1, 1, -1, 1, -1, 1, -1}
	want, mag, err := Compute(p, [][]float64{x, y})
	if err != nil || want[0] != 0 || mag[0] != 8 {
		t.Fatalf("dot reference: want %v, mag %v, %v; worked by hand 0, 8", want, mag, err)
	}
	for _, c := range []struct {
		leaf int
		got  float64
		ok   bool
	}{
		{4, 0.99 * b4, true},
		{4, -1.01 * b4, false},
		{0, -1.01 * b4, true},
		{0, 0.99 * b0, true},
		{0, 1.01 * b0, false},
	} {
		chk := Verify(p, c.leaf, []float64{c.got}, want, mag)
		if chk.OK != c.ok || chk.Bad != map[bool]int{true: 0, false: 1}[c.ok] {
			t.Errorf("leaf %d, error %.17g: OK %v, Bad %d (%s); want OK %v", c.leaf, c.got, chk.OK, chk.Bad, chk.Reason, c.ok)
		}
		if b := map[int]float64{0: b0, 4: b4}[c.leaf]; math.Abs(chk.Bound-b) > pinnedSlack*b {
			t.Errorf("leaf %d: Check.Bound %.17g, worked by hand %.17g", c.leaf, chk.Bound, b)
		}
	}
}

// TestVerifyNearOverflow: in float32, a want at or past 2¹²⁸·(1 − 2⁻²⁵)
// rounds to +Inf (it ties to the even infinity), so +Inf is right and a
// finite result is not; a want just below it rounds to MaxFloat32, and
// +Inf passes only where the bound reaches the threshold.
func TestVerifyNearOverflow(t *testing.T) {
	t.Parallel()
	p := compute.Problem{Kernel: kernel(t, "copy"), Shape: compute.Vec(1), DType: compute.Float32}
	at := math.MaxFloat32 + 0x1p103
	inf := math.Inf(1)
	for _, c := range []struct {
		name      string
		got, want float64
		ok        bool
	}{
		{"+Inf for a want at the threshold", inf, at, true},
		{"+Inf for a want between MaxFloat32·(1 + 2⁻²⁴) and the threshold", inf, 0x1p128 * (1 - 0x1p-30), true},
		{"MaxFloat32 for a want at the threshold", math.MaxFloat32, at, false},
		{"+Inf for MaxFloat32 (copy has no error)", inf, math.MaxFloat32, false},
		{"−Inf for a want at +threshold", -inf, at, false},
	} {
		chk := Verify(p, 0, []float64{c.got}, []float64{c.want}, []float64{math.Abs(c.want)})
		if chk.OK != c.ok {
			t.Errorf("%s: OK %v (%s), want %v", c.name, chk.OK, chk.Reason, c.ok)
		}
	}
}

// TestVerifyUnboundedZeroMag: where d·u ≥ 1 the bound is +Inf even for an
// element of magnitude 0 (not Inf·0 = NaN, which compared false and
// passed anything unmarked); the check then reports the infinite bound.
func TestVerifyUnboundedZeroMag(t *testing.T) {
	t.Parallel()
	p := compute.Problem{Kernel: kernel(t, "sum"), Shape: compute.Vec(1<<24 + 2), DType: compute.Float32}
	if b := p.Bound(0, 0); !math.IsInf(b, 1) {
		t.Fatalf("serial bound of sum 2²⁴ + 2 at mag 0: %g, want +Inf", b)
	}
	chk := Verify(p, 0, []float64{5}, []float64{0}, []float64{0})
	if !math.IsInf(chk.Bound, 1) {
		t.Errorf("Check.Bound %g, want +Inf so that the harness marks the result unchecked", chk.Bound)
	}
}
