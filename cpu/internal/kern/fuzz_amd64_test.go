//go:build !noasm

package kern

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// FuzzAsm compares each amd64 level's kernels with the generic code on
// the same inputs in the same iteration: the elementwise kernels bit for
// bit, dot, sum and gemv within twice compute.Bound (both are within it
// of the exact sum).
func FuzzAsm(f *testing.F) {
	f.Add(uint16(0), uint8(0), 1.5, uint64(1))
	f.Add(uint16(15), uint8(1), -2.0, uint64(2))
	f.Add(uint16(65), uint8(3), 0.5, uint64(3))
	f.Add(uint16(513), uint8(2), 3.0, uint64(4))
	f.Add(uint16(4099), uint8(1), -0.25, uint64(5))
	f.Fuzz(func(t *testing.T, n16 uint16, off8 uint8, a float64, seed uint64) {
		n, off := int(n16%5000), int(off8%4)
		fuzzAsm[float32](t, n, off, float32(a), seed, compute.Float32)
		fuzzAsm[float64](t, n, off, a, seed, compute.Float64)
	})
}

func fuzzAsm[T float32 | float64](t *testing.T, n, off int, a T, seed uint64, dt compute.DType) {
	rng := rand.New(rand.NewPCG(seed, 9))
	vec := func() []T {
		v := make([]T, n+off)
		for i := range v {
			v[i] = T(rng.NormFloat64())
		}
		return v[off:]
	}
	x, y := vec(), vec()
	// A is rows×n at row stride ld, for gemv.
	rows, ld := 1+int(seed%9), max(n, 1)+off
	am := make([]T, rows*ld)
	for i := range am {
		am[i] = T(rng.NormFloat64())
	}
	type result struct {
		vecs [5][]T
		dot  T
		sum  T
		gemv []T
	}
	run := func(l Level) result {
		defer SetLevel(l)()
		var r result
		for i := range r.vecs {
			r.vecs[i] = make([]T, n)
		}
		r.gemv = make([]T, rows)
		switch any(a).(type) {
		case float32:
			x, y, a := any(x).([]float32), any(y).([]float32), any(a).(float32)
			Copy32(any(r.vecs[0]).([]float32), x)
			Scale32(any(r.vecs[1]).([]float32), a, x)
			Add32(any(r.vecs[2]).([]float32), x, y)
			Triad32(any(r.vecs[3]).([]float32), x, a, y)
			Axpy32(any(r.vecs[4]).([]float32), a, x, y)
			r.dot, r.sum = T(Dot32(x, y)), T(Sum32(x))
			Gemv32(any(r.gemv).([]float32), any(am).([]float32), ld, x)
		case float64:
			x, y, a := any(x).([]float64), any(y).([]float64), any(a).(float64)
			Copy64(any(r.vecs[0]).([]float64), x)
			Scale64(any(r.vecs[1]).([]float64), a, x)
			Add64(any(r.vecs[2]).([]float64), x, y)
			Triad64(any(r.vecs[3]).([]float64), x, a, y)
			Axpy64(any(r.vecs[4]).([]float64), a, x, y)
			r.dot, r.sum = T(Dot64(x, y)), T(Sum64(x))
			Gemv64(any(r.gemv).([]float64), any(am).([]float64), ld, x)
		}
		return r
	}
	gen := run(Generic)
	var dotMag, sumMag float64
	for i := range x {
		dotMag += math.Abs(float64(x[i]) * float64(y[i]))
		sumMag += math.Abs(float64(x[i]))
	}
	gemvMag := make([]float64, rows)
	for i := range rows {
		for j := range n {
			gemvMag[i] += math.Abs(float64(am[i*ld+j]) * float64(x[j]))
		}
	}
	gemvK, _ := compute.LookupKernel("gemv")
	dotK, _ := compute.LookupKernel("dot")
	sumK, _ := compute.LookupKernel("sum")
	for _, l := range Levels() {
		if l == Generic {
			continue
		}
		got := run(l)
		for k, v := range got.vecs {
			for i := range v {
				if math.Float64bits(float64(v[i])) != math.Float64bits(float64(gen.vecs[k][i])) {
					t.Fatalf("%s %v kernel %d n=%d: element %d = %v, generic %v", l, dt, k, n, i, v[i], gen.vecs[k][i])
				}
			}
		}
		if tol := 2 * compute.Bound(dotK, compute.Vec(n), dt, Leaf, dotMag); !(math.Abs(float64(got.dot-gen.dot)) <= tol) {
			t.Fatalf("%s %v dot n=%d: %v, generic %v (tolerance %.3g)", l, dt, n, got.dot, gen.dot, tol)
		}
		for i := range rows {
			tol := 2 * compute.Bound(gemvK, compute.Mat(rows, n), dt, Leaf, gemvMag[i])
			if d := math.Abs(float64(got.gemv[i] - gen.gemv[i])); !(d <= tol) {
				t.Fatalf("%s %v gemv %d×%d: row %d = %v, generic %v (tolerance %.3g)", l, dt, rows, n, i, got.gemv[i], gen.gemv[i], tol)
			}
		}
		if tol := 2 * compute.Bound(sumK, compute.Vec(n), dt, Leaf, sumMag); !(math.Abs(float64(got.sum-gen.sum)) <= tol) {
			t.Fatalf("%s %v sum n=%d: %v, generic %v (tolerance %.3g)", l, dt, n, got.sum, gen.sum, tol)
		}
	}
}
