//go:build !noasm

package kern

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// FuzzFMA compares each amd64 level's chains with the generic code on
// the same inputs in the same iteration: the levels fuse each step and
// the generic code does not, but a·compute.FMAMul is exact (FMAMul = 1),
// so both round once a step, alike, and must agree to the bit; and each
// is within the derived bound of the float64 chain.
func FuzzFMA(f *testing.F) {
	f.Add(uint16(0), uint8(0), uint16(3), uint64(1))
	f.Add(uint16(15), uint8(1), uint16(1), uint64(2))
	f.Add(uint16(257), uint8(3), uint16(64), uint64(3))
	f.Add(uint16(4099), uint8(2), uint16(0), uint64(4))
	f.Fuzz(func(t *testing.T, n16 uint16, off8 uint8, k16 uint16, seed uint64) {
		n, off, k := int(n16%5000), int(off8%4), int(k16%300)
		fuzzFMA[float32](t, n, off, k, seed)
		fuzzFMA[float64](t, n, off, k, seed)
	})
}

func fuzzFMA[T compute.Float](t *testing.T, n, off, k int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 11))
	x := make([]T, n+off)[off:]
	x64 := make([]float64, n)
	for i := range x {
		x[i] = T(4 * rng.NormFloat64())
		x64[i] = float64(x[i])
	}
	p := compute.Problem{Kernel: compute.FMA, Shape: compute.Chain(n, k), DType: compute.DTypeOf[T]()}
	dt := p.DType
	run := func(set *Set) []T {
		out := make([]T, n)
		For[T](set).FMA(out, x, compute.FMAMul, compute.FMAAdd, k)
		return out
	}
	gen := run(sets(t)[0])
	if n == 0 {
		return
	}
	if k == 0 { // no steps: a copy, at every level
		for _, set := range sets(t) {
			for i, v := range run(set) {
				if v != x[i] {
					t.Fatalf("%s %v n=%d k=0: element %d = %v, want x = %v", set.Level(), dt, n, i, v, x[i])
				}
			}
		}
		return
	}
	want, mag, err := ref.Compute(p, [][]float64{x64})
	if err != nil {
		t.Fatal(err)
	}
	got64 := make([]float64, n)
	for i, v := range gen {
		got64[i] = float64(v)
	}
	if c := ref.Verify(p, Leaf, got64, want, mag); !c.OK {
		t.Fatalf("generic %v n=%d k=%d: %s", dt, n, k, c.Reason)
	}
	for _, set := range sets(t)[1:] {
		got := run(set)
		for i := range got {
			if math.Float64bits(float64(got[i])) != math.Float64bits(float64(gen[i])) {
				t.Fatalf("%s %v n=%d k=%d: element %d = %v, generic %v", set.Level(), dt, n, k, i, got[i], gen[i])
			}
		}
	}
}
