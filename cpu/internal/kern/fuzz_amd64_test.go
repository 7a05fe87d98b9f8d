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
		fuzzAsm(t, n, off, float32(a), seed)
		fuzzAsm(t, n, off, a, seed)
	})
}

func fuzzAsm[T compute.Float](t *testing.T, n, off int, a T, seed uint64) {
	dt := compute.DTypeOf[T]()
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
	run := func(set *Set) result {
		tab := For[T](set)
		var r result
		for i := range r.vecs {
			r.vecs[i] = make([]T, n)
		}
		r.gemv = make([]T, rows)
		tab.Copy(r.vecs[0], x)
		tab.Scale(r.vecs[1], a, x)
		tab.Add(r.vecs[2], x, y)
		tab.Triad(r.vecs[3], x, a, y)
		tab.Axpy(r.vecs[4], a, x, y)
		r.dot, r.sum = tab.Dot(x, y), tab.Sum(x)
		tab.Gemv(r.gemv, am, ld, x)
		return r
	}
	gen := run(sets(t)[0])
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
	bound := func(k compute.Kernel, s compute.Shape, mag float64) float64 {
		return compute.Problem{Kernel: k, Shape: s, DType: dt}.Bound(Leaf, mag)
	}
	for _, set := range sets(t)[1:] {
		l := set.Level()
		got := run(set)
		for k, v := range got.vecs {
			for i := range v {
				if math.Float64bits(float64(v[i])) != math.Float64bits(float64(gen.vecs[k][i])) {
					t.Fatalf("%s %v kernel %d n=%d: element %d = %v, generic %v", l, dt, k, n, i, v[i], gen.vecs[k][i])
				}
			}
		}
		if tol := 2 * bound(compute.Dot, compute.Vec(n), dotMag); !(math.Abs(float64(got.dot-gen.dot)) <= tol) {
			t.Fatalf("%s %v dot n=%d: %v, generic %v (tolerance %.3g)", l, dt, n, got.dot, gen.dot, tol)
		}
		for i := range rows {
			tol := 2 * bound(compute.Gemv, compute.Mat(rows, n), gemvMag[i])
			if d := math.Abs(float64(got.gemv[i] - gen.gemv[i])); !(d <= tol) {
				t.Fatalf("%s %v gemv %d×%d: row %d = %v, generic %v (tolerance %.3g)", l, dt, rows, n, i, got.gemv[i], gen.gemv[i], tol)
			}
		}
		if tol := 2 * bound(compute.Sum, compute.Vec(n), sumMag); !(math.Abs(float64(got.sum-gen.sum)) <= tol) {
			t.Fatalf("%s %v sum n=%d: %v, generic %v (tolerance %.3g)", l, dt, n, got.sum, gen.sum, tol)
		}
	}
}
