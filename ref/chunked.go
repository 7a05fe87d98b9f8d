package ref

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/gpubench/gpubench/compute"
)

// chunkBytes is the size of each float64 array GEMMChunks works in: a
// few of them beside the operands a backend holds keep the harness's
// peak memory close to the operands' own size (see harness.HostBytes).
const chunkBytes = 4 << 20

// gemmPanel is how many rows of B GEMMChunks holds in float64 at once.
const gemmPanel = 128

// GEMMChunks computes the reference of gemm (α·A·B + β·C) for the inputs
// that InputsOf(p, src) makes, a block of rows of the result at a
// time, and calls each with the block's first row and its want and mag
// (Compute's, for those rows; valid only during the call). The inputs are
// drawn again from their streams, A's and C's rows in order and B in
// panels of gemmPanel rows for every block, so that no operand is ever
// held whole in float64: memory is a few chunkBytes, whatever the size,
// for about twice Compute's time drawing B again. It reads neither C when
// β = 0 nor A and B when α = 0, as Compute.
func GEMMChunks(p compute.Problem, src Source, each func(row int, want, mag []float64)) {
	s, alpha, beta := p.Shape, p.Alpha, p.Beta
	rows := max(1, min(s.M, chunkBytes/8/max(s.K, s.N)))
	kc := min(gemmPanel, s.K)
	a, absA := make([]float64, rows*s.K), make([]float64, rows*s.K)
	w, m := make([]float64, rows*s.N), make([]float64, rows*s.N)
	c := make([]float64, s.N)
	b, absB := make([]float64, kc*s.N), make([]float64, kc*s.N)
	as, cs := NewStreamOf(p, "A", src), NewStreamOf(p, "C", src)
	for i0 := 0; i0 < s.M; i0 += rows {
		r := min(rows, s.M-i0)
		w, m := w[:r*s.N], m[:r*s.N]
		clear(w)
		clear(m)
		if alpha != 0 {
			as.Fill(a[:r*s.K])
			for i, x := range a[:r*s.K] {
				absA[i] = math.Abs(x)
			}
			bs := NewStreamOf(p, "B", src)
			for p0 := 0; p0 < s.K; p0 += kc {
				q := min(kc, s.K-p0)
				bs.Fill(b[:q*s.N])
				for i, x := range b[:q*s.N] {
					absB[i] = math.Abs(x)
				}
				gemmAcc(r, s.N, q, a[p0:], s.K, b, s.N, w, s.N)
				gemmAcc(r, s.N, q, absA[p0:], s.K, absB, s.N, m, s.N)
			}
			for i := range w {
				w[i] *= alpha
				m[i] *= math.Abs(alpha)
			}
		}
		if beta != 0 {
			for i := range r {
				cs.Fill(c)
				addBetaC(beta, c, w[i*s.N:(i+1)*s.N], m[i*s.N:(i+1)*s.N])
			}
		}
		each(i0, w, m)
	}
}

// GEMMChunksBytes is the memory GEMMChunks works in for shape s.
func GEMMChunksBytes(s compute.Shape) float64 {
	rows := max(1, min(s.M, chunkBytes/8/max(s.K, s.N)))
	kc := min(gemmPanel, s.K)
	return 8 * float64(rows*(2*s.K+2*s.N)+2*kc*s.N+s.N)
}

// gemmAcc adds a·b to c, with a r×q (row stride lda), b q×n (ldb) and
// c r×n (ldc).
func gemmAcc(r, n, q int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas64.General{Rows: r, Cols: q, Stride: lda, Data: a},
		blas64.General{Rows: q, Cols: n, Stride: ldb, Data: b},
		1, blas64.General{Rows: r, Cols: n, Stride: ldc, Data: c})
}
