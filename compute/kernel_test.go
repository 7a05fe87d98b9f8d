package compute

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseShape(t *testing.T) {
	t.Parallel()
	ok := []struct {
		k    Kernel
		in   string
		want Shape
	}{
		{Dot, "1000", Vec(1000)},
		{Dot, "4Ki", Vec(4096)},
		{Dot, "2M", Vec(2000000)},
		{Gemv, "3x5", Mat(3, 5)},
		{Gemv, "7", Mat(7, 7)},
		{Gemm, "64", MNK(64, 64, 64)},
		{Gemm, "4096x64X4096", MNK(4096, 64, 4096)},
		{FMA, "1Mix256", Chain(1<<20, 256)},
		{FMA, "1000", Chain(1000, FMASteps)},
	}
	for _, c := range ok {
		got, err := c.k.ParseShape(c.in)
		if err != nil || got != c.want {
			t.Errorf("%s.ParseShape(%q) = %v, %v; want %v", c.k, c.in, got, err, c.want)
		}
	}
	bad := []struct {
		k    Kernel
		in   string
		want error
	}{
		{Dot, "0", ErrUsage}, {Dot, "-5", ErrUsage}, {Dot, "abc", ErrUsage}, {Dot, "", ErrUsage},
		{Dot, "1.5", ErrUsage}, {Dot, "+3", ErrUsage}, {Dot, "3x", ErrUsage}, {Dot, "x3", ErrUsage},
		{Dot, "3x4", ErrShape}, {Gemv, "2x3x4", ErrShape}, {Gemm, "2x3", ErrShape},
		{FMA, "2x3x4", ErrShape}, {FMA, "5x0", ErrUsage},
		{Dot, "99999999999999999999", ErrTooLarge}, {Dot, "2000000Gi", ErrTooLarge},
	}
	for _, c := range bad {
		if _, err := c.k.ParseShape(c.in); !errors.Is(err, c.want) {
			t.Errorf("%s.ParseShape(%q) error = %v, want %v", c.k, c.in, err, c.want)
		}
	}
}

func TestCatalogueCounts(t *testing.T) {
	t.Parallel()
	s := MNK(2, 3, 4)
	if got := Gemm.Flops(s); got != 2*2*3*4 {
		t.Errorf("gemm flops = %v", got)
	}
	// A 2×4, B 4×3, C and out 2×3.
	if got := Gemm.Bytes(s, Float32); got != 4*(8+12+6+6) {
		t.Errorf("gemm bytes = %v", got)
	}
	for _, k := range Kernels() {
		s := map[Form]Shape{VectorForm: Vec(10), MatrixForm: Mat(3, 5), GEMMForm: MNK(3, 5, 7), ChainForm: Chain(10, 3)}[k.Form()]
		if err := k.Validate(s); err != nil {
			t.Errorf("%s: %v", k, err)
		}
		if k.Bytes(s, Float64) != 2*k.Bytes(s, Float32) {
			t.Errorf("%s: float64 bytes are not twice float32", k)
		}
		for _, in := range k.Inputs() {
			if k.OperandLen(in, s) <= 0 {
				t.Errorf("%s: operand %s has no length", k, in)
			}
		}
	}
	if _, err := ParseKernel("nope"); !errors.Is(err, ErrUnknownKernel) {
		t.Errorf("ParseKernel(nope) = %v", err)
	}
}

// TestFMACounts: fma's intensity is K/4 FLOP per byte in float32 and
// K/8 in float64, so K = 1…2048 sweeps 1/8…256; its depth is K, one
// rounding a step (see fmaDepth), and a shape without K is refused.
func TestFMACounts(t *testing.T) {
	t.Parallel()
	s := Chain(1000, 64)
	if f, b := FMA.Flops(s), FMA.Bytes(s, Float32); f != 2*1000*64 || b != 2*1000*4 {
		t.Errorf("fma 1000x64: %v FLOP, %v bytes", f, b)
	}
	if i32, i64 := FMA.Intensity(s, Float32), FMA.Intensity(s, Float64); i32 != 16 || i64 != 8 {
		t.Errorf("fma 1000x64 intensity %v (f32), %v (f64)", i32, i64)
	}
	for k, d := range map[int]int{1: 1, 2: 2, 3: 3, 1 << 20: 1 << 20} {
		if got := FMA.Depth(Chain(7, k), 256); got != d {
			t.Errorf("fma depth at K=%d: %d, want %d", k, got, d)
		}
	}
	if err := FMA.Validate(Vec(10)); !errors.Is(err, ErrShape) {
		t.Errorf("FMA.Validate(Vec(10)) = %v, want ErrShape", err)
	}
	if err := FMA.Validate(Shape{M: 2, N: 10, K: 3}); !errors.Is(err, ErrShape) {
		t.Errorf("fma.Validate with M = %v, want ErrShape", err)
	}
	if got := Chain(5, 7).Format(FMA); got != "5x7" {
		t.Errorf("Chain(5, 7).Format = %q", got)
	}
}

func TestGamma(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	cases := []struct {
		k          Kernel
		n, leaf, d int
	}{
		{Sum, 1, 0, 0}, {Sum, 100, 0, 99}, {Sum, 100, 256, 99},
		{Sum, 1 << 20, 256, 255 + 12}, {Sum, 1<<20 + 1, 256, 255 + 13},
		{Dot, 1 << 20, 256, 256 + 12}, {Dot, 10, 0, 10},
	}
	for _, c := range cases {
		if got := c.k.Depth(Vec(c.n), c.leaf); got != c.d {
			t.Errorf("%s.Depth(%d, leaf %d) = %d, want %d", c.k, c.n, c.leaf, got, c.d)
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
	t.Parallel()
	n := 1 << 25
	var s float32
	for i := 0; i < n; i++ {
		s++
	}
	err := float64(n) - float64(s)
	if err != 1<<24 {
		t.Fatalf("serial float32 sum of 2^25 ones = %g, expected the classic stall at 2^24", s)
	}
	// d = 255 + ⌈log₂(2²⁵/256)⌉ = 272, dref = 2²⁵ − 1, terms 2²⁵, and
	// the compensated reference's term u₆₄ + γ₆₄(dref)² ≈ 1.1e-16:
	// b = 2²⁵·(272/(2²⁴ − 272) + 2⁻⁵³ + ((2²⁵ − 1)/(2⁵³ − 2²⁵ + 1))²) + 2²⁵·2⁻¹⁴⁹
	//   ≈ 544.0088 + 3.7e-9 ≈ 544.0088.
	const pairwise = 544.0088197272585
	if b := Bound(Problem{Kernel: Sum, Shape: Vec(n), DType: Float32}, 256, float64(n)); err <= b || math.Abs(b-pairwise) > 0x1p-50*pairwise {
		t.Errorf("pairwise bound %.17g, worked by hand %.17g, against the serial error %g", b, pairwise, err)
	}
	if b := Bound(Problem{Kernel: Sum, Shape: Vec(n), DType: Float32}, 0, float64(n)); !(err <= b) {
		t.Errorf("serial bound %g rejects a serial error %g", b, err)
	}
}

// TestKernelNames: every kernel reads back from its name and as JSON
// text, and a name outside the catalogue is ErrUnknownKernel.
func TestKernelNames(t *testing.T) {
	t.Parallel()
	for _, k := range Kernels() {
		got, err := ParseKernel(k.String())
		if err != nil || got != k {
			t.Errorf("ParseKernel(%q) = %v, %v", k, got, err)
		}
		b, err := k.MarshalText()
		var back Kernel
		if err != nil || back.UnmarshalText(b) != nil || back != k {
			t.Errorf("%v as text: %q, %v", k, b, err)
		}
	}
	if err := Kernel(0).Validate(Vec(3)); !errors.Is(err, ErrUnknownKernel) {
		t.Errorf("Kernel(0).Validate = %v", err)
	}
	if _, err := Kernel(99).MarshalText(); err == nil {
		t.Error("Kernel(99) marshalled")
	}
	if len(KernelNames()) != len(Kernels()) || AllKernels().List()[0] != Copy {
		t.Error("KernelNames or AllKernels disagree with Kernels")
	}
}

// TestProblem: a Problem's counts are its kernel's at its shape and
// dtype, WithShape keeps the rest, and Validate refuses a dtype outside
// the catalogue.
func TestProblem(t *testing.T) {
	t.Parallel()
	p := Problem{Kernel: Gemm, Shape: MNK(2, 3, 4), DType: Float64, Alpha: 2, Beta: 1}
	if p.String() != "gemm/2x3x4/float64" || p.Flops() != 48 || p.Bytes() != 8*(8+12+6+6) || p.OutLen() != 6 || p.OperandLen("A") != 8 {
		t.Errorf("%v: flops %v bytes %v out %d", p, p.Flops(), p.Bytes(), p.OutLen())
	}
	q := p.WithShape(MNK(1, 1, 1))
	if q.Kernel != Gemm || q.DType != Float64 || q.Alpha != 2 || q.Beta != 1 || q.Shape != MNK(1, 1, 1) {
		t.Errorf("WithShape: %+v", q)
	}
	if err := (Problem{Kernel: Dot, Shape: Vec(3), DType: 7}).Validate(); !errors.Is(err, ErrUnsupported) {
		t.Errorf("dtype 7: %v", err)
	}
	// gemm 2×3×4 in float64, serial: depth 7, the same for the backend
	// and the float64 reference, so the slope is 2γ₆₄(7); the constant
	// is the underflow allowance of the 5 terms of an element.
	u := Float64.UnitRoundoff()
	if d := p.Depth(0); d != 7 {
		t.Errorf("%v: depth %d, want 7", p, d)
	}
	if got, want := p.Bound(0, 0), 5*Float64.Tiny(); got != want {
		t.Errorf("%v: Bound at magnitude 0 = %g, want 5·tiny = %g", p, got, want)
	}
	if got, want := p.Bound(0, 1), 2*7*u/(1-7*u)+5*Float64.Tiny(); math.Abs(got-want) > 1e-16*want {
		t.Errorf("%v: Bound at magnitude 1 = %.17g, want 2γ(7) + 5·tiny = %.17g", p, got, want)
	}
}

// TestParseDimSaysWhatIsWrong: a number too large for any integer is
// too large, not "not a whole number", and a suffix ParseDim does not
// know is named with those it does.
func TestParseDimSaysWhatIsWrong(t *testing.T) {
	for s, want := range map[string]string{
		"99999999999999999999": `size "99999999999999999999" is beyond 1099511627776`,
		"1Ti":                  `size "1Ti": unknown suffix "Ti": use k, M, G (powers of 1000) or Ki, Mi, Gi (powers of 1024)`,
		"2kb":                  `size "2kb": unknown suffix "kb"`,
		"1.5Mi":                `size "1.5Mi" is not a whole number`,
	} {
		_, err := ParseDim(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDim(%q): %v, want %q", s, err, want)
		}
	}
	if _, err := ParseDim("99999999999999999999"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a size past int64: %v, want ErrTooLarge", err)
	}
}
