package ref

import (
	"math"
	"math/big"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// chain32 runs the fma chain k steps in float32, fused (one rounding of
// the exact a·FMAMul + FMAAdd a step) or not. With FMAMul = 1 the product
// is exact and the two give the same bits; both stay so that a constant
// whose product rounds would be held to the bound in both forms.
func chain32(x float64, k int, fused bool) float64 {
	a := float32(x)
	for range k {
		if fused {
			a = float32(math.FMA(float64(a), compute.FMAMul, compute.FMAAdd))
		} else {
			a = a*compute.FMAMul + compute.FMAAdd
		}
	}
	return float64(a)
}

// chain64 runs the fma chain k steps in float64.
func chain64(x float64, k int) float64 {
	for range k {
		x = math.FMA(x, compute.FMAMul, compute.FMAAdd)
	}
	return x
}

// TestFMAReference checks the closed form against the exact chain,
// x + K·FMAAdd in 200-bit arithmetic: want within the reference's share
// of the bound, γ_f64(K)·mag, and mag no smaller than |x| + K·FMAAdd;
// and that float32 chains, fused and not, verify at every K.
func TestFMAReference(t *testing.T) {
	t.Parallel()
	k, _ := compute.ParseKernel("fma")
	for _, steps := range []int{1, 2, 3, 7, 53, 256, 1000, 1 << 12} {
		s := compute.Chain(257, steps)
		in := Inputs(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 5)
		want, mag, err := Compute(compute.Problem{Kernel: k, Shape: s}, in)
		if err != nil {
			t.Fatal(err)
		}
		ref := compute.Gamma(steps, compute.Float64.UnitRoundoff())
		fused, plain := make([]float64, len(want)), make([]float64, len(want))
		for i, x := range in[0] {
			kc := new(big.Float).SetPrec(200).SetFloat64(compute.FMAAdd)
			kc.Mul(kc, new(big.Float).SetPrec(200).SetInt64(int64(steps)))
			exact := new(big.Float).SetPrec(200).Add(new(big.Float).SetPrec(200).SetFloat64(x), kc)
			m := new(big.Float).SetPrec(200).Add(new(big.Float).SetPrec(200).SetFloat64(math.Abs(x)), kc)
			diff := new(big.Float).SetPrec(200).Sub(new(big.Float).SetPrec(200).SetFloat64(want[i]), exact)
			e, _ := diff.Float64()
			if math.Abs(e) > ref*mag[i] {
				t.Fatalf("K=%d element %d: want %g is %g from the exact chain, beyond γ_f64(K)·mag = %g", steps, i, want[i], e, ref*mag[i])
			}
			if new(big.Float).SetFloat64(mag[i]).Cmp(m) < 0 {
				t.Fatalf("K=%d element %d: mag %g below |x| + K·FMAAdd = %s", steps, i, mag[i], m.Text('g', 20))
			}
			fused[i], plain[i] = chain32(x, steps, true), chain32(x, steps, false)
		}
		for name, got := range map[string][]float64{"fused": fused, "unfused": plain} {
			if c := Verify(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, got, want, mag); !c.OK {
				t.Errorf("K=%d %s float32 chain: %s", steps, name, c.Reason)
			}
		}
	}
}

// TestFMAEdges: the largest float64 keeps a finite mag, and NaN and ±Inf
// pass through as the chain passes them.
func TestFMAEdges(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ x, want, mag float64 }{
		{math.MaxFloat64, math.MaxFloat64, math.MaxFloat64},
		{-math.MaxFloat64, -math.MaxFloat64, math.MaxFloat64},
		{math.Inf(1), math.Inf(1), math.Inf(1)},
		{math.Inf(-1), math.Inf(-1), math.Inf(1)},
		{math.NaN(), math.NaN(), math.NaN()},
	} {
		w, m := fma(c.x, 256)
		same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
		if !same(w, c.want) || !same(m, c.mag) {
			t.Errorf("fma(%g, 256) = %g, mag %g; want %g, mag %g", c.x, w, m, c.want, c.mag)
		}
	}
}

// TestFMAStepCount checks that the random-input check sees a chain one
// step short or long at K = 256 in both dtypes, which a contracting
// step hid, and passes the chain of K steps run in the dtype.
func TestFMAStepCount(t *testing.T) {
	t.Parallel()
	k, _ := compute.ParseKernel("fma")
	const steps = 256
	s := compute.Chain(1000, steps)
	for _, dt := range []compute.DType{compute.Float32, compute.Float64} {
		p := compute.Problem{Kernel: k, Shape: s, DType: dt}
		in := Inputs(p, 3)
		want, mag, err := Compute(compute.Problem{Kernel: k, Shape: s}, in)
		if err != nil {
			t.Fatal(err)
		}
		run := func(n int) []float64 {
			got := make([]float64, len(want))
			for i, x := range in[0] {
				if dt == compute.Float32 {
					got[i] = chain32(x, n, true)
				} else {
					got[i] = chain64(x, n)
				}
			}
			return got
		}
		if c := Verify(p, 0, run(steps), want, mag); !c.OK {
			t.Errorf("%v: %d steps fail: %s", dt, steps, c.Reason)
		}
		for _, n := range []int{steps - 1, steps + 1} {
			if c := Verify(p, 0, run(n), want, mag); c.OK || c.Bad != len(want) {
				t.Errorf("%v: a chain of %d steps for K = %d: OK %v, %d of %d elements bad", dt, n, steps, c.OK, c.Bad, len(want))
			}
		}
		short := make([]float64, len(want))
		for i, x := range in[0] {
			short[i] = Round(x+(steps-1)*compute.FMAAdd, dt)
		}
		if c := Verify(p, 0, short, want, mag); c.OK {
			t.Errorf("%v: x + (K−1)·FMAAdd passes for K = %d", dt, steps)
		}
	}
}
