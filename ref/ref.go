package ref

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gpubench/gpubench/compute"
)

// Compute returns the reference result of p on the inputs in (ordered as
// p.Kernel.Inputs()) and mag, the same computation on absolute values, which
// scales the error bound of each element (see compute.Bound). Following
// BLAS, gemm reads neither C when β = 0 nor A and B when α = 0, so NaNs
// there do not reach the result.
//
// Where an input holds NaN or ±Inf, gemv and gemm are computed with plain
// loops rather than gonum: gonum's dgemm skips a term whose α·a is zero,
// which drops the NaN of 0·Inf that IEEE arithmetic (and a backend) makes.
func Compute(p compute.Problem, in [][]float64) (want, mag []float64, err error) {
	k, s := p.Kernel, p.Shape
	if err := k.Validate(s); err != nil {
		return nil, nil, err
	}
	for i, name := range k.Inputs() {
		if len(in[i]) != k.OperandLen(name, s) {
			return nil, nil, fmt.Errorf("%w: ref: operand %s has %d elements, want %d", compute.ErrShape, name, len(in[i]), k.OperandLen(name, s))
		}
	}
	n := k.OperandLen("out", s)
	want, mag = make([]float64, n), make([]float64, n)
	if err := computeInto(p, in, want, mag); err != nil {
		return nil, nil, err
	}
	return want, mag, nil
}

// computeInto is Compute into want and mag, which must be zero and of
// out's length: the streamed check (VerifyStream) reuses them chunk
// after chunk.
func computeInto(p compute.Problem, in [][]float64, want, mag []float64) error {
	k, s, alpha, beta := p.Kernel, p.Shape, p.Alpha, p.Beta
	a := math.Abs(alpha)
	switch k {
	case compute.Copy:
		for i, x := range in[0] {
			want[i], mag[i] = x, math.Abs(x)
		}
	case compute.Scale:
		for i, x := range in[0] {
			want[i], mag[i] = alpha*x, a*math.Abs(x)
		}
	case compute.Add:
		for i := range want {
			x, y := in[0][i], in[1][i]
			want[i], mag[i] = x+y, math.Abs(x)+math.Abs(y)
		}
	case compute.Triad:
		for i := range want {
			x, y := in[0][i], in[1][i]
			want[i], mag[i] = x+alpha*y, math.Abs(x)+a*math.Abs(y)
		}
	case compute.Saxpy:
		for i := range want {
			x, y := in[0][i], in[1][i]
			want[i], mag[i] = alpha*x+y, a*math.Abs(x)+math.Abs(y)
		}
	case compute.Dot:
		var w compSum
		for i, x := range in[0] {
			y := in[1][i]
			w.addProduct(x, y)
			mag[0] += math.Abs(x * y)
		}
		want[0] = w.value()
	case compute.Sum:
		var w compSum
		for _, x := range in[0] {
			w.add(x)
			mag[0] += math.Abs(x)
		}
		want[0] = w.value()
	case compute.Gemv:
		if !allFinite(in) {
			gemvLoops(s, in, want, mag)
			break
		}
		A := mat.NewDense(s.M, s.N, in[0])
		x := mat.NewVecDense(s.N, in[1])
		mat.NewVecDense(s.M, want).MulVec(A, x)
		mat.NewVecDense(s.M, mag).MulVec(absDense(s.M, s.N, in[0]), mat.NewVecDense(s.N, absAll(in[1])))
	case compute.Transpose:
		A := mat.NewDense(s.M, s.N, in[0])
		mat.NewDense(s.N, s.M, want).Copy(A.T())
		for i, v := range want {
			mag[i] = math.Abs(v)
		}
	case compute.Gemm:
		if !allFinite(in[:2]) {
			gemmLoops(s, alpha, in[0], in[1], want, mag)
			addBetaC(beta, in[2], want, mag)
			break
		}
		gemm(s, alpha, beta, in, want, mag)
	case compute.FMA:
		for i, x := range in[0] {
			want[i], mag[i] = fma(x, s.K)
		}
	default:
		return fmt.Errorf("%w: ref has no reference for %s", compute.ErrUnsupported, k)
	}
	return nil
}

func gemm(s compute.Shape, alpha, beta float64, in [][]float64, want, mag []float64) {
	W, M := mat.NewDense(s.M, s.N, want), mat.NewDense(s.M, s.N, mag)
	if alpha != 0 {
		W.Mul(mat.NewDense(s.M, s.K, in[0]), mat.NewDense(s.K, s.N, in[1]))
		W.Scale(alpha, W)
		M.Mul(absDense(s.M, s.K, in[0]), absDense(s.K, s.N, in[1]))
		M.Scale(math.Abs(alpha), M)
	}
	addBetaC(beta, in[2], want, mag)
}

// addBetaC adds β·C to want and |β·C| to mag; it reads no C when β = 0.
func addBetaC(beta float64, c, want, mag []float64) {
	if beta == 0 {
		return
	}
	for i, x := range c {
		want[i] += beta * x
		mag[i] += math.Abs(beta * x)
	}
}

// gemmLoops sets want = α·A·B and mag = |α|·|A|·|B| term by term, every
// product formed as IEEE says (0·Inf is NaN); it reads neither A nor B
// when α = 0. want and mag must be zero on entry.
func gemmLoops(s compute.Shape, alpha float64, a, b, want, mag []float64) {
	if alpha == 0 {
		return
	}
	for i := range s.M {
		w, m := want[i*s.N:(i+1)*s.N], mag[i*s.N:(i+1)*s.N]
		for l, x := range a[i*s.K : (i+1)*s.K] {
			for j, y := range b[l*s.N : (l+1)*s.N] {
				w[j] += x * y
				m[j] += math.Abs(x * y)
			}
		}
		for j := range w {
			w[j] *= alpha
			m[j] *= math.Abs(alpha)
		}
	}
}

// gemvLoops sets want = A·x and mag = |A|·|x| term by term.
func gemvLoops(s compute.Shape, in [][]float64, want, mag []float64) {
	a, x := in[0], in[1]
	for i := range s.M {
		for j, v := range a[i*s.N : (i+1)*s.N] {
			want[i] += v * x[j]
			mag[i] += math.Abs(v * x[j])
		}
	}
}

// allFinite reports whether no operand holds a NaN or an infinity.
func allFinite(in [][]float64) bool {
	for _, v := range in {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
	}
	return true
}

// fma is the chain a ← a·compute.FMAMul + compute.FMAAdd run k times
// from x, and mag the largest value of the same chain on absolute
// values. With FMAMul = 1 both have a closed form: a_k = x + k·c and
// mag = |x| + k·|c| (the magnitudes grow with every step), c = FMAAdd,
// so a long chain costs no more than a short one.
//
// Their own error. k·c is exact (k < 2⁵³, c a power of two), so want
// rounds once: |want − a_k| ≤ u·|a_k| ≤ u·M with M = |x| + k·|c|, within
// the reference's share of compute.Bound, γ_f64(Depth(0))·mag =
// γ_f64(k)·mag (k ≥ 1: the shape has K ≥ 1). mag rounds once too,
// maybe below M; one step up (math.Nextafter) makes mag ≥ M, so that
// the bound is never smaller than the one fmaDepth derives; but not past
// math.MaxFloat64 (an input there gives want = x, exactly what the
// chain gives, and a bound that is not infinite). NaN and ±Inf inputs
// give NaN and ±Inf, as the chain does.
func fma(x float64, k int) (want, mag float64) {
	const m, c = compute.FMAMul, compute.FMAAdd
	if m != 1 {
		panic("ref: fma's closed form needs compute.FMAMul = 1")
	}
	kc := float64(k) * c
	mag = math.Abs(x) + math.Abs(kc)
	if up := math.Nextafter(mag, math.Inf(1)); !math.IsInf(up, 1) {
		mag = up
	}
	return x + kc, mag
}

func absAll(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Abs(x)
	}
	return out
}

func absDense(r, c int, v []float64) *mat.Dense { return mat.NewDense(r, c, absAll(v)) }
