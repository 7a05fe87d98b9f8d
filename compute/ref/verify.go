package ref

import (
	"fmt"
	"math"

	"github.com/gpubench/gpubench/compute"
)

// Check is the outcome of comparing a result with the reference.
type Check struct {
	OK bool
	// MaxAbsErr and MaxRelErr are the largest |got − want| and
	// |got − want| / |want| over the finite elements.
	MaxAbsErr float64
	MaxRelErr float64
	// Ratio is the largest error relative to its element's bound
	// (≤ 1 passes); Bound is that element's bound and Worst its index.
	Ratio float64
	Bound float64
	Worst int
	// Bad counts elements outside their bound; Reason describes the first.
	Bad    int
	Reason string
}

// Verify compares got with want element by element. A finite want must
// be met within compute.Bound of its mag; a NaN want must be met by a NaN
// and an infinite want by the same infinity (IEEE: inputs holding NaN or
// Inf give NaN or Inf). Where want is finite but beyond dt's range, dt
// overflows and the infinity of the same sign is correct.
func Verify(k *compute.Kernel, s compute.Shape, dt compute.DType, leaf int, got, want, mag []float64) Check {
	c := Check{OK: true, Worst: -1}
	if len(got) != len(want) {
		return Check{Bad: 1, Worst: -1, Reason: fmt.Sprintf("result has %d elements, want %d", len(got), len(want))}
	}
	maxFinite := math.MaxFloat64
	if dt == compute.Float32 {
		maxFinite = math.MaxFloat32
	}
	worstRatio := -1.0
	for i, g := range got {
		w := want[i]
		var bad string
		switch {
		case math.IsNaN(w):
			if !math.IsNaN(g) {
				bad = fmt.Sprintf("element %d: got %g, want NaN", i, g)
			}
		case math.IsInf(w, 0) || math.Abs(w) > maxFinite*(1+dt.UnitRoundoff()):
			if !math.IsInf(g, int(math.Copysign(1, w))) {
				bad = fmt.Sprintf("element %d: got %g, want %g (overflows %v)", i, g, w, dt)
			}
		case math.IsNaN(g) || math.IsInf(g, 0):
			bad = fmt.Sprintf("element %d: got %g, want %g", i, g, w)
		default:
			e := math.Abs(g - w)
			b := compute.Bound(k, s, dt, leaf, mag[i])
			c.MaxAbsErr = max(c.MaxAbsErr, e)
			if w != 0 {
				c.MaxRelErr = max(c.MaxRelErr, e/math.Abs(w))
			}
			ratio := e / b
			if b == 0 {
				ratio = 0
				if e > 0 {
					ratio = math.Inf(1)
				}
			}
			if ratio > worstRatio {
				worstRatio, c.Worst, c.Bound, c.Ratio = ratio, i, b, ratio
			}
			if e > b {
				bad = fmt.Sprintf("element %d: got %g, want %g, error %.3g beyond the bound %.3g", i, g, w, e, b)
			}
		}
		if bad != "" {
			if c.Bad == 0 {
				c.Reason = bad
			}
			c.Bad++
			c.OK = false
		}
	}
	return c
}
