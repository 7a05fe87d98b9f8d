package ref

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/gpubench/gpubench/compute"
)

// Inputs makes the operands of k for shape s, ordered as k.Inputs:
// uniform in [−1, 1), rounded to dt, from a PCG stream seeded by seed and
// the operand's kernel and name (see NewStream). The same seed gives the
// same bytes on every machine.
func Inputs(k *compute.Kernel, s compute.Shape, dt compute.DType, seed uint64) [][]float64 {
	out := make([][]float64, len(k.Inputs))
	for i, name := range k.Inputs {
		out[i] = make([]float64, k.OperandLen(name, s))
		NewStream(k, name, dt, seed).Fill(out[i])
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

// NewStream starts operand name of kernel k at its first element.
func NewStream(k *compute.Kernel, name string, dt compute.DType, seed uint64) *Stream {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s", k.Name, name)
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

// FillSlice sets v, a []float32 or []float64, to the next values.
func (st *Stream) FillSlice(v any) {
	switch v := v.(type) {
	case []float64:
		st.Fill(v)
	case []float32:
		for j := range v {
			v[j] = float32(st.next())
		}
	default:
		panic(fmt.Sprintf("ref: FillSlice of %T", v))
	}
}

// Round rounds x to the nearest value of dt.
func Round(x float64, dt compute.DType) float64 {
	if dt == compute.Float32 {
		return float64(float32(x))
	}
	return x
}

// Slice converts v to a []float32 or []float64 for dt, the form that
// compute.Backend.Upload takes.
func Slice(v []float64, dt compute.DType) any {
	if dt == compute.Float64 {
		return append([]float64(nil), v...)
	}
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	return f
}

// NewSlice makes a zeroed []float32 or []float64 of n elements.
func NewSlice(n int, dt compute.DType) any {
	if dt == compute.Float64 {
		return make([]float64, n)
	}
	return make([]float32, n)
}

// Float64s widens a []float32 or []float64 to a new []float64.
func Float64s(s any) []float64 {
	n := sliceLen(s)
	return Widen(make([]float64, 0, n), s, 0, n)
}
