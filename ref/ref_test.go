package ref

import (
	"math"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

func kernel(t *testing.T, name string) compute.Kernel {
	t.Helper()
	k, err := compute.ParseKernel(name)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestComputeSmall(t *testing.T) {
	t.Parallel()
	gemm := kernel(t, "gemm")
	// A 2×3, B 3×2, C 2×2.
	in := [][]float64{{1, 2, 3, 4, 5, 6}, {1, 0, 0, 1, 1, 1}, {1, 1, 1, 1}}
	want, mag, err := Compute(compute.Problem{Kernel: gemm, Shape: compute.MNK(2, 2, 3), Alpha: 2, Beta: -1}, in)
	if err != nil {
		t.Fatal(err)
	}
	// A·B = [[4 5] [10 11]]; 2·AB − C.
	for i, w := range []float64{7, 9, 19, 21} {
		if want[i] != w || mag[i] != w+2 {
			t.Errorf("gemm[%d] = %g (mag %g), want %g (mag %g)", i, want[i], mag[i], w, w+2)
		}
	}
	gemv := kernel(t, "gemv")
	want, _, _ = Compute(compute.Problem{Kernel: gemv, Shape: compute.Mat(2, 3)}, [][]float64{{1, 2, 3, 4, 5, 6}, {1, -1, 2}})
	if want[0] != 5 || want[1] != 11 {
		t.Errorf("gemv = %v, want [5 11]", want)
	}
	tr := kernel(t, "transpose")
	want, _, _ = Compute(compute.Problem{Kernel: tr, Shape: compute.Mat(2, 3)}, [][]float64{{1, 2, 3, 4, 5, 6}})
	for i, w := range []float64{1, 4, 2, 5, 3, 6} {
		if want[i] != w {
			t.Fatalf("transpose = %v", want)
		}
	}
	// β = 0 must not read C, α = 0 must not read A and B (BLAS).
	nan := math.NaN()
	want, _, _ = Compute(compute.Problem{Kernel: gemm, Shape: compute.MNK(1, 1, 1), Alpha: 1}, [][]float64{{2}, {3}, {nan}})
	if want[0] != 6 {
		t.Errorf("β=0 read C: %v", want)
	}
	want, _, _ = Compute(compute.Problem{Kernel: gemm, Shape: compute.MNK(1, 1, 1), Beta: 2}, [][]float64{{nan}, {3}, {4}})
	if want[0] != 8 {
		t.Errorf("α=0 read A: %v", want)
	}
}

func TestInputsDeterministic(t *testing.T) {
	t.Parallel()
	k := kernel(t, "saxpy")
	a := Inputs(compute.Problem{Kernel: k, Shape: compute.Vec(5), DType: compute.Float32}, 7)
	b := Inputs(compute.Problem{Kernel: k, Shape: compute.Vec(5), DType: compute.Float32}, 7)
	c := Inputs(compute.Problem{Kernel: k, Shape: compute.Vec(5), DType: compute.Float32}, 8)
	for i := range a {
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				t.Fatal("same seed gave different inputs")
			}
			if a[i][j] != float64(float32(a[i][j])) || a[i][j] < -1 || a[i][j] >= 1 {
				t.Fatalf("input %g is not a float32 in [-1, 1)", a[i][j])
			}
		}
	}
	if a[0][0] == c[0][0] && a[0][1] == c[0][1] {
		t.Error("different seeds gave the same inputs")
	}
	if a[0][0] == a[1][0] && a[0][1] == a[1][1] {
		t.Error("x and y are the same stream")
	}
	// Pinned values: the bytes must be the same on every machine.
	if got := Inputs(compute.Problem{Kernel: kernel(t, "sum"), Shape: compute.Vec(1), DType: compute.Float32}, 1)[0][0]; got != pinnedSum {
		t.Errorf("first input of sum, seed 1 = %v, pinned %v: the generator changed", got, pinnedSum)
	}
}

const pinnedSum = -0.6804034113883972

// TestVerify: the IEEE rules, and errors either side of the bound of dot
// of n = 1000 in float32, serial (d = dref = 1000, terms = 1000), mag
// 1000, worked by hand rather than asked of compute.Bound:
//
//	b = 1000·(1000/(2²⁴ − 1000) + 1000/(2⁵³ − 1000)) + 1000·2⁻¹⁴⁹
//	  = 1000·(5.96081977e-05 + 1.1e-13) ≈ 0.0596081978.
func TestVerify(t *testing.T) {
	t.Parallel()
	k := kernel(t, "dot")
	s := compute.Vec(1000)
	mag := []float64{1000}
	const b = 0.059608197811862586
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name      string
		got, want float64
		ok        bool
	}{
		{"exact", 1, 1, true},
		{"within bound", 1 + 0.9*b, 1, true},
		{"beyond bound", 1 + 1.1*b, 1, false},
		{"nan where finite", nan, 1, false},
		{"finite where nan", 1, nan, false},
		{"nan where nan", nan, nan, true},
		{"inf where inf", inf, inf, true},
		{"-inf where inf", -inf, inf, false},
		{"inf where finite", inf, 1, false},
		{"overflow in float32", inf, 1e39, true},
		{"finite where float32 overflows", 3e38, 1e39, false},
	}
	for _, c := range cases {
		chk := Verify(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, []float64{c.got}, []float64{c.want}, mag)
		if chk.OK != c.ok {
			t.Errorf("%s: OK = %v (%s), want %v", c.name, chk.OK, chk.Reason, c.ok)
		}
	}
	if chk := Verify(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, []float64{1, 2}, []float64{1}, mag); chk.OK {
		t.Error("length mismatch passed")
	}
}
