package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"

	"github.com/gpubench/gpubench/compute"
)

var transposes = []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}

// gemmFunc is Sgemm or Dgemm.
type gemmFunc[T compute.Float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// TestGemm checks Sgemm and Dgemm against a float64 reference, within
// compute.Bound, for every transpose pair, at sizes around each level's
// tiles and the size that runs in parallel, with padded rows, NaN guard
// bands, and NaN in C where β = 0 (it must not be read); A and B must
// not change, nor anything outside C. At every level gemm runs every
// product; the zero Implementation runs them as it does by default, the
// products below smallGemm on gonum's code.
func TestGemm(t *testing.T) {
	// Dimensions of 1 and 2, sizes past the micro-tiles, and one past
	// the size that runs in parallel.
	shapes := [][3]int{{1, 1, 1}, {2, 3, 4}, {4, 3, 2}, {3, 4, 0}, {40, 30, 0},
		{1, 40, 30}, {40, 1, 30}, {45, 25, 1}, {2, 33, 17}, {33, 2, 17},
		{15, 17, 33}, {33, 31, 7}, {29, 65, 13}, {130, 70, 300}}
	forEachLevel(t, func(t *testing.T, im Implementation) { gemmShapes(t, im, shapes) })
	// Around smallGemm.
	t.Run("default", func(t *testing.T) {
		gemmShapes(t, Implementation{}, [][3]int{{8, 8, 8}, {8, 8, 16}, {16, 8, 8}, {4, 4, 64}, {3, 7, 49}})
	})
}

func gemmShapes(t *testing.T, im Implementation, shapes [][3]int) {
	alphaBetas := [][2]float64{{1, 0}, {1, 1}, {-1.5, 0.5}, {0, 0}, {0, 2}, {2, 0}, {0.5, -1}}
	rng := rand.New(rand.NewPCG(1, 1))
	i := 0
	for _, s := range shapes {
		for _, tA := range transposes {
			for _, tB := range transposes {
				if s[0]*s[1]*s[2] > 1e6 && tA != tB {
					// The parallel paths with either operand transposed are
					// gemm's TestGemmTrans; the reference costs here.
					continue
				}
				ab := alphaBetas[i%len(alphaBetas)]
				pad := i % 3
				i++
				gemmCase(t, im.Sgemm, rng, tA, tB, s[0], s[1], s[2], float32(ab[0]), float32(ab[1]), pad)
				gemmCase(t, im.Dgemm, rng, tA, tB, s[0], s[1], s[2], ab[0], ab[1], pad)
			}
		}
	}
}

func gemmCase[T compute.Float](t *testing.T, f gemmFunc[T], rng *rand.Rand, tA, tB blas.Transpose, m, n, k int, alpha, beta T, pad int) {
	t.Helper()
	name := fmt.Sprintf("%T gemm %c%c m=%d n=%d k=%d α=%v β=%v", alpha, tA, tB, m, n, k, alpha, beta)
	ra, ca := m, k
	if tA != blas.NoTrans {
		ra, ca = k, m
	}
	rb, cb := k, n
	if tB != blas.NoTrans {
		rb, cb = n, k
	}
	a := newGuarded(ra, ca, pad, 0, uniform[T](rng))
	b := newGuarded(rb, cb, pad+1, 0, uniform[T](rng))
	var fillC func() T
	if beta != 0 {
		fillC = uniform[T](rng)
	}
	c := newGuarded(m, n, 2-pad, 0, fillC)
	f(tA, tB, m, n, k, alpha, a.data(), a.ld, b.data(), b.ld, beta, c.data(), c.ld)

	opA := func(i, p int) float64 {
		if tA != blas.NoTrans {
			return float64(a.at(p, i))
		}
		return float64(a.at(i, p))
	}
	opB := func(p, j int) float64 {
		if tB != blas.NoTrans {
			return float64(b.at(j, p))
		}
		return float64(b.at(p, j))
	}
	pr := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(m, n, k), DType: compute.DTypeOf[T]()}
	for i := range m {
		for j := range n {
			var sum, mag float64
			for p := range k {
				x := opA(i, p) * opB(p, j)
				sum += x
				mag += math.Abs(x)
			}
			want, mag := float64(alpha)*sum, math.Abs(float64(alpha))*mag
			if beta != 0 {
				want += float64(beta) * float64(c.was(i, j))
				mag += math.Abs(float64(beta) * float64(c.was(i, j)))
			}
			within(t, fmt.Sprintf("%s: C[%d,%d]", name, i, j), float64(c.at(i, j)), want, pr.Bound(0, mag))
		}
	}
	a.unchanged(t, name+": A", true)
	b.unchanged(t, name+": B", true)
	c.unchanged(t, name+": C's storage", false)
}

// TestGemmNaN checks that NaN in A or B reaches exactly the elements of
// C that depend on it, and nothing where α = 0 (A and B are not read),
// for every transpose pair.
func TestGemmNaN(t *testing.T) {
	forEachLevel(t, func(t *testing.T, im Implementation) {
		for _, tA := range transposes {
			for _, tB := range transposes {
				gemmNaN(t, im.Sgemm, tA, tB)
				gemmNaN(t, im.Dgemm, tA, tB)
			}
		}
	})
}

func gemmNaN[T compute.Float](t *testing.T, f gemmFunc[T], tA, tB blas.Transpose) {
	const m, n, k = 19, 37, 11
	const ni, nj, np = 5, 30, 7 // NaN at op(A)[ni, np] and op(B)[np, nj]
	for _, alpha := range []T{1, 0} {
		a, b, c := make([]T, m*k), make([]T, k*n), make([]T, m*n)
		for i := range a {
			a[i] = 1
		}
		for i := range b {
			b[i] = 1
		}
		ia, ib := ni*k+np, np*n+nj // element (ni, np) of A, (np, nj) of B
		lda, ldb := k, n
		if tA != blas.NoTrans {
			ia, lda = np*m+ni, m
		}
		if tB != blas.NoTrans {
			ib, ldb = nj*k+np, k
		}
		a[ia], b[ib] = T(math.NaN()), T(math.NaN())
		f(tA, tB, m, n, k, alpha, a, lda, b, ldb, 1, c, n)
		for i := range m {
			for j := range n {
				got := math.IsNaN(float64(c[i*n+j]))
				want := alpha != 0 && (i == ni || j == nj)
				if got != want {
					t.Fatalf("%T gemm %c%c α=%v: C[%d,%d] = %v with NaN at A[%d,%d] and B[%d,%d]",
						alpha, tA, tB, alpha, i, j, c[i*n+j], ni, np, np, nj)
				}
			}
		}
	}
}
