package ref

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestExactRange pins the ranges worked by hand from ExactRange's
// derivation, and the cases where no exact pass can hold.
func TestExactRange(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p     compute.Problem
		r     int64
		grid  float64
		exact bool
	}{
		// 2²⁰·1 ≤ 2²⁴: the cap.
		{compute.Problem{Kernel: compute.Copy, Shape: compute.Vec(17), DType: compute.Float32}, 1 << 20, 1, true},
		// dot 2²⁰ terms: 2²⁰·R² ≤ 2²⁴ at R = 4.
		{compute.Problem{Kernel: compute.Dot, Shape: compute.Vec(1 << 20), DType: compute.Float32}, 4, 1, true},
		// 2²⁴ terms of ±1 still fit; one more does not.
		{compute.Problem{Kernel: compute.Sum, Shape: compute.Vec(1 << 24), DType: compute.Float32}, 1, 1, true},
		{compute.Problem{Kernel: compute.Sum, Shape: compute.Vec(1<<24 + 1), DType: compute.Float32}, 0, 0, false},
		// float64 dot of 2²⁰: 2²⁰·R² ≤ 2⁵³ at R = 2¹⁶, products of 2³²:
		// more than float32's 24 bits.
		{compute.Problem{Kernel: compute.Dot, Shape: compute.Vec(1 << 20), DType: compute.Float64}, 1 << 16, 1, true},
		// gemm 4096 float32, α = 1.5, β = −0.75 (f = 2):
		// (1.5·4096·R² + 0.75·R)·4 ≤ 2²⁴ at R = 16 (6 291 520), not 32.
		{compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(4096, 4096, 4096), DType: compute.Float32, Alpha: 1.5, Beta: -0.75}, 16, 1, true},
		// gemm in float64 is held to 40 bits for its probes:
		// (1.5·512·R² + 0.75·R)·4 ≤ 2⁴⁰ at R = 2¹⁴.
		{compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(512, 512, 512), DType: compute.Float64, Alpha: 1.5, Beta: -0.75}, 1 << 14, 1, true},
		// fma, a ← a·1 + 2⁻¹⁰: inputs j·2⁻¹⁰, R + K ≤ 2²⁴ at the cap.
		{compute.Problem{Kernel: compute.FMA, Shape: compute.Chain(1<<20, 256), DType: compute.Float32}, 1 << 20, 0x1p-10, true},
		// The inputs are centred: R + ⌈K/2⌉ ≤ 2²⁴. K = 2²⁵ − 2²⁰ leaves
		// room for R = 2¹⁹ only, and K = 2²⁵ for none.
		{compute.Problem{Kernel: compute.FMA, Shape: compute.Chain(3, 1<<25-1<<20), DType: compute.Float32}, 1 << 19, 0x1p-10, true},
		{compute.Problem{Kernel: compute.FMA, Shape: compute.Chain(3, 1<<25), DType: compute.Float32}, 0, 0, false},
		// A scalar that is not a short dyadic number.
		{compute.Problem{Kernel: compute.Triad, Shape: compute.Vec(8), DType: compute.Float32, Alpha: 0.1}, 0, 0, false},
	} {
		r, grid, why := ExactRange(c.p)
		if r != c.r || grid != c.grid || (why == "") != c.exact {
			t.Errorf("%v α %g: R %d, grid %g, %q; want R %d, grid %g, exact %v", c.p, c.p.Alpha, r, grid, why, c.r, c.grid, c.exact)
		}
	}
}

// TestExactInputs: the exact inputs are nonzero integers within the
// range, of both signs, and their reference is the exact result, which
// the dtype holds: Verify passes it with a bound of zero and fails it
// off by one.
func TestExactInputs(t *testing.T) {
	t.Parallel()
	for _, p := range []compute.Problem{
		{Kernel: compute.Dot, Shape: compute.Vec(100003), DType: compute.Float32},
		{Kernel: compute.Sum, Shape: compute.Vec(65537), DType: compute.Float64},
		{Kernel: compute.Gemv, Shape: compute.Mat(37, 1001), DType: compute.Float32},
		{Kernel: compute.Saxpy, Shape: compute.Vec(33), DType: compute.Float32, Alpha: 1.5},
	} {
		r, _, _ := ExactRange(p)
		in := InputsOf(p, Source{Set: Exact, Seed: 3})
		var neg, pos bool
		for _, v := range in {
			for _, x := range v {
				if x == 0 || x != math.Trunc(x) || math.Abs(x) > float64(r) {
					t.Fatalf("%v: exact input %g outside the nonzero integers of [−%d, %d]", p, x, r, r)
				}
				neg, pos = neg || x < 0, pos || x > 0
			}
		}
		if !neg || !pos {
			t.Errorf("%v: exact inputs of one sign only", p)
		}
		want, mag, err := Compute(p, in)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]float64, len(want))
		for i, w := range want {
			got[i] = Round(w, p.DType)
			if got[i] != w {
				t.Fatalf("%v: element %d = %g does not fit %v", p, i, w, p.DType)
			}
		}
		tol := tolFor(Exact, 0)
		if chk := verify(p, tol, 0, nil, got, []Reference{{want, mag}}); !chk.OK {
			t.Errorf("%v: the exact result fails: %s", p, chk.Reason)
		}
		got[len(got)-1]++
		if chk := verify(p, tol, 0, nil, got, []Reference{{want, mag}}); chk.OK || chk.Bad != 1 {
			t.Errorf("%v: a result off by one passes the exact check", p)
		}
	}
}

// TestExactProbesCatchATile: on the exact inputs, a sampled gemm whose
// result lost any 4×4 tile (zeroed) fails, for every seed tried, though
// the tile is rarely in the sample: the probes are exact.
func TestExactProbesCatchATile(t *testing.T) {
	t.Parallel()
	p := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(301, 263, 97), DType: compute.Float32, Alpha: 1.5, Beta: -0.75}
	src := Source{Set: Exact, Seed: 5}
	want, _, err := Compute(p, InputsOf(p, src))
	if err != nil {
		t.Fatal(err)
	}
	if chk, _, err := Judge(p, compute.Device{}, src, true, compute.HostFrom(want, p.DType)); err != nil || !chk.OK {
		t.Fatalf("exact result: %v, %s", err, chk.Reason)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for seed := range 20 {
		got := slices.Clone(want)
		i0, j0 := rng.IntN(p.Shape.M-4), rng.IntN(p.Shape.N-4)
		for i := i0; i < i0+4; i++ {
			clear(got[i*p.Shape.N+j0 : i*p.Shape.N+j0+4])
		}
		chk, _, err := Judge(p, compute.Device{}, src, true, compute.HostFrom(got, p.DType))
		if err != nil || chk.OK {
			t.Errorf("seed %d: a zeroed 4×4 tile at (%d, %d) passes: %v", seed, i0, j0, err)
		}
	}
}

// TestPositiveSpikes: the positive inputs are in [½, 1) but at the
// spikes, which sit at both ends and each side of the powers of two and
// of the splits into up to 16 parts; random access draws the same values.
func TestPositiveSpikes(t *testing.T) {
	t.Parallel()
	p := compute.Problem{Kernel: compute.Sum, Shape: compute.Vec(100003), DType: compute.Float32}
	in := InputsOf(p, Source{Set: Positive, Seed: 9})[0]
	spike := Spike(p.DType, p.Shape.N)
	if in[0] != 0x1p24 {
		t.Errorf("head %g, want 2²⁴", in[0])
	}
	for _, i := range []int{7, 8, 1023, 1024, 65535, 65536, 100003 / 2, 100003/2 - 1, 100003 / 3, 100002} {
		if in[i] != spike {
			t.Errorf("element %d = %g, want the spike %g", i, in[i], spike)
		}
	}
	spikes := 0
	for _, x := range in {
		switch {
		case x == spike, x == in[0]:
			spikes++
		case x < 0.5 || x >= 1:
			t.Fatalf("positive input %g outside [½, 1)", x)
		}
	}
	if spikes > 300 {
		t.Errorf("%d spikes, want a few hundred at most", spikes)
	}
	st := NewStreamOf(p, "x", Source{Set: Positive, Seed: 9})
	for _, i := range []int{99999, 0, 65536, 1024, 100002} {
		st.Seek(i)
		v := make([]float64, min(3, p.Shape.N-i))
		st.Fill(v)
		if !slices.Equal(v, in[i:i+len(v)]) {
			t.Errorf("Seek(%d) then Fill gives %v, the sequential draw %v", i, v, in[i:i+len(v)])
		}
	}
	// A spike dropped from the sum fails the bound of a tree of leaves of
	// 1024; a serial float32 sum fails the bound of the cpu backend's
	// leaves of 512 (its error is about ¾ of every term after the head).
	want, mag, err := Compute(p, [][]float64{in})
	if err != nil {
		t.Fatal(err)
	}
	if b := p.Bound(1024, mag[0]); spike <= b {
		t.Errorf("spike %g within the bound %g", spike, b)
	}
	var serial float32
	for _, x := range in {
		serial += float32(x)
	}
	b := p.Bound(512, mag[0])
	if e := math.Abs(float64(serial) - want[0]); e <= b {
		t.Errorf("serial float32 sum off by %g, within the leaf-512 bound %g", e, b)
	}
}

// TestRandomStreamIsRandFloat64: the random inputs are 2·U − 1 for U
// the math/rand/v2 Rand.Float64 of a PCG seeded by the seed and the
// hash of "kernel/operand", rounded to the dtype, whatever the path that
// draws them (Fill, FillHost, Seek): the bytes of results files and
// dumps from earlier versions stay the inputs of today.
func TestRandomStreamIsRandFloat64(t *testing.T) {
	t.Parallel()
	p := compute.Problem{Kernel: compute.Add, Shape: compute.Vec(1000), DType: compute.Float32}
	h := fnv.New64a()
	h.Write([]byte("add/y"))
	r := rand.New(rand.NewPCG(11, h.Sum64()))
	want := make([]float64, 1000)
	for i := range want {
		want[i] = float64(float32(2*r.Float64() - 1))
	}
	got := make([]float64, 1000)
	NewStream(p, "y", 11).Fill(got)
	if !slices.Equal(got, want) {
		t.Fatal("Fill differs from rand.Rand.Float64's sequence")
	}
	h32 := compute.NewHost(compute.Float32, 1000)
	NewStream(p, "y", 11).FillHost(h32)
	if !slices.Equal(h32.Float64s(), want) {
		t.Fatal("FillHost differs from rand.Rand.Float64's sequence")
	}
	st := NewStream(p, "y", 11)
	st.Seek(617)
	if v := st.next(); v != want[617] {
		t.Fatalf("Seek(617) draws %g, want %g", v, want[617])
	}
}

// TestCompensatedReference: the reference of dot and sum is summed as if
// in twice float64's precision. 2⁶⁰ + 1 − 2⁶⁰ is 1, where a serial
// float64 sum gives 0 (1 is below half of 2⁶⁰'s ulp, 256); and the
// products' rounding errors count: (1 + 2⁻³⁰)² − 1 − 2⁻²⁹ is 2⁻⁶⁰, which
// float64 products round away.
func TestCompensatedReference(t *testing.T) {
	t.Parallel()
	sum := compute.Problem{Kernel: compute.Sum, Shape: compute.Vec(3), DType: compute.Float64}
	if want, _, err := Compute(sum, [][]float64{{0x1p60, 1, -0x1p60}}); err != nil || want[0] != 1 {
		t.Errorf("sum 2⁶⁰ + 1 − 2⁶⁰ = %v (%v), want 1", want, err)
	}
	dot := compute.Problem{Kernel: compute.Dot, Shape: compute.Vec(3), DType: compute.Float64}
	x := 1 + 0x1p-30
	if want, _, err := Compute(dot, [][]float64{{x, -1, -0x1p-29}, {x, 1, 1}}); err != nil || want[0] != 0x1p-60 {
		t.Errorf("dot (1 + 2⁻³⁰)² − 1 − 2⁻²⁹ = %v (%v), want 2⁻⁶⁰", want, err)
	}
	// The streamed check sums in parts and merges them, compensated too.
	var a, b compSum
	a.add(0x1p60)
	a.add(1)
	b.add(-0x1p60)
	if a.merge(b); a.value() != 1 {
		t.Errorf("merged parts 2⁶⁰ + 1 and −2⁶⁰: %g, want 1", a.value())
	}
	// An infinity among the terms gives the IEEE sum, not Inf − Inf.
	var c compSum
	c.add(math.Inf(1))
	c.add(1)
	if v := c.value(); !math.IsInf(v, 1) {
		t.Errorf("∞ + 1 = %g, want +Inf", v)
	}
}
