package ref

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gpubench/gpubench/compute"
)

// TinyValues are the zeros and subnormals of dt that the Special set (and
// the test suite's special inputs) draw: the smallest subnormal, a few
// of it, the largest subnormal and half the smallest normal, each of
// both signs.
func TinyValues(dt compute.DType) []float64 {
	t, n := dt.Tiny(), SmallestNormal(dt)
	v := []float64{0, t, 3 * t, n - t, n / 2}
	for _, x := range v[:len(v):len(v)] {
		v = append(v, -x)
	}
	return v
}

// Huge is the magnitude of the Special set's huge values for p: the
// largest power of two H with H·s at most dt's largest finite value over
// room, where s = max(1, |α|, |β|) over the scalars p's kernel reads.
//
// Why these. No product of a scalar and one input may overflow, H·s <
// max: a kernel may form α·a before multiplying by b, or a·b first, and
// an infinity that one order makes and the other does not would be a
// correct result the check could not foresee. Beyond that, the check
// accepts an infinity or a NaN wherever some order of an element's sum
// may overflow (the element's magnitude reaches dt's range, see
// element); its NaNs are certain only where the float64 reference cannot
// overflow itself. With float32 inputs it never does, so float32's room
// is 2: a few huge values summed (or α times a sum of them) may overflow.
// No two huge values are ever multiplied (specialMarks puts none in
// dot's y or gemm's B): their product would overflow unfused and not
// within a fused multiply-add, so fma(H, H, −∞) is −∞ where H·H − ∞ is
// NaN, both right. For float64 the reference overflows where the kernel
// does, in an order of its own; room 16 keeps the at most three huge
// terms one element can meet (two of A's row in gemm, one of C) and the
// rest of its terms well below the range, so that nothing overflows.
func Huge(p compute.Problem) float64 {
	k := p.Kernel
	s := 1.0
	if k.UsesAlpha() {
		s = max(s, math.Abs(p.Alpha))
	}
	if k.UsesBeta() {
		s = max(s, math.Abs(p.Beta))
	}
	maxFinite, room := math.MaxFloat32, 2.0
	if p.DType == compute.Float64 {
		maxFinite, room = math.MaxFloat64, 16
	}
	_, e := math.Frexp(maxFinite / (room * s))
	return math.Ldexp(1, e-1)
}

// specialMarks are the Special set's special values in operand name of
// p, sorted by position: NaN, +Inf, −Inf, +Huge and −Huge (no huge ones
// in the second factor of dot and gemm), at distinct
// positions drawn uniformly by a PCG seeded by seed and the kernel's and
// operand's names (the first of them only, in that order, where the
// operand has fewer than five elements). gemv's x holds none: each of its
// elements reaches every element of out, which a NaN there would make
// all NaN; nor does gemm's C where β = 0, which is all NaN.
func specialMarks(p compute.Problem, name string, seed uint64) []mark {
	k := p.Kernel
	if k == compute.Gemv && name == "x" || k == compute.Gemm && name == "C" && p.Beta == 0 {
		return nil
	}
	n := p.OperandLen(name)
	h := Huge(p)
	values := []float64{math.NaN(), math.Inf(1), math.Inf(-1), h, -h}
	if k == compute.Dot && name == "y" || k == compute.Gemm && name == "B" {
		values = values[:3] // no huge value times a huge value (see Huge)
	}
	values = values[:min(len(values), n)]
	f := fnv.New64a()
	fmt.Fprintf(f, "special/%s/%s", k, name)
	r := rand.New(rand.NewPCG(seed, f.Sum64()))
	marks := make([]mark, 0, len(values))
	taken := map[int]bool{}
	for _, v := range values {
		at := r.IntN(n)
		for taken[at] {
			at = r.IntN(n)
		}
		taken[at] = true
		marks = append(marks, mark{at, v})
	}
	slices.SortFunc(marks, func(a, b mark) int { return a.at - b.at })
	return marks
}

// specialReach lists, sorted, the elements of p's out that the Special
// set's marks (specialMarks, of src.Seed) reach: the element each feeds
// in the element-wise kernels and fma, where transpose moves it, the row
// of gemv's out a mark of A feeds, the whole row (A) or column (B) of
// gemm's out and the element (C, where β ≠ 0) that one feeds, and dot's
// and sum's one element. A sample that holds them checks every element a
// NaN or an infinity reaches, so that a lost one is caught for certain.
func specialReach(p compute.Problem, src Source) []int {
	k, s := p.Kernel, p.Shape
	var out []int
	for _, name := range k.Inputs() {
		for _, m := range specialMarks(p, name, src.Seed) {
			switch {
			case k.Reduction():
				out = append(out, 0)
			case k == compute.Transpose:
				out = append(out, (m.at%s.N)*s.M+m.at/s.N)
			case k == compute.Gemv:
				out = append(out, m.at/s.N)
			case k == compute.Gemm && name == "A":
				for j, i := 0, m.at/s.K; j < s.N; j++ {
					out = append(out, i*s.N+j)
				}
			case k == compute.Gemm && name == "B":
				for i, j := 0, m.at%s.N; i < s.M; i++ {
					out = append(out, i*s.N+j)
				}
			default: // gemm's C, the element-wise kernels, fma
				out = append(out, m.at)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
