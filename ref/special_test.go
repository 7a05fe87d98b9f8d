package ref

import (
	"math"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

var nan, inf = math.NaN(), math.Inf(1)

// TestComputeSpecial: the reference follows IEEE where gonum's gemm
// would not (0·Inf is NaN, not a skipped term).
func TestComputeSpecial(t *testing.T) {
	t.Parallel()
	gemm := kernel(t, "gemm")
	// A 2×2 = [[0 1] [1 1]], B 2×2 = [[Inf 1] [1 1]]: row 0 has 0·Inf.
	in := [][]float64{{0, 1, 1, 1}, {inf, 1, 1, 1}, {1, 1, 1, 1}}
	want, _, err := Compute(compute.Problem{Kernel: gemm, Shape: compute.MNK(2, 2, 2), Alpha: 1}, in)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(want[0]) || want[1] != 1 || !math.IsInf(want[2], 1) || want[3] != 2 {
		t.Errorf("gemm with 0·Inf = %v, want [NaN 1 +Inf 2]", want)
	}
	gemv := kernel(t, "gemv")
	want, _, _ = Compute(compute.Problem{Kernel: gemv, Shape: compute.Mat(2, 2)}, [][]float64{{0, 1, 1, 1}, {inf, 1}})
	if !math.IsNaN(want[0]) || !math.IsInf(want[1], 1) {
		t.Errorf("gemv with 0·Inf = %v, want [NaN +Inf]", want)
	}
	dot := kernel(t, "dot")
	want, _, _ = Compute(compute.Problem{Kernel: dot, Shape: compute.Vec(2)}, [][]float64{{inf, -inf}, {1, 1}})
	if !math.IsNaN(want[0]) {
		t.Errorf("dot of Inf − Inf = %v, want NaN", want)
	}
}

// TestVerifySpecial: NaN placement is compared both ways, and an infinity
// must keep its sign.
func TestVerifySpecial(t *testing.T) {
	t.Parallel()
	k := kernel(t, "add")
	s := compute.Vec(3)
	mag := []float64{1, 1, 1}
	cases := []struct {
		got, want []float64
		ok        bool
		nan       int
		msg       string
	}{
		{[]float64{nan, 1, inf}, []float64{nan, 1, inf}, true, 0, ""},
		{[]float64{1, 1, 1}, []float64{nan, 1, 1}, false, 1, "a NaN was lost"},
		{[]float64{1, nan, 1}, []float64{1, 1, 1}, false, 1, "a NaN where the result is finite"},
		{[]float64{1, 1, -inf}, []float64{1, 1, inf}, false, 0, "want +Inf"},
		{[]float64{1, 1, inf}, []float64{1, 1, 1}, false, 0, "got +Inf"},
		{[]float64{1, nan, nan}, []float64{nan, 1, nan}, false, 2, "element 0"},
	}
	for _, c := range cases {
		chk := Verify(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, c.got, c.want, mag)
		if chk.OK != c.ok || chk.NaNPlacement != c.nan || !strings.Contains(chk.Reason, c.msg) {
			t.Errorf("Verify(%v, want %v) = ok %v, %d NaN misplaced, %q; want ok %v, %d, %q",
				c.got, c.want, chk.OK, chk.NaNPlacement, chk.Reason, c.ok, c.nan, c.msg)
		}
	}
}

// TestVerifyFlushed: a result of flushed inputs passes against the
// flushed reference with the allowance, and fails against the inputs as
// given alone.
func TestVerifyFlushed(t *testing.T) {
	t.Parallel()
	k := kernel(t, "scale")
	s := compute.Vec(2)
	sub := float64(math.SmallestNonzeroFloat32) * 3
	in := [][]float64{{sub, 1}}
	w, m, _ := Compute(compute.Problem{Kernel: k, Shape: s, Alpha: 1.5}, in)
	fin := FlushSubnormals(in, compute.Float32)
	if fin[0][0] != 0 || fin[0][1] != 1 || in[0][0] != sub {
		t.Fatalf("FlushSubnormals = %v (input now %v)", fin, in)
	}
	fw, fm, _ := Compute(compute.Problem{Kernel: k, Shape: s, Alpha: 1.5}, fin)
	got := []float64{0, 1.5}
	if chk := Verify(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, []float64{0.5, 1.5}, w, m); chk.OK {
		t.Errorf("0.5 for 1.5·%g passed", sub)
	}
	extra := FlushAllowance(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32, Alpha: 1.5})
	if chk := VerifyAny(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, extra, got, Reference{w, m}, Reference{fw, fm}); !chk.OK {
		t.Errorf("flushed result failed: %s", chk.Reason)
	}
	if extra < SmallestNormal(compute.Float32) || extra > 1e-30 {
		t.Errorf("FlushAllowance = %g", extra)
	}
}
