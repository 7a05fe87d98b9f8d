package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/gonum"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// vectorSizes are every size up to three AVX-512 float32 vectors and
// one, primes, and sizes past the pairwise sums' leaf (kern.Leaf).
var vectorSizes = func() []int {
	var s []int
	for n := 1; n <= 3*16+1; n++ {
		s = append(s, n)
	}
	return append(s, 97, 251, kern.Leaf-1, kern.Leaf+1, 4093, 65537)
}()

// TestLevel1 checks Saxpy, Daxpy, Sdot, Ddot, Sscal, Dscal, Snrm2 and
// Dnrm2 with unit increments against a float64 reference within
// compute.Bound (Sscal and Dscal bit for bit: one rounding), at every
// size of vectorSizes and unaligned starts, with NaN guard bands and NaN
// past the n elements in each slice: x must not change, nor y past n.
func TestLevel1(t *testing.T) {
	forEachLevel(t, func(t *testing.T, im Implementation) {
		rng := rand.New(rand.NewPCG(2, 2))
		for i, n := range vectorSizes {
			off, alpha := i%4, []float64{1.5, -1, 0}[i%3]
			level1Case(t, rng, level1[float32]{im.Saxpy, im.Sdot, im.Sscal, im.Snrm2}, n, off, float32(alpha))
			level1Case(t, rng, level1[float64]{im.Daxpy, im.Ddot, im.Dscal, im.Dnrm2}, n, off, alpha)
		}
	})
}

func level1Case[T compute.Float](t *testing.T, rng *rand.Rand, f level1[T], n, off int, alpha T) {
	t.Helper()
	dt := compute.DTypeOf[T]()
	name := fmt.Sprintf("%v n=%d offset %d α=%v", dt, n, off, alpha)
	x := newVector(n, off, 3, uniform[T](rng))
	y := newVector(n, (off+1)%4, 3, uniform[T](rng))

	f.axpy(n, alpha, x.data(), 1, y.data(), 1)
	pr := compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(n), DType: dt}
	for i := range n {
		ax := float64(alpha) * float64(x.at(0, i))
		within(t, fmt.Sprintf("%s: axpy y[%d]", name, i), float64(y.at(0, i)), ax+float64(y.was(0, i)),
			pr.Bound(0, math.Abs(ax)+math.Abs(float64(y.was(0, i)))))
	}
	x.unchanged(t, name+": axpy x", true)
	y.unchanged(t, name+": axpy y's storage", false)

	got := f.dot(n, x.data(), 1, y.data(), 1)
	var want, mag float64
	for i := range n {
		p := float64(x.at(0, i)) * float64(y.at(0, i))
		want += p
		mag += math.Abs(p)
	}
	pr = compute.Problem{Kernel: compute.Dot, Shape: compute.Vec(n), DType: dt}
	within(t, name+": dot", float64(got), want, pr.Bound(kern.Leaf, mag))

	// The norm: within half the relative bound of the sum of squares,
	// which the root halves, and the root's own rounding.
	got = f.nrm2(n, x.data(), 1)
	var sq float64
	for i := range n {
		sq += float64(x.at(0, i)) * float64(x.at(0, i))
	}
	want = math.Sqrt(sq)
	within(t, name+": nrm2", float64(got), want, pr.Bound(kern.Leaf, sq)/(2*want)+dt.UnitRoundoff()*want)

	f.scal(n, alpha, x.data(), 1)
	for i := range n {
		if got, want := x.at(0, i), alpha*x.was(0, i); got != want {
			t.Fatalf("%s: scal x[%d] = %v, want %v", name, i, got, want)
		}
	}
	x.unchanged(t, name+": scal x's storage", false)
}

// TestLevel1Special checks NaN and Inf in the vectors: dot and axpy
// propagate them (axpy not where α = 0, gonum's quick return), scal
// with α = 0 clears them, and the norm of vectors whose squares
// overflow, underflow or hold NaN or Inf is gonum's, to within rounding.
func TestLevel1Special(t *testing.T) {
	forEachLevel(t, func(t *testing.T, im Implementation) {
		level1Special(t, level1[float32]{im.Saxpy, im.Sdot, im.Sscal, im.Snrm2}, level1[float32]{gonum.Implementation{}.Saxpy, nil, nil, gonum.Implementation{}.Snrm2})
		level1Special(t, level1[float64]{im.Daxpy, im.Ddot, im.Dscal, im.Dnrm2}, level1[float64]{gonum.Implementation{}.Daxpy, nil, nil, gonum.Implementation{}.Dnrm2})
	})
}

func level1Special[T compute.Float](t *testing.T, f, g level1[T]) {
	const n, at = 100, 37
	nan, inf := T(math.NaN()), T(math.Inf(1))
	ones := func() []T {
		s := make([]T, n)
		for i := range s {
			s[i] = 1
		}
		return s
	}
	for _, bad := range []T{nan, inf} {
		x, y := ones(), ones()
		x[at] = bad
		if d := f.dot(n, x, 1, y, 1); !math.IsNaN(float64(d)) && d != bad {
			t.Errorf("%T dot with %v in x = %v", d, bad, d)
		}
		f.axpy(n, 2, x, 1, y, 1)
		for i, v := range y {
			want := T(3)
			if i == at {
				want = 2*bad + 1
			}
			if v != want && !(math.IsNaN(float64(v)) && math.IsNaN(float64(want))) {
				t.Errorf("%T axpy with %v at x[%d]: y[%d] = %v, want %v", v, bad, at, i, v, want)
			}
		}
		y = ones()
		f.axpy(n, 0, x, 1, y, 1)
		if y[at] != 1 {
			t.Errorf("%T axpy α=0 with %v at x[%d]: y[%d] = %v, want 1 (x unread)", y[0], bad, at, at, y[at])
		}
		f.scal(n, 0, x, 1)
		if x[at] != 0 {
			t.Errorf("%T scal α=0: x[%d] = %v, want 0", x[0], at, x[at])
		}
	}
	// Norms of vectors whose squares overflow, underflow or are not
	// finite, and of an ordinary one, against gonum's scaled sum.
	big, tiny := T(math.Sqrt(float64(maxOf[T]()))), T(math.Sqrt(float64(minOf[T]())))
	for _, v := range []T{1, big * 2, big / 2, tiny / 4, tiny * 4, nan, inf} {
		x := ones()
		for i := range x {
			x[i] = v * T(1+i%3)
		}
		x[at] = v
		got, want := f.nrm2(n, x, 1), g.nrm2(n, x, 1)
		u := compute.DTypeOf[T]().UnitRoundoff()
		// Each is within γ(n+1) of the exact norm.
		within(t, fmt.Sprintf("%T nrm2 of elements %v", v, v), float64(got), float64(want), 2*compute.Gamma(n+1, u)*math.Abs(float64(want)))
		if math.IsInf(float64(want), 1) != math.IsInf(float64(got), 1) {
			t.Errorf("%T nrm2 of elements %v = %v, gonum %v", v, v, got, want)
		}
	}
}

// maxOf and minOf are T's largest finite value and smallest normal one.
func maxOf[T compute.Float]() float64 {
	if compute.DTypeOf[T]() == compute.Float32 {
		return math.MaxFloat32
	}
	return math.MaxFloat64
}

func minOf[T compute.Float]() float64 {
	if compute.DTypeOf[T]() == compute.Float32 {
		return 0x1p-126
	}
	return 0x1p-1022
}
