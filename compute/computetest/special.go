package computetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// Special is a kind of input holding IEEE special values.
type Special int

const (
	// OneNaN puts a single NaN in each operand: the result must hold NaN
	// exactly where that NaN reaches (one row of gemm's C, one element of
	// saxpy's out) and nowhere else.
	OneNaN Special = iota
	// Infinities puts one +Inf and one −Inf in each operand: their sums
	// are ±Inf, Inf − Inf and 0·Inf are NaN.
	Infinities
	// Tiny makes about a quarter of the elements ±0 or subnormal
	// (ref.TinyValues), with no NaN or Inf: underflow and, on devices
	// that flush, the allowance.
	Tiny
	// Mixed is Tiny with one NaN, one +Inf and one −Inf in each operand.
	Mixed
)

// Specials lists every kind.
var Specials = []Special{OneNaN, Infinities, Tiny, Mixed}

func (s Special) String() string {
	return [...]string{"one-nan", "infinities", "tiny", "mixed"}[s]
}

// SpecialInputs makes the operands of p (ordered as p.Kernel.Inputs):
// those of ref.Inputs with special values of the given kind placed at
// positions drawn from seed. gemm's C is all NaN where β = 0: BLAS does
// not read it then.
func SpecialInputs(p compute.Problem, seed uint64, kind Special) [][]float64 {
	dt := p.DType
	in := ref.Inputs(p, seed)
	r := rand.New(rand.NewPCG(seed, uint64(kind)+100))
	tiny := ref.TinyValues(dt)
	for _, v := range in {
		if kind == Tiny || kind == Mixed {
			for i := range v {
				if r.IntN(4) == 0 {
					v[i] = tiny[r.IntN(len(tiny))]
				}
			}
		}
		switch kind {
		case OneNaN:
			v[r.IntN(len(v))] = math.NaN()
		case Infinities, Mixed:
			v[r.IntN(len(v))] = math.Inf(1)
			v[r.IntN(len(v))] = math.Inf(-1)
			if kind == Mixed {
				v[r.IntN(len(v))] = math.NaN()
			}
		}
	}
	poisonUnread(p, in)
	return in
}

// SpecialValues runs every kernel of the catalogue, in each dtype the
// device supports, on inputs holding NaN, ±Inf, subnormals and ±0 (each
// kind of Specials, on the cases of Cases up to specialMaxElems): the
// result must hold NaN
// exactly where the reference does, the same infinity where it has one,
// and be within the bound elsewhere.
func SpecialValues(t *testing.T, b compute.Backend) {
	t.Helper()
	eachCase(t, b, func(t *testing.T, p compute.Problem) {
		if largestOperand(p) > specialMaxElems {
			return
		}
		for _, kind := range Specials {
			if err := CheckInputs(b, p, SpecialInputs(p, 3, kind)); err != nil {
				t.Errorf("%s %v: %v", describe(p), kind, err)
			}
		}
	})
}

// specialMaxElems leaves the largest cases of Cases out of SpecialValues:
// 65537 elements already split into several parallel chunks on the CPU
// and many work-groups on a GPU, and the million-element cases would
// make the suite several times slower (slower still under -race) for no
// path the smaller ones miss.
const specialMaxElems = 1 << 17

// largestOperand is the element count of c's largest operand or result.
func largestOperand(p compute.Problem) int {
	n := p.OutLen()
	for _, name := range p.Kernel.Inputs() {
		n = max(n, p.OperandLen(name))
	}
	return n
}

// references are what a result of p on in may match: the reference of
// the inputs as given and, for a device that flushes subnormals, of the
// inputs flushed to zero, with the allowance that flushing results adds.
func references(dev compute.Device, p compute.Problem, in [][]float64) ([]ref.Reference, float64, error) {
	want, mag, err := ref.Compute(p, in)
	if err != nil {
		return nil, 0, err
	}
	refs := []ref.Reference{{Want: want, Mag: mag}}
	if !dev.FlushesSubnormals {
		return refs, 0, nil
	}
	fw, fm, err := ref.Compute(p, ref.FlushSubnormals(in, p.DType))
	if err != nil {
		return nil, 0, fmt.Errorf("flushed inputs: %w", err)
	}
	return append(refs, ref.Reference{Want: fw, Mag: fm}), ref.FlushAllowance(p), nil
}
