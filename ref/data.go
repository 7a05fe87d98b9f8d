package ref

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gpubench/gpubench/compute"
)

// Inputs makes the operands of p, ordered as p.Kernel.Inputs():
// uniform in [−1, 1), rounded to p.DType, from a PCG stream seeded by seed and
// the operand's kernel and name (see NewStream). The same seed gives the
// same bytes on every machine.
func Inputs(p compute.Problem, seed uint64) [][]float64 { return InputsOf(p, Seeded(seed)) }

// InputsOf makes the operands of p from src: Inputs for the Random set,
// and the other sets' values (see InputSet) from the same streams.
func InputsOf(p compute.Problem, src Source) [][]float64 {
	k := p.Kernel
	out := make([][]float64, len(k.Inputs()))
	for i, name := range k.Inputs() {
		out[i] = make([]float64, p.OperandLen(name))
		NewStreamOf(p, name, src).Fill(out[i])
	}
	return out
}

// Stream draws one operand's values in order, the values Inputs makes for
// it, so that a large operand can be made a piece at a time (or again)
// without holding it whole in float64.
type Stream struct {
	pcg *rand.PCG
	// origin is the generator's state before the first element, from
	// which Seek and FillStrided jump (see seek.go).
	origin pcgState
	dt     compute.DType
	// set is the values drawn from each Uint64 (see next): exactR and
	// grid for Exact; tiny for Special (see TinyValues), and unread for
	// an operand the kernel does not read (gemm's C where β = 0), all NaN.
	set    InputSet
	exactR uint64
	grid   float64
	shift  float64 // fma's exact inputs are (j − shift)·grid
	tiny   []float64
	unread bool
	// flush makes every subnormal value a zero of its sign (see
	// Source.Flushed), below smallest, dt's smallest normal.
	flush    bool
	smallest float64
	// marks are the elements that hold a value of their own in place of
	// their Uint64's (the Positive set's spikes, the Special set's NaN,
	// infinities and huge values), sorted by position; pos is the index of
	// the next element and nextMark the first mark at or after it.
	marks         []mark
	pos, nextMark int
}

// mark is an element of an operand that holds v whatever its Uint64.
// Its Uint64 is still drawn, so that the elements after it are those of
// the stream without marks, and Seek keeps working alike.
type mark struct {
	at int
	v  float64
}

// NewStream starts operand name of p's kernel at its first element, in
// p's dtype.
func NewStream(p compute.Problem, name string, seed uint64) *Stream {
	return NewStreamOf(p, name, Seeded(seed))
}

// NewStreamOf starts operand name of p's kernel at its first element, in
// p's dtype, drawing the values of src's set from the stream of its seed:
// every set draws one Uint64 an element from the same generator, so that
// Seek works alike for all. Exact needs a p that ExactRange admits (see
// Passes); asking for it elsewhere is a programming error, and panics.
func NewStreamOf(p compute.Problem, name string, src Source) *Stream {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s", p.Kernel, name)
	pcg := rand.NewPCG(src.Seed, h.Sum64())
	st := &Stream{pcg: pcg, origin: pcgState{src.Seed, h.Sum64()}, dt: p.DType, set: src.Set,
		flush: src.Flushed, smallest: SmallestNormal(p.DType)}
	switch src.Set {
	case Exact:
		r, grid, why := ExactRange(p)
		if why != "" {
			panic("ref: exact inputs for " + p.String() + ": " + why)
		}
		st.exactR, st.grid = uint64(r), grid
		if p.Kernel == compute.FMA {
			st.shift = float64(p.Shape.K / 2) // see ExactRange
		}
	case Positive:
		if k := p.Kernel; !k.Reduction() {
			panic("ref: positive inputs are for dot and sum, not " + k.String())
		}
		if name == p.Kernel.Inputs()[0] {
			n := p.OperandLen(name)
			spike := Spike(p.DType, n)
			for _, at := range spikePositions(n) {
				v := spike
				if at == 0 {
					v = Head(p.DType)
				}
				st.marks = append(st.marks, mark{at, v})
			}
		}
	case Special:
		st.tiny = TinyValues(p.DType)
		st.unread = p.Kernel == compute.Gemm && name == "C" && p.Beta == 0
		st.marks = specialMarks(p, name, src.Seed)
	}
	return st
}

// Fill sets v to the next len(v) values.
func (st *Stream) Fill(v []float64) { fill(st, v) }

// fill sets v to the next values: those of the Random and Exact sets, in
// a stream without marks or flushing, in loops of their own (next's
// cases without its switch per element); any other through next.
func fill[T compute.Float](st *Stream, v []T) {
	plain := len(st.marks) == 0 && !st.flush
	switch {
	case plain && st.set == Random:
		dt := st.dt
		for j := range v {
			v[j] = T(Round(2*unit(st.pcg.Uint64())-1, dt))
		}
	case plain && st.set == Exact:
		for j := range v {
			v[j] = T(st.exact(st.pcg.Uint64()))
		}
	default:
		for j := range v {
			v[j] = T(st.next())
		}
		return
	}
	st.pos += len(v)
}

// exact is the Exact set's value for the Uint64 u: the sign from its
// low bit, the magnitude 1 + the next bits modulo R (a power of two:
// ExactRange), times the grid.
func (st *Stream) exact(u uint64) float64 {
	m := float64(1 + (u>>1)&(st.exactR-1))
	if u&1 != 0 {
		m = -m
	}
	return (m - st.shift) * st.grid
}

// unit is rand.Rand.Float64's value for the Uint64 u it draws: uniform
// in [0, 1) on multiples of 2⁻⁵³.
func unit(u uint64) float64 { return float64(u<<11>>11) / (1 << 53) }

// next draws one value: for Random 2·U − 1 for U uniform in [0, 1)
// (rand.Rand.Float64's one Uint64), rounded to the dtype; for Exact a
// nonzero integer in [−R, R] times the grid (see exact); for Positive
// ½ + U/2 rounded to the dtype; for Special, where the Uint64's two low
// bits are zero (a quarter of the elements), one of TinyValues chosen by
// the next bits (modulo their count), and otherwise 2·U − 1 from its 53
// high bits, rounded to the dtype. A mark (the Positive set's head and
// spikes, a special value) replaces the value at its position.
func (st *Stream) next() float64 {
	var v float64
	switch st.set {
	case Exact:
		v = st.exact(st.pcg.Uint64())
	case Positive:
		u := st.pcg.Uint64()
		v = Round(0.5+float64(u>>11)*0x1p-54, st.dt)
	case Special:
		u := st.pcg.Uint64()
		switch {
		case st.unread:
			v = math.NaN()
		case u&3 == 0:
			v = st.tiny[(u>>2)%uint64(len(st.tiny))]
		default:
			v = Round(float64(u>>11)*0x1p-52-1, st.dt)
		}
	default:
		v = Round(2*unit(st.pcg.Uint64())-1, st.dt)
	}
	if st.nextMark < len(st.marks) && st.marks[st.nextMark].at == st.pos {
		v = st.marks[st.nextMark].v
		st.nextMark++
	}
	if st.flush && math.Abs(v) < st.smallest {
		v = math.Copysign(0, v)
	}
	st.pos++
	return v
}

// at moves the stream to element i, whose generator state is s.
func (st *Stream) at(i int, s pcgState) {
	st.pcg.Seed(s.hi, s.lo)
	st.pos = i
	if st.marks != nil {
		st.nextMark, _ = slices.BinarySearchFunc(st.marks, i, func(m mark, i int) int { return m.at - i })
	}
}

// FillHost sets h's elements to the next values.
func (st *Stream) FillHost(h compute.Host) {
	if v := compute.Data[float64](h); v != nil {
		fill(st, v)
		return
	}
	fill(st, compute.Data[float32](h))
}

// Round rounds x to the nearest value of dt.
func Round(x float64, dt compute.DType) float64 {
	if dt == compute.Float32 {
		return float64(float32(x))
	}
	return x
}
