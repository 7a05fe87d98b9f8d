package gemm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// FuzzGemm compares every assembly level with the generic code on the
// same inputs in the same iteration: both are within compute.Bound of
// the exact product, so they differ by at most twice it. Seeds are in
// testdata/fuzz/FuzzGemm.
func FuzzGemm(f *testing.F) {
	f.Add(uint8(14), uint8(32), uint8(5), 1.0, 0.0, uint64(1))
	f.Add(uint8(15), uint8(33), uint8(1), -1.5, 0.5, uint64(2))
	f.Add(uint8(1), uint8(1), uint8(0), 2.0, 3.0, uint64(3))
	f.Fuzz(func(t *testing.T, m8, n8, k8 uint8, alpha, beta float64, seed uint64) {
		m, n, k := int(m8%80), int(n8%80), int(k8%80)
		if math.IsNaN(alpha) || math.IsInf(alpha, 0) || math.IsNaN(beta) || math.IsInf(beta, 0) ||
			math.Abs(alpha) > 1e3 || math.Abs(beta) > 1e3 {
			t.Skip("α and β are finite and moderate: overflow is not what this compares")
		}
		fuzzLevels(t, compute.Float32, m, n, k, float32(alpha), float32(beta), seed)
		fuzzLevels(t, compute.Float64, m, n, k, alpha, beta, seed)
	})
}

func fuzzLevels[T compute.Float](t *testing.T, dt compute.DType, m, n, k int, alpha, beta T, seed uint64) {
	p := newProblem(rand.New(rand.NewPCG(seed, 7)), m, n, k, alpha, beta)
	a, b, c := p.args()
	gen := append([]T(nil), c...)
	at[T](levelOf(t, kern.Generic))(nil, m, n, k, alpha, a, p.lda, b, p.ldb, beta, gen, p.ldc)
	pr := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(m, n, k), DType: dt}
	for _, l := range kern.Available() {
		if l == kern.Generic {
			continue
		}
		got := append([]T(nil), c...)
		at[T](levelOf(t, l))(nil, m, n, k, alpha, a, p.lda, b, p.ldb, beta, got, p.ldc)
		for i := range m {
			for j := range n {
				var mag float64
				for q := range k {
					mag += math.Abs(float64(a[i*p.lda+q]) * float64(b[q*p.ldb+j]))
				}
				mag *= math.Abs(float64(alpha))
				if beta != 0 {
					mag += math.Abs(float64(beta) * float64(c[i*p.ldc+j]))
				}
				x, y := float64(got[i*p.ldc+j]), float64(gen[i*p.ldc+j])
				if tol := 2 * pr.Bound(0, mag); !(math.Abs(x-y) <= tol) {
					t.Fatalf("%s %v m=%d n=%d k=%d α=%v β=%v: C[%d,%d] = %v, generic %v (tolerance %.3g)",
						l, dt, m, n, k, alpha, beta, i, j, x, y, tol)
				}
			}
		}
	}
}
