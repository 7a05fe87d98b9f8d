package ref

import "math/bits"

// Random access into a Stream. math/rand/v2's PCG is a 128-bit linear
// congruential generator, state ← mul·state + inc (mod 2¹²⁸), whose
// output is a fixed function of the new state, and rand.Rand.Float64
// draws exactly one Uint64. A composition of n steps is again an affine
// map, a·state + c, found by squaring in log₂ n compositions (Brown,
// "Random number generation with arbitrary strides", 1994). Setting the
// PCG to a jumped state with Seed then draws element n directly, so an
// element-wise reference can read one row of a matrix, or one column
// with a stride, without drawing the rest (see Elements).

// pcgState is a 128-bit PCG state, as rand.PCG.Seed takes it.
type pcgState struct{ hi, lo uint64 }

// affine is the map x ↦ a·x + c modulo 2¹²⁸.
type affine struct{ a, c pcgState }

// pcgStep is one step of math/rand/v2's PCG (its next method's mul and inc).
var pcgStep = affine{
	a: pcgState{2549297995355413924, 4865540595714422341},
	c: pcgState{6364136223846793005, 1442695040888963407},
}

func mul128(x, y pcgState) pcgState {
	hi, lo := bits.Mul64(x.lo, y.lo)
	return pcgState{hi + x.hi*y.lo + x.lo*y.hi, lo}
}

func add128(x, y pcgState) pcgState {
	lo, c := bits.Add64(x.lo, y.lo, 0)
	hi, _ := bits.Add64(x.hi, y.hi, c)
	return pcgState{hi, lo}
}

func (f affine) apply(x pcgState) pcgState { return add128(mul128(f.a, x), f.c) }

// then is f followed by g.
func (f affine) then(g affine) affine { return affine{mul128(g.a, f.a), g.apply(f.c)} }

// pow is f applied n times.
func (f affine) pow(n int) affine {
	r := affine{a: pcgState{0, 1}}
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			r = r.then(f)
		}
		f = f.then(f)
	}
	return r
}

// Seek positions the stream so that the next value drawn is element n of
// the operand (counting from 0), in O(log n) steps.
func (st *Stream) Seek(n int) {
	st.at(n, pcgStep.pow(n).apply(st.origin))
}

// FillStrided sets v[i] to element start + i·stride of the operand (a
// column of a row-major matrix with stride columns), drawing only those.
// It leaves the stream's position unspecified: Seek before drawing again.
func (st *Stream) FillStrided(v []float64, start, stride int) {
	s := pcgStep.pow(start).apply(st.origin)
	jump := pcgStep.pow(stride)
	for i := range v {
		st.at(start+i*stride, s)
		v[i] = st.next()
		s = jump.apply(s)
	}
}
