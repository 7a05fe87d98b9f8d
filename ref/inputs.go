package ref

import (
	"fmt"
	"math"
	"slices"

	"github.com/gpubench/gpubench/compute"
)

// InputSet is a family of inputs that a verification pass draws from the
// seeded streams. Each catches a class of bug the others cannot (see
// Passes).
type InputSet uint8

const (
	// Random inputs are uniform in [−1, 1), rounded to the dtype: the
	// inputs every case is timed on, checked within the derived bound
	// (compute.Bound). Zero-mean, so their sums cancel and a lost term
	// may hide below the bound; no exact check is possible on them.
	Random InputSet = iota
	// Exact inputs are nonzero integers in [−R, R], R a power of two
	// that ExactRange chooses so that every value any evaluation order
	// can form — each product, each partial sum in any order, α·s, β·c
	// and their sum — is a multiple of the scalars' grid small enough to
	// be exact in the dtype: the result is then exact whatever the order
	// and whether or not it fuses, and is checked with a bound of zero.
	// A dropped term, a wrong α or β, a lost chunk or a stale tile then
	// fails at any size the pass runs at (see Passes). A float64 result
	// rounded through float32 fails where its exact values need more
	// than 24 bits (dot, sum, gemv and gemm at most sizes); copy, scale
	// and the other element-wise kernels' values fit float32, and the
	// random pass catches it there. For fma the inputs are multiples of
	// compute.FMAAdd.
	Exact
	// Positive inputs, for dot and sum only, are uniform in [½, 1), but
	// for the first operand's head, 1/u (2²⁴ in float32, 2⁵³ in
	// float64), and its spikes (Spike) at its end and on each side of the
	// boundaries where blocked and parallel reductions split their
	// terms. Nothing cancels. A serial sum from the head rounds every
	// later term away (each is below half the head's ulp, 2), an error
	// of about ¾ per term where a tree of leaves of L terms loses at
	// most L of them: it fails past a thousand terms. A dropped term at
	// a boundary costs a spike, far beyond the bound, where the sum is
	// too long to be exact.
	Positive
	// Special inputs hold IEEE special values, checked by IEEE rules
	// (Verify) rather than only within a bound; a case runs them on
	// request, after its other passes. Each element is Random's kind of
	// value, or, for about a quarter of them (decided by the element's own
	// Uint64), ±0 or a subnormal number; and each operand holds at a few
	// positions of its own (specialMarks) one NaN, one +Inf, one −Inf and
	// one huge value of each sign (Huge). What each class catches:
	//
	//   - NaN must reach every element it feeds: a dropped term or chunk,
	//     a skipped tile, a zero-skipping shortcut or a comparison that
	//     swallows NaN leaves a number where NaN belongs;
	//   - ±Inf: their sums keep the infinity, Inf − Inf and 0·Inf (the
	//     zeros are a quarter of the elements) are NaN, so that a kernel
	//     that skips zero terms or mixes padding into real elements shows;
	//   - huge values: no product of a scalar and one input overflows, but
	//     two huge inputs multiplied do, and in float32 a few summed may:
	//     arithmetic through a narrower type (float64 rounded through
	//     float32 turns every one into an infinity) and a wrong overflow
	//     fail;
	//   - ±0 and subnormals: gradual underflow, which a subnormal times a
	//     huge value lifts into the normal range, far past the bound: a
	//     device that flushes subnormals without saying so
	//     (compute.Device.FlushesSubnormals) fails; one that says so is
	//     also held to the inputs flushed (FlushSubnormals), within
	//     FlushAllowance.
	//
	// gemm's C where β = 0, which BLAS does not read, is all NaN: a kernel
	// that reads it anyway (0·NaN is NaN) fails.
	Special
)

func (s InputSet) String() string {
	switch s {
	case Random:
		return "random"
	case Exact:
		return "exact"
	case Positive:
		return "positive"
	case Special:
		return "special"
	}
	return fmt.Sprintf("InputSet(%d)", uint8(s))
}

// Source names the inputs a stream draws: the set and the seed.
type Source struct {
	Set  InputSet
	Seed uint64
	// Flushed draws the values as a device that treats subnormal numbers
	// as zero reads them: each subnormal a zero of its sign
	// (FlushSubnormals). Only the Special set holds subnormals.
	Flushed bool
}

// Seeded is the random inputs of seed, the ones a case is timed on.
func Seeded(seed uint64) Source { return Source{Set: Random, Seed: seed} }

// Passes lists the input sets that p's result is verified on, Random
// first, and says why the exact pass was left out where it cannot hold
// ("" where it runs).
//
//   - Random, always.
//   - Exact, where ExactRange finds a range: every kernel at every size
//     but those whose terms outgrow the significand even as ±1 (dot,
//     sum and gemv past 2²⁴ terms in float32 or 2⁵³ in float64, gemm
//     past K of about 2²¹ (float32) or 2³⁷ (float64) with the default α
//     and β, its probes needing 13 bits of float64, fma past K of
//     about 2²⁵ steps in float32), and scalars that are not short
//     dyadic numbers.
//   - Positive, for dot and sum.
func Passes(p compute.Problem) (sets []InputSet, note string) {
	sets = []InputSet{Random}
	if _, _, why := ExactRange(p); why == "" {
		sets = append(sets, Exact)
	} else {
		note = "no exact pass: " + why
	}
	if p.Kernel.Reduction() {
		sets = append(sets, Positive)
	}
	return sets, note
}

// exactProbeBits is the most bits an exact gemm result may take so that
// the probes' float64 sums of it stay exact: a probe adds ProbeWidth
// (2⁸) products of an element with a weight of at most 16 (2⁴), and α·
// and β· parts once more (one bit), 13 bits on top of the element's,
// within float64's 53 (see VerifyGEMMProbes).
const exactProbeBits = 53 - 13

// maxExactBits caps log₂ R: products of values up to 2²⁰, and sums of
// many of them, need more than float32's significand, which is what
// exposes a float64 kernel that rounds through float32 in the kernels
// that multiply and sum, while a range this size still fits every
// kernel's magnitudes with room.
const maxExactBits = 20

// ExactRange is R, the largest power of two up to 2^maxExactBits for
// which p's exact inputs (nonzero integers in [−R, R], times grid) give
// an exact result, and grid, the spacing of the values (1, or
// compute.FMAAdd for fma). why says why there is none ("" where there
// is).
//
// Derivation. With integer inputs |v| ≤ R, every product of two is an
// integer of at most R², and every partial sum of any subset of an
// element's terms, in any order, is an integer no larger than the sum
// of their magnitudes, T(R): R for copy and transpose, |α|·R for scale,
// 2R for add, (1 + |α|)·R for triad and saxpy, N·R for sum, N·R² for
// dot and gemv, max(1, |α|)·K·R² + |β|·R for gemm (α applied first or
// last). α and β must be dyadic with few bits, α = a·2⁻ᶠ with a an
// integer below 2¹²: then α·s for an integer s is a multiple of 2⁻ᶠ, and
// so is every value formed after it. Every value is then an integer
// multiple of 2⁻ᶠ (f the larger of α's and β's) of magnitude at most
// T(R), which the dtype holds exactly where T(R)·2ᶠ ≤ 2ᵖ, p its
// significand's bits (24, 53; 40 for gemm, whose probes add 13 bits,
// exactProbeBits). The float64 reference, computed in any order, is
// exact under the same condition. For fma (f(a) = a·1 + c, c =
// compute.FMAAdd, a power of two) the inputs are (j − ⌊K/2⌋)·c, |j| ≤ R,
// centred so that the chain, whose values are (j − ⌊K/2⌋ + i)·c for
// i ≤ K steps, crosses zero half way: exact where R + ⌈K/2⌉ ≤ 2ᵖ, up to
// K of about 2²⁵ in float32.
func ExactRange(p compute.Problem) (r int64, grid float64, why string) {
	k, s, dt := p.Kernel, p.Shape, p.DType
	bits := int(math.Round(-math.Log2(dt.UnitRoundoff())))
	if k == compute.Gemm {
		bits = min(bits, exactProbeBits)
	}
	limit := math.Ldexp(1, bits)
	if k == compute.FMA {
		if compute.FMAMul != 1 || !dyadic(compute.FMAAdd) {
			return 0, 0, "the fma chain's constants do not keep it exact"
		}
		for e := maxExactBits; e >= 0; e-- {
			if r := math.Ldexp(1, e); r+float64((s.K+1)/2) <= limit {
				return int64(r), compute.FMAAdd, ""
			}
		}
		return 0, 0, fmt.Sprintf("K = %d steps leave the %d bits of %v", s.K, bits, dt)
	}
	alpha, beta := 0.0, 0.0
	f := 0
	for _, sc := range []struct {
		used bool
		v    float64
		name string
		to   *float64
	}{{k.UsesAlpha(), p.Alpha, "α", &alpha}, {k.UsesBeta(), p.Beta, "β", &beta}} {
		if !sc.used {
			continue
		}
		fs, ok := fracBits(sc.v)
		if !ok {
			return 0, 0, fmt.Sprintf("%s = %g is not a dyadic number of few bits", sc.name, sc.v)
		}
		f = max(f, fs)
		*sc.to = math.Abs(sc.v)
	}
	n, kk := float64(s.N), float64(s.K)
	total := func(r float64) float64 {
		switch k {
		case compute.Copy, compute.Transpose:
			return r
		case compute.Scale:
			return max(1, alpha) * r
		case compute.Add:
			return 2 * r
		case compute.Triad, compute.Saxpy:
			return (1 + alpha) * r
		case compute.Sum:
			return n * r
		case compute.Dot, compute.Gemv:
			return n * r * r
		case compute.Gemm:
			return max(1, alpha)*kk*r*r + beta*r
		}
		return math.Inf(1)
	}
	for e := maxExactBits; e >= 0; e-- {
		if total(math.Ldexp(1, e))*math.Ldexp(1, f) <= limit {
			return 1 << e, 1, ""
		}
	}
	return 0, 0, fmt.Sprintf("%s's terms of ±1 outgrow the %d bits of %v", p, bits, dt)
}

// fracBits is the f of v = a·2⁻ᶠ with a an integer below 2¹² in
// magnitude and f ≤ 30, where v is one (0 is, with f = 0).
func fracBits(v float64) (int, bool) {
	for f := 0; f <= 30; f++ {
		a := math.Ldexp(v, f)
		if a == math.Trunc(a) {
			return f, math.Abs(a) < 1<<12
		}
	}
	return 0, false
}

// dyadic reports whether v is a power of two.
func dyadic(v float64) bool {
	fr, _ := math.Frexp(v)
	return v > 0 && fr == 0.5
}

// Head is the first element of the Positive set's first operand: 1/u,
// the smallest power of two whose ulp (2) exceeds twice every other
// term but the spikes.
func Head(dt compute.DType) float64 { return 1 / dt.UnitRoundoff() }

// Spike is the value of the Positive set's spikes in an operand of n
// elements: a power of two (so that it adds exactly where it can) four
// times the bound of the sum (Head, and n terms of at most 1) by a tree
// of leaves up to 1024 terms, γ(1024 + ⌈log₂ n⌉)·(Head + n), so that a
// spike dropped from the sum of a backend summing so fails; at least 2,
// above every other term. A backend with longer leaves has a looser
// bound, against which a spike may hide: the exact pass covers what it
// can there.
func Spike(dt compute.DType, n int) float64 {
	d := 1024 + int(math.Ceil(math.Log2(float64(max(n, 1)))))
	v := 4 * compute.Gamma(d, dt.UnitRoundoff()) * (Head(dt) + float64(n))
	if math.IsInf(v, 0) {
		return 2
	}
	return math.Max(2, math.Exp2(math.Ceil(math.Log2(v))))
}

// spikePositions are the elements of an operand of n elements that
// hold the Positive set's head and spikes, sorted: both ends, each side
// of every power of two b from 8 (SIMD widths, work groups, the blocks
// of a tree of leaves) and of the end of the last whole block of b (where
// a SIMD or blocked loop hands over to its tail), and each side of where
// n splits into w equal parts for w up to 16 (the chunks of a parallel
// reduction on up to 16 workers). Multiples of a block size that are not
// powers of two (the third leaf) are not marked: a term dropped there
// alone escapes the positive pass where the sum is too long to be exact.
// They are a few hundred at most, whatever n.
func spikePositions(n int) []int {
	at := []int{0, n - 1}
	for b := 8; b < n; b *= 2 {
		tail := n - n%b // where the last whole block of b ends
		at = append(at, b-1, b, tail-1, tail)
	}
	for w := 2; w <= 16; w++ {
		for j := 1; j < w; j++ {
			b := n * j / w
			at = append(at, b-1, b)
		}
	}
	at = slices.DeleteFunc(at, func(i int) bool { return i < 0 || i >= n })
	slices.Sort(at)
	return slices.Compact(at)
}
