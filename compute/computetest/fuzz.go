package computetest

import (
	"math"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// Fuzz bounds keep one iteration under a millisecond or so on a CPU, so
// that the fuzzer tries many shapes rather than a few large ones.
const (
	fuzzMaxVector = 5000 // elements of a vector kernel
	fuzzMaxMatrix = 130  // each dimension of gemv and transpose
	fuzzMaxGEMM   = 70   // each of gemm's M, N, K
	fuzzMaxSteps  = 300  // K of a kernel that takes N and K (fma)
)

// FuzzShape turns fuzzed numbers into a shape k accepts, each dimension
// in [1, its bound]: a vector length, an M×N matrix, a gemm M×N×K, or N
// elements with K steps, whichever k validates.
func FuzzShape(k compute.Kernel, m, n, kk uint16) compute.Shape {
	b := func(v uint16, hi int) int { return int(v)%hi + 1 }
	for _, s := range []compute.Shape{
		compute.Vec(b(n, fuzzMaxVector)),
		compute.Mat(b(m, fuzzMaxMatrix), b(n, fuzzMaxMatrix)),
		compute.MNK(b(m, fuzzMaxGEMM), b(n, fuzzMaxGEMM), b(kk, fuzzMaxGEMM)),
		{N: b(n, fuzzMaxVector), K: b(kk, fuzzMaxSteps)},
	} {
		if k.Validate(s) == nil {
			return s
		}
	}
	panic("computetest: no fuzz shape for kernel " + k.String())
}

// Fuzz checks b against the reference on random kernels, shapes (small,
// bounded), scalars and values: inputs from a fuzzed seed, scaled by a
// fuzzed power of two, and, for some inputs, holding the special values
// of one kind of Specials. Call it from a FuzzKernels of the backend's
// package; the seed corpus runs in every go test.
func Fuzz(f *testing.F, b compute.Backend) {
	f.Helper()
	f.Add(uint8(0), uint16(1), uint16(1), uint16(1), uint64(1), uint8(0), int8(0), uint8(0))
	for i := range compute.Kernels() {
		f.Add(uint8(i), uint16(16), uint16(33), uint16(17), uint64(i), uint8(0), int8(0), uint8(i))
		f.Add(uint8(i), uint16(64), uint16(4095), uint16(63), uint64(i+7), uint8(3), int8(-30), uint8(2*i+1))
	}
	kernels := compute.Kernels()
	dtypes := b.Device().DTypes
	f.Fuzz(func(t *testing.T, ki uint8, m, n, kk uint16, seed uint64, dti uint8, exp int8, special uint8) {
		k := kernels[int(ki)%len(kernels)]
		dt := dtypes[int(dti)%len(dtypes)]
		c := compute.Problem{Kernel: k, Shape: FuzzShape(k, m, n, kk), DType: dt}
		if k.UsesAlpha() {
			c.Alpha = []float64{1.5, 1, -2, 0.5}[special%4]
		}
		if k.UsesBeta() {
			c.Beta = []float64{-0.75, 0, 1}[special/4%3]
		}
		var in [][]float64
		if kind := int(special / 16); kind < len(Specials) {
			in = SpecialInputs(c, seed, Specials[kind])
		} else {
			in = ref.Inputs(c, seed)
			poisonUnread(c, in)
		}
		// A power of two keeps normal inputs exact (subnormals may round,
		// so round to dt again); ±40 stays clear of overflow in float32
		// products and sums of these lengths.
		scale := math.Ldexp(1, int(exp)%41)
		for _, v := range in {
			for i := range v {
				v[i] = ref.Round(v[i]*scale, dt)
			}
		}
		if err := CheckInputs(b, c, in); err != nil {
			t.Fatalf("%s (seed %d, scale 2^%d, special %d): %v", describe(c), seed, int(exp)%41, special, err)
		}
	})
}
