package ref

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestGEMMProbesPinned holds the probes of VerifyGEMMProbes to their
// documented tolerance, worked out by hand, not asked of the code under
// test: one element of a small gemm result is moved by just under and
// just over the tolerance of the probes that see it, and the probes must
// pass the first and fail the second. A tolerance loosened by a few
// percent or more lets the "just over" cases through and fails the test.
//
// The problem: gemm 3×5×4, α = 1.5, β = −0.75, integer inputs
//
//	A = [ 1 −2  3  0]   B = [ 1  0 −2  3  1]   C = [1 −1  0  2  3]
//	    [ 2  1 −1  3]       [ 2 −1  1  0 −3]       [0  2  4  1 −1]
//	    [−3  2  1  1]       [ 0  3  1 −1  2]       [2  0  1 −2  1]
//	                        [−1  2  2  1  0]
//
// so that out = α·A·B + β·C and mag = |α|·|A|·|B| + |β|·|C| are
//
//	out = [−21/4  69/4  −3/2   −3/2   69/4]   mag = [33/4  69/4  21/2  21/2  87/4]
//	      [  3/2   3/2     0   57/4  −15/4]         [21/2  33/2    21  63/4  45/4]
//	      [ −3/2   9/2  63/4    −12  −45/4]         [27/2  21/2  69/4    18  69/4]
//
// every one exact in float32 and float64. The probe vectors are dyadic,
// x = (3/2, 5/4, 1, 7/4, 9/8) over the columns and x′ = (3/2, 1, 5/4)
// over the rows, so every sum the probes make is exact too. The element
// moved is out[1,2] = 0, where x₂ = x′₁ = 1: a change δ there is exact
// in either dtype and moves row 1's probe and column 2's by δ alone.
// Both probes span the whole matrix (ProbeWidth ≥ 5): |J| = 5 columns
// for a row, |I| = 3 rows for a column.
//
// The tolerance (VerifyGEMMProbes) of a probe of |J| terms, magnitude
// M = Σ x_j·mag[i,j] and G = Σ x_j·|out[i,j]| is
//
//	tol = (b(M/(1−γ)) + T·(2·|J| − 1) + γ·(M + G)/(1−γ) + U)·(1 + γ),
//
// with b(m) = g·m + T the element bound, γ = γ_f64(ProbeWidth + K + 2 + 8)
// = γ_f64(270) = 270/(2⁵³ − 270) ≈ 2.9976e-14, and U = 2·257·6·2⁻¹⁰⁷⁴
// (below 2e-320, nothing here). For gemm, d = dref = K + 3 = 7 and
// terms = K + 1 = 5:
//
//	float32: g = 7/(2²⁴ − 7) + 7/(2⁵³ − 7) ≈ 4.1723268829e-07,  T = 5·2⁻¹⁴⁹
//	float64: g = 2·7/(2⁵³ − 7) ≈ 1.5543e-15,                   T = 5·2⁻¹⁰⁷⁴
//
// Row 1: M = 3/2·21/2 + 5/4·33/2 + 1·21 + 7/4·63/4 + 9/8·45/4 = 3123/32 = 97.59375,
// G = 3/2·3/2 + 5/4·3/2 + 0 + 7/4·57/4 + 9/8·15/4 = 1065/32 = 33.28125.
// Column 2: M = 3/2·21/2 + 1·21 + 5/4·69/4 = 933/16 = 58.3125,
// G = 3/2·3/2 + 0 + 5/4·63/4 = 351/16 = 21.9375. (G moves by |δ| with
// the element, which changes tol by γ·|δ|, 10⁻¹⁴ of it: nothing.)
//
//	float32 row 1:    4.1723268829e-07·97.59375/(1−γ) + γ·130.875 ≈ 4.0719303e-05 + 3.9e-12 → tol ≈ 4.0719307e-05
//	float32 column 2: 4.1723268829e-07·58.3125/(1−γ)  + γ·80.25   ≈ 2.4329881e-05 + 2.4e-12 → tol ≈ 2.4329884e-05
//	float64 row 1:    1.5543e-15·97.59375 + 2.9976e-14·130.875 ≈ 1.517e-13 + 3.923e-12   → tol ≈ 4.0748e-12
//	float64 column 2: 1.5543e-15·58.3125  + 2.9976e-14·80.25   ≈ 9.06e-14  + 2.4056e-12  → tol ≈ 2.4962e-12
//
// (each then times 1 + γ). Column 2's tolerance is the smaller: δ just
// over it fails column 2 alone, δ just under row 1's fails column 2 but
// not row 1, and δ just over row 1's fails both. The probes' own sums
// are exact but for the one holding δ, rounded in float64 to a few ulps
// of 25 (≈ 1e-14), under 1 % of the smallest tolerance here.
func TestGEMMProbesPinned(t *testing.T) {
	t.Parallel()
	k := kernel(t, "gemm")
	s := compute.MNK(3, 5, 4)
	in := map[string][]float64{
		"A": {1, -2, 3, 0, 2, 1, -1, 3, -3, 2, 1, 1},
		"B": {1, 0, -2, 3, 1, 2, -1, 1, 0, -3, 0, 3, 1, -1, 2, -1, 2, 2, 1, 0},
		"C": {1, -1, 0, 2, 3, 0, 2, 4, 1, -1, 2, 0, 1, -2, 1},
	}
	read := func(name string, v []float64, start, rows, width, ld int) {
		for r := range rows {
			copy(v[r*width:(r+1)*width], in[name][start+r*ld:])
		}
	}
	x := []float64{1.5, 1.25, 1, 1.75, 1.125}
	xr := []float64{1.5, 1, 1.25}
	out := []float64{
		-21.0 / 4, 69.0 / 4, -3.0 / 2, -3.0 / 2, 69.0 / 4,
		3.0 / 2, 3.0 / 2, 0, 57.0 / 4, -15.0 / 4,
		-3.0 / 2, 9.0 / 2, 63.0 / 4, -12, -45.0 / 4,
	}
	const at = 1*5 + 2 // out[1,2]
	p := compute.Problem{Kernel: k, Shape: s, Alpha: 1.5, Beta: -0.75}
	want, _, err := Compute(p, [][]float64{in["A"], in["B"], in["C"]})
	if err != nil {
		t.Fatal(err)
	}
	for i := range out {
		if want[i] != out[i] {
			t.Fatalf("gemm reference %v; worked by hand %v", want, out)
		}
	}
	for _, c := range []struct {
		dt             compute.DType
		tolRow, tolCol float64 // row 1's and column 2's, as worked above
	}{
		{compute.Float32, 4.071930659571477e-05, 2.4329883541367314e-05},
		{compute.Float64, 4.0748029950247466e-12, 2.496211570779616e-12},
	} {
		p := p
		p.DType = c.dt
		for _, m := range []struct {
			name   string
			delta  float64
			bad    int
			reason string  // how Reason starts
			tol    float64 // the tolerance Reason names
		}{
			{"unchanged", 0, 0, "", 0},
			{"0.99 of column 2's", 0.99 * c.tolCol, 0, "", 0},
			{"−0.99 of column 2's", -0.99 * c.tolCol, 0, "", 0},
			{"1.01 of column 2's", 1.01 * c.tolCol, 1, "column 2, rows 0–2:", c.tolCol},
			{"−1.01 of column 2's", -1.01 * c.tolCol, 1, "column 2, rows 0–2:", c.tolCol},
			{"0.99 of row 1's", 0.99 * c.tolRow, 1, "column 2, rows 0–2:", c.tolCol},
			{"−1.01 of row 1's", -1.01 * c.tolRow, 2, "row 1, columns 0–4:", c.tolRow},
		} {
			name := fmt.Sprintf("%v, out[1,2] moved by %s tolerance", c.dt, m.name)
			v := append([]float64(nil), out...)
			v[at] += m.delta
			chk, ok := gemmProbes(p, tolerance{}, read, x, xr, compute.HostFrom(v, c.dt))
			if !ok || chk.OK != (m.bad == 0) || chk.Bad != m.bad {
				t.Errorf("%s: ok %v, OK %v, %d probes failed (%s); want %d", name, ok, chk.OK, chk.Bad, chk.Reason, m.bad)
				continue
			}
			if m.bad == 0 {
				continue
			}
			if !strings.HasPrefix(chk.Reason, m.reason) || !strings.HasSuffix(chk.Reason, fmt.Sprintf("beyond the summed bound %.3g (probe x uniform in [1, 2))", m.tol)) {
				t.Errorf("%s: Reason %q, want it to start %q and name the tolerance %.3g", name, chk.Reason, m.reason, m.tol)
			}
		}
	}
}
