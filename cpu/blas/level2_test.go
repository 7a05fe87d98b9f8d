package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// TestGemv checks Sgemv and Dgemv with unit increments against a
// float64 reference within compute.Bound, both transposes, at sizes
// around the kernels' vectors, past gemvRows and on two workers, with padded rows,
// unaligned vectors, NaN guard bands, NaN past the vectors' elements in
// their slices, and NaN in y where β = 0 (it must not be read): A and x
// must not change, nor y's storage past its elements.
func TestGemv(t *testing.T) {
	dims := []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65}
	alphaBetas := [][2]float64{{1, 0}, {1, 1}, {-1.5, 0.5}, {0, 0}, {0, 2}, {2, 0}, {0, 1}}
	forEachLevel(t, func(t *testing.T, im Implementation) {
		rng := rand.New(rand.NewPCG(3, 3))
		i := 0
		// Past gemvRows, and past 2·minGemvBytes (two workers).
		shapes := [][2]int{{gemvRows + 44, 37}, {37, gemvRows + 44}, {2*gemvRows + 1, 3}, {600, 500}}
		for _, m := range dims {
			for _, n := range dims {
				shapes = append(shapes, [2]int{m, n})
			}
		}
		for _, s := range shapes {
			for _, tA := range transposes {
				ab := alphaBetas[i%len(alphaBetas)]
				i++
				gemvCase(t, im.Sgemv, rng, tA, s[0], s[1], float32(ab[0]), float32(ab[1]), i%3, i%4)
				gemvCase(t, im.Dgemv, rng, tA, s[0], s[1], ab[0], ab[1], i%3, i%4)
			}
		}
	})
}

func gemvCase[T compute.Float](t *testing.T, f gemvFunc[T], rng *rand.Rand, tA blas.Transpose, m, n int, alpha, beta T, pad, off int) {
	t.Helper()
	name := fmt.Sprintf("%T gemv %c m=%d n=%d α=%v β=%v", alpha, tA, m, n, alpha, beta)
	lenX, lenY := n, m
	if tA != blas.NoTrans {
		lenX, lenY = m, n
	}
	a := newGuarded(m, n, pad, 0, uniform[T](rng))
	x := newVector(lenX, off, 2, uniform[T](rng))
	var fillY func() T
	if beta != 0 {
		fillY = uniform[T](rng)
	}
	y := newVector(lenY, 3-off, 2, fillY)
	f(tA, m, n, alpha, a.data(), a.ld, x.data(), 1, beta, y.data(), 1)

	// y_i = α·Σ_p op(A)[i,p]·x_p + β·y_i: gemm's bound with k = lenX.
	pr := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(lenY, 1, lenX), DType: compute.DTypeOf[T]()}
	for i := range lenY {
		var sum, mag float64
		for p := range lenX {
			var av T
			if tA == blas.NoTrans {
				av = a.at(i, p)
			} else {
				av = a.at(p, i)
			}
			v := float64(av) * float64(x.at(0, p))
			sum += v
			mag += math.Abs(v)
		}
		want, mag := float64(alpha)*sum, math.Abs(float64(alpha))*mag
		if beta != 0 {
			want += float64(beta) * float64(y.was(0, i))
			mag += math.Abs(float64(beta) * float64(y.was(0, i)))
		}
		within(t, fmt.Sprintf("%s: y[%d]", name, i), float64(y.at(0, i)), want, pr.Bound(0, mag))
	}
	a.unchanged(t, name+": A", true)
	x.unchanged(t, name+": x", true)
	y.unchanged(t, name+": y's storage", false)
}

// TestGemvParallel: gemv on several workers gives the bits of one, at
// sizes that cut y into parts that are not all alike, for both
// transposes and β = 0 (y unread) and not.
func TestGemvParallel(t *testing.T) {
	for _, l := range kern.Available() {
		one, err := New(Options{Level: l, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		three, err := New(Options{Level: l, Workers: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range [][2]int{{600, 500}, {1001, 301}, {37, 9001}, {9001, 37}} {
			for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				for _, beta := range []float64{0, 0.5} {
					gemvSame(t, one.Sgemv, three.Sgemv, tA, s[0], s[1], float32(beta))
					gemvSame(t, one.Dgemv, three.Dgemv, tA, s[0], s[1], beta)
				}
			}
		}
		one.Close()
		three.Close()
	}
}

func gemvSame[T compute.Float](t *testing.T, one, many gemvFunc[T], tA blas.Transpose, m, n int, beta T) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(m), uint64(n)))
	a := newGuarded(m, n, 1, 0, uniform[T](rng))
	lenX, lenY := n, m
	if tA != blas.NoTrans {
		lenX, lenY = m, n
	}
	x := newVector(lenX, 0, 0, uniform[T](rng))
	y1 := newVector(lenY, 0, 0, uniform[T](rng))
	y2 := newVector[T](lenY, 0, 0, nil)
	copy(y2.buf, y1.buf)
	one(tA, m, n, 1.5, a.data(), a.ld, x.data(), 1, beta, y1.data(), 1)
	many(tA, m, n, 1.5, a.data(), a.ld, x.data(), 1, beta, y2.data(), 1)
	sameBits(t, fmt.Sprintf("%T gemv %c m=%d n=%d β=%v on 3 workers", beta, tA, m, n, beta), y2.buf, y1.buf)
}
