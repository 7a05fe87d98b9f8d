package ref

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
)

// Elements returns want and mag, as Compute gives them, for the elements
// idx of out alone (any order; want[i] is out[idx[i]]), on the inputs
// that InputsOf(p, src) makes. It draws from the operands' streams
// (Stream.Seek, FillStrided) only the values those elements read and
// computes them as Compute does, so the arithmetic and its IEEE rules are
// Compute's own: gemm and gemv with the plain loops that Compute uses for
// inputs holding NaN or Inf (every product formed, 0·Inf a NaN), which
// allocate nothing per element; the other kernels by Compute itself on
// the gathered elements as a small problem of the same kernel.
//
//   - gemm: out[i,j] = α·Σₚ A[i,p]·B[p,j] + β·C[i,j], row i of A, column
//     j of B and C[i,j] as a 1×1×K gemm;
//   - gemv: out[i] = Σⱼ A[i,j]·x[j], row i of A and all of x;
//   - transpose, fma and the element-wise vector kernels: the one input
//     element (or one of each vector) that the output element copies or
//     combines;
//   - dot and sum: their one element reads every input, which is drawn
//     whole.
//
// Its memory is a row or column of the inputs beside want and mag, and
// its time about K draws per gemm element and N per gemv row.
func Elements(p compute.Problem, src Source, idx []int) (want, mag []float64, err error) {
	k, s, alpha, beta := p.Kernel, p.Shape, p.Alpha, p.Beta
	if err := k.Validate(s); err != nil {
		return nil, nil, err
	}
	n := k.OperandLen("out", s)
	for _, e := range idx {
		if e < 0 || e >= n {
			return nil, nil, fmt.Errorf("%w: ref: element %d of %s's out, which has %d", compute.ErrShape, e, k, n)
		}
	}
	if k.Reduction() {
		return reductionElements(p, src, idx)
	}
	streams := make([]*Stream, len(k.Inputs()))
	for i, name := range k.Inputs() {
		streams[i] = NewStreamOf(p, name, src)
	}
	switch {
	case k == compute.Gemm:
		want, mag = gemmElements(s, streams, alpha, beta, idx)
		return want, mag, nil
	case k == compute.Gemv:
		want, mag = gemvElements(s, streams, idx)
		return want, mag, nil
	}
	// One input element per operand: transpose's out[r,c] = A[c,r], and
	// element i of every vector for the others.
	at := func(e int) int { return e }
	sub := compute.Vec(len(idx))
	switch k.Form() {
	case compute.MatrixForm: // transpose: out is N×M
		at = func(e int) int { return (e%s.M)*s.N + e/s.M }
		sub = compute.Mat(1, len(idx))
	case compute.ChainForm:
		sub = compute.Chain(len(idx), s.K)
	}
	if len(idx) == 0 {
		return nil, nil, nil
	}
	in := make([][]float64, len(streams))
	for i, st := range streams {
		in[i] = make([]float64, len(idx))
		for j, e := range idx {
			st.Seek(at(e))
			in[i][j] = st.next()
		}
	}
	return Compute(p.WithShape(sub), in)
}

// reductionElements is the one element of dot or sum, from its whole
// inputs; idx may name it any number of times.
func reductionElements(p compute.Problem, src Source, idx []int) (want, mag []float64, err error) {
	w, m, err := Compute(p, InputsOf(p, src))
	if err != nil {
		return nil, nil, err
	}
	want, mag = make([]float64, len(idx)), make([]float64, len(idx))
	for i := range idx {
		want[i], mag[i] = w[0], m[0]
	}
	return want, mag, nil
}

// gemmElements computes each element as a 1×1×K gemm, reusing A's row
// while consecutive elements share it. Like Compute, it reads neither A
// nor B when α = 0 and no C when β = 0.
func gemmElements(s compute.Shape, st []*Stream, alpha, beta float64, idx []int) (want, mag []float64) {
	want, mag = make([]float64, len(idx)), make([]float64, len(idx))
	a, b, c := make([]float64, s.K), make([]float64, s.K), make([]float64, 1)
	sub := compute.MNK(1, 1, s.K)
	row := -1
	for i, e := range idx {
		w, m := want[i:i+1], mag[i:i+1]
		if alpha != 0 {
			if r := e / s.N; r != row {
				st[0].Seek(r * s.K)
				st[0].Fill(a)
				row = r
			}
			st[1].FillStrided(b, e%s.N, s.N)
			gemmLoops(sub, alpha, a, b, w, m)
		}
		if beta != 0 {
			st[2].Seek(e)
			c[0] = st[2].next()
			addBetaC(beta, c, w, m)
		}
	}
	return want, mag
}

// gemvElements computes each element as a 1×N gemv.
func gemvElements(s compute.Shape, st []*Stream, idx []int) (want, mag []float64) {
	want, mag = make([]float64, len(idx)), make([]float64, len(idx))
	in := [][]float64{make([]float64, s.N), make([]float64, s.N)}
	st[1].Fill(in[1])
	sub := compute.Mat(1, s.N)
	for i, e := range idx {
		st[0].Seek(e * s.N)
		st[0].Fill(in[0])
		gemvLoops(sub, in, want[i:i+1], mag[i:i+1])
	}
	return want, mag
}
