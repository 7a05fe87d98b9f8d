package compute

import (
	"errors"
	"math"
	"testing"
)

func TestParseShape(t *testing.T) {
	gemm, _ := LookupKernel("gemm")
	gemv, _ := LookupKernel("gemv")
	dot, _ := LookupKernel("dot")
	fma, _ := LookupKernel("fma")
	ok := []struct {
		k    *Kernel
		in   string
		want Shape
	}{
		{dot, "1000", Vec(1000)},
		{dot, "4Ki", Vec(4096)},
		{dot, "2M", Vec(2000000)},
		{gemv, "3x5", Mat(3, 5)},
		{gemv, "7", Mat(7, 7)},
		{gemm, "64", GEMM(64, 64, 64)},
		{gemm, "4096x64X4096", GEMM(4096, 64, 4096)},
		{fma, "1Mix256", Chain(1<<20, 256)},
		{fma, "1000", Chain(1000, FMASteps)},
	}
	for _, c := range ok {
		got, err := c.k.ParseShape(c.in)
		if err != nil || got != c.want {
			t.Errorf("%s.ParseShape(%q) = %v, %v; want %v", c.k.Name, c.in, got, err, c.want)
		}
	}
	bad := []struct {
		k    *Kernel
		in   string
		want error
	}{
		{dot, "0", ErrUsage}, {dot, "-5", ErrUsage}, {dot, "abc", ErrUsage}, {dot, "", ErrUsage},
		{dot, "1.5", ErrUsage}, {dot, "+3", ErrUsage}, {dot, "3x", ErrUsage}, {dot, "x3", ErrUsage},
		{dot, "3x4", ErrShape}, {gemv, "2x3x4", ErrShape}, {gemm, "2x3", ErrShape},
		{fma, "2x3x4", ErrShape}, {fma, "5x0", ErrUsage},
		{dot, "99999999999999999999", ErrUsage}, {dot, "2000000Gi", ErrTooLarge},
	}
	for _, c := range bad {
		if _, err := c.k.ParseShape(c.in); !errors.Is(err, c.want) {
			t.Errorf("%s.ParseShape(%q) error = %v, want %v", c.k.Name, c.in, err, c.want)
		}
	}
}

func TestCatalogueCounts(t *testing.T) {
	gemm, _ := LookupKernel("gemm")
	s := GEMM(2, 3, 4)
	if got := gemm.Flops(s); got != 2*2*3*4 {
		t.Errorf("gemm flops = %v", got)
	}
	// A 2×4, B 4×3, C and out 2×3.
	if got := gemm.Bytes(s, Float32); got != 4*(8+12+6+6) {
		t.Errorf("gemm bytes = %v", got)
	}
	for _, k := range Kernels() {
		s := map[Form]Shape{VectorForm: Vec(10), MatrixForm: Mat(3, 5), GEMMForm: GEMM(3, 5, 7), ChainForm: Chain(10, 3)}[k.Form]
		if err := k.Validate(s); err != nil {
			t.Errorf("%s: %v", k.Name, err)
		}
		if k.Bytes(s, Float64) != 2*k.Bytes(s, Float32) {
			t.Errorf("%s: float64 bytes are not twice float32", k.Name)
		}
		for _, in := range k.Inputs {
			if k.OperandLen(in, s) <= 0 {
				t.Errorf("%s: operand %s has no length", k.Name, in)
			}
		}
	}
	if _, err := LookupKernel("nope"); !errors.Is(err, ErrUnknownKernel) {
		t.Errorf("LookupKernel(nope) = %v", err)
	}
}

// TestFMACounts: fma's intensity is K/4 FLOP per byte in float32 and
// K/8 in float64, so K = 1…2048 sweeps 1/8…256; its depth stops at 2
// (see fmaDepth), and a shape without K is refused.
func TestFMACounts(t *testing.T) {
	fma, _ := LookupKernel("fma")
	s := Chain(1000, 64)
	if f, b := fma.Flops(s), fma.Bytes(s, Float32); f != 2*1000*64 || b != 2*1000*4 {
		t.Errorf("fma 1000x64: %v FLOP, %v bytes", f, b)
	}
	if i32, i64 := fma.Intensity(s, Float32), fma.Intensity(s, Float64); i32 != 16 || i64 != 8 {
		t.Errorf("fma 1000x64 intensity %v (f32), %v (f64)", i32, i64)
	}
	for k, d := range map[int]int{1: 1, 2: 2, 3: 2, 1 << 20: 2} {
		if got := fma.Depth(Chain(7, k), 256); got != d {
			t.Errorf("fma depth at K=%d: %d, want %d", k, got, d)
		}
	}
	if err := fma.Validate(Vec(10)); !errors.Is(err, ErrShape) {
		t.Errorf("fma.Validate(Vec(10)) = %v, want ErrShape", err)
	}
	if err := fma.Validate(Shape{M: 2, N: 10, K: 3}); !errors.Is(err, ErrShape) {
		t.Errorf("fma.Validate with M = %v, want ErrShape", err)
	}
	if got := Chain(5, 7).Format(fma); got != "5x7" {
		t.Errorf("Chain(5, 7).Format = %q", got)
	}
}

func TestGamma(t *testing.T) {
	u := Float32.UnitRoundoff()
	if g := Gamma(1, u); math.Abs(g-u/(1-u)) > 0 {
		t.Errorf("γ(1) = %g", g)
	}
	if g := Gamma(0, u); g != 0 {
		t.Errorf("γ(0) = %g, want 0", g)
	}
	if g := Gamma(1<<24, u); !math.IsInf(g, 1) {
		t.Errorf("γ(2^24) for float32 = %g, want +Inf (the bound says nothing)", g)
	}
}

func TestDepth(t *testing.T) {
	sum, _ := LookupKernel("sum")
	dot, _ := LookupKernel("dot")
	cases := []struct {
		k          *Kernel
		n, leaf, d int
	}{
		{sum, 1, 0, 0}, {sum, 100, 0, 99}, {sum, 100, 256, 99},
		{sum, 1 << 20, 256, 255 + 12}, {sum, 1<<20 + 1, 256, 255 + 13},
		{dot, 1 << 20, 256, 256 + 12}, {dot, 10, 0, 10},
	}
	for _, c := range cases {
		if got := c.k.Depth(Vec(c.n), c.leaf); got != c.d {
			t.Errorf("%s.Depth(%d, leaf %d) = %d, want %d", c.k.Name, c.n, c.leaf, got, c.d)
		}
	}
}

// TestBoundSeparatesSummations checks the bound against a known error
// case: summing 2²⁵ ones serially in float32 stalls at 2²⁴ (adding 1 to
// 2²⁴ rounds back to 2²⁴), an error of 2²⁴. The serial bound is +Inf
// there (it cannot promise anything), while the pairwise bound with
// runs of 256 allows only a few hundred, so it catches a backend that
// claims pairwise summation and sums serially.
func TestBoundSeparatesSummations(t *testing.T) {
	sum, _ := LookupKernel("sum")
	n := 1 << 25
	var s float32
	for i := 0; i < n; i++ {
		s++
	}
	err := float64(n) - float64(s)
	if err != 1<<24 {
		t.Fatalf("serial float32 sum of 2^25 ones = %g, expected the classic stall at 2^24", s)
	}
	if b := Bound(sum, Vec(n), Float32, 256, float64(n)); err <= b {
		t.Errorf("pairwise bound %g admits the serial error %g", b, err)
	}
	if b := Bound(sum, Vec(n), Float32, 0, float64(n)); !(err <= b) {
		t.Errorf("serial bound %g rejects a serial error %g", b, err)
	}
}
