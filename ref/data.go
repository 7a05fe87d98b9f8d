package ref

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/gpubench/gpubench/compute"
)

// Inputs makes the operands of p, ordered as p.Kernel.Inputs():
// uniform in [−1, 1), rounded to p.DType, from a PCG stream seeded by seed and
// the operand's kernel and name (see NewStream). The same seed gives the
// same bytes on every machine.
func Inputs(p compute.Problem, seed uint64) [][]float64 {
	k := p.Kernel
	out := make([][]float64, len(k.Inputs()))
	for i, name := range k.Inputs() {
		out[i] = make([]float64, p.OperandLen(name))
		NewStream(p, name, seed).Fill(out[i])
	}
	return out
}

// Stream draws one operand's values in order, the values Inputs makes for
// it, so that a large operand can be made a piece at a time (or again)
// without holding it whole in float64.
type Stream struct {
	r   *rand.Rand
	pcg *rand.PCG
	// origin is the generator's state before the first element, from
	// which Seek and FillStrided jump (see seek.go).
	origin pcgState
	dt     compute.DType
}

// NewStream starts operand name of p's kernel at its first element, in
// p's dtype.
func NewStream(p compute.Problem, name string, seed uint64) *Stream {
	dt := p.DType
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s", p.Kernel, name)
	pcg := rand.NewPCG(seed, h.Sum64())
	return &Stream{r: rand.New(pcg), pcg: pcg, origin: pcgState{seed, h.Sum64()}, dt: dt}
}

// Fill sets v to the next len(v) values.
func (st *Stream) Fill(v []float64) {
	for j := range v {
		v[j] = st.next()
	}
}

// next draws one value.
func (st *Stream) next() float64 { return Round(2*st.r.Float64()-1, st.dt) }

// FillHost sets h's elements to the next values.
func (st *Stream) FillHost(h compute.Host) {
	if v := compute.Data[float64](h); v != nil {
		st.Fill(v)
		return
	}
	v := compute.Data[float32](h)
	for j := range v {
		v[j] = float32(st.next())
	}
}

// Round rounds x to the nearest value of dt.
func Round(x float64, dt compute.DType) float64 {
	if dt == compute.Float32 {
		return float64(float32(x))
	}
	return x
}
