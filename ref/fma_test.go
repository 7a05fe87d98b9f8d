package ref

import (
	"math"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestFMAFixedPoint checks that stopping the reference chain at its
// fixed point gives the bits of every step run, and that a float32 chain
// (fused and unfused) stays within the derived bound at every K.
func TestFMAFixedPoint(t *testing.T) {
	k, _ := compute.ParseKernel("fma")
	for _, steps := range []int{1, 2, 3, 7, 53, 54, 60, 100, 1000} {
		s := compute.Chain(257, steps)
		in := Inputs(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 5)
		want, mag, err := Compute(compute.Problem{Kernel: k, Shape: s}, in)
		if err != nil {
			t.Fatal(err)
		}
		fused, plain := make([]float64, len(want)), make([]float64, len(want))
		for i, x := range in[0] {
			a, g := x, math.Abs(x)
			for range steps {
				a, g = a*compute.FMAMul+compute.FMAAdd, g*compute.FMAMul+compute.FMAAdd
			}
			if a != want[i] || max(math.Abs(x), g) != mag[i] {
				t.Fatalf("K=%d element %d: reference %g (mag %g), full chain %g (mag %g)", steps, i, want[i], mag[i], a, g)
			}
			f, p := float32(x), float32(x)
			for range steps {
				f = float32(math.FMA(float64(f), compute.FMAMul, compute.FMAAdd))
				p = p*compute.FMAMul + compute.FMAAdd
			}
			fused[i], plain[i] = float64(f), float64(p)
		}
		for name, got := range map[string][]float64{"fused": fused, "unfused": plain} {
			if c := Verify(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, got, want, mag); !c.OK {
				t.Errorf("K=%d %s float32 chain: %s", steps, name, c.Reason)
			}
		}
	}
}
