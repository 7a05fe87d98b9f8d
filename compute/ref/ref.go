// Package ref computes reference results for the kernel catalogue in
// float64, with gonum for the matrix kernels, and checks a backend's
// result against them within the kernel's derived error bound.
package ref

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gpubench/gpubench/compute"
)

// Compute returns the reference result of k on the inputs in (ordered as
// k.Inputs) and mag, the same computation on absolute values, which
// scales the error bound of each element (see compute.Bound). Following
// BLAS, gemm reads neither C when β = 0 nor A and B when α = 0, so NaNs
// there do not reach the result.
func Compute(k *compute.Kernel, s compute.Shape, alpha, beta float64, in [][]float64) (want, mag []float64, err error) {
	if err := k.Validate(s); err != nil {
		return nil, nil, err
	}
	for i, name := range k.Inputs {
		if len(in[i]) != k.OperandLen(name, s) {
			return nil, nil, fmt.Errorf("%w: ref: operand %s has %d elements, want %d", compute.ErrShape, name, len(in[i]), k.OperandLen(name, s))
		}
	}
	n := k.OperandLen("out", s)
	want, mag = make([]float64, n), make([]float64, n)
	a := math.Abs(alpha)
	switch k.Name {
	case "copy":
		for i, x := range in[0] {
			want[i], mag[i] = x, math.Abs(x)
		}
	case "scale":
		for i, x := range in[0] {
			want[i], mag[i] = alpha*x, a*math.Abs(x)
		}
	case "add":
		for i := range want {
			x, y := in[0][i], in[1][i]
			want[i], mag[i] = x+y, math.Abs(x)+math.Abs(y)
		}
	case "triad":
		for i := range want {
			x, y := in[0][i], in[1][i]
			want[i], mag[i] = x+alpha*y, math.Abs(x)+a*math.Abs(y)
		}
	case "saxpy":
		for i := range want {
			x, y := in[0][i], in[1][i]
			want[i], mag[i] = alpha*x+y, a*math.Abs(x)+math.Abs(y)
		}
	case "dot":
		for i, x := range in[0] {
			y := in[1][i]
			want[0] += x * y
			mag[0] += math.Abs(x * y)
		}
	case "sum":
		for _, x := range in[0] {
			want[0] += x
			mag[0] += math.Abs(x)
		}
	case "gemv":
		A := mat.NewDense(s.M, s.N, in[0])
		x := mat.NewVecDense(s.N, in[1])
		mat.NewVecDense(s.M, want).MulVec(A, x)
		mat.NewVecDense(s.M, mag).MulVec(absDense(s.M, s.N, in[0]), mat.NewVecDense(s.N, absAll(in[1])))
	case "transpose":
		A := mat.NewDense(s.M, s.N, in[0])
		mat.NewDense(s.N, s.M, want).Copy(A.T())
		for i, v := range want {
			mag[i] = math.Abs(v)
		}
	case "gemm":
		gemm(s, alpha, beta, in, want, mag)
	default:
		return nil, nil, fmt.Errorf("%w: ref has no reference for %s", compute.ErrUnsupported, k.Name)
	}
	return want, mag, nil
}

func gemm(s compute.Shape, alpha, beta float64, in [][]float64, want, mag []float64) {
	W, M := mat.NewDense(s.M, s.N, want), mat.NewDense(s.M, s.N, mag)
	if alpha != 0 {
		W.Mul(mat.NewDense(s.M, s.K, in[0]), mat.NewDense(s.K, s.N, in[1]))
		W.Scale(alpha, W)
		M.Mul(absDense(s.M, s.K, in[0]), absDense(s.K, s.N, in[1]))
		M.Scale(math.Abs(alpha), M)
	}
	if beta != 0 {
		for i, c := range in[2] {
			want[i] += beta * c
			mag[i] += math.Abs(beta * c)
		}
	}
}

func absAll(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Abs(x)
	}
	return out
}

func absDense(r, c int, v []float64) *mat.Dense { return mat.NewDense(r, c, absAll(v)) }
