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
	// NaNPlacement counts the bad elements where one of got and want is
	// NaN and the other is not: a NaN lost or a NaN made.
	NaNPlacement int
}

// Reference is a reference result and its magnitudes, as Compute returns.
type Reference struct {
	Want, Mag []float64
}

// Verify compares got with want element by element. A finite want must
// be met within compute.Bound of its mag; a NaN want must be met by a NaN
// and an infinite want by the same infinity (IEEE: inputs holding NaN or
// Inf give NaN or Inf), and a NaN or infinity where want is finite fails.
// Where want is finite but beyond dt's range, dt overflows and the
// infinity of the same sign is correct. Where mag (finite) plus the
// bound reaches dt's range, some order of the element's sum may
// overflow, and an infinity or a NaN that the element's terms can reach
// is correct (see reachable) unless want is NaN. The sign of a zero is
// not compared: a sum's order decides it.
func Verify(p compute.Problem, leaf int, got, want, mag []float64) Check {
	return VerifyAny(p, leaf, 0, got, Reference{want, mag})
}

// VerifyAny is Verify where an element passes if it passes against any
// one of refs, with extra added to every element's bound. Devices that
// may flush subnormal numbers to zero are checked against the inputs as
// given and as flushed (see FlushSubnormals), with FlushAllowance as
// extra. A failing element is described against refs[0].
func VerifyAny(p compute.Problem, leaf int, extra float64, got []float64, refs ...Reference) Check {
	return verify(p, tolerance{leaf: leaf, extra: extra}, 0, nil, got, refs)
}

// tolerance is how far an element may be from its reference: within
// compute.Bound for a backend that sums in runs of leaf terms, plus
// extra; or not at all, for the Exact inputs, where every value any
// evaluation forms is exact (see ExactRange). Where flushed, the device
// may treat subnormal numbers as zero: an element also passes against
// the reference of the inputs flushed (Source.Flushed), and extra is
// FlushAllowance.
type tolerance struct {
	leaf    int
	extra   float64
	exact   bool
	flushed bool
	// g and t are compute.BoundTerms of the problem being checked, set
	// by with before any bound, so that bound does not derive them
	// again for every element.
	g, t float64
}

// with is t ready to bound the elements of p.
func (t tolerance) with(p compute.Problem) tolerance {
	t.g, t.t = compute.BoundTerms(p, t.leaf)
	return t
}

// tolFor is the tolerance of the inputs of set on a backend summing in
// runs of leaf terms.
func tolFor(set InputSet, leaf int) tolerance { return tolerance{leaf: leaf, exact: set == Exact} }

// tolOn is the tolerance of p's result on the inputs of src as dev
// computed it: tolFor, and for the Special set on a device that flushes
// subnormals (compute.Device.FlushesSubnormals), the flushed inputs too.
func tolOn(p compute.Problem, dev compute.Device, src Source) tolerance {
	t := tolFor(src.Set, dev.SumLeaf)
	if src.Set == Special && dev.FlushesSubnormals {
		t.flushed, t.extra = true, FlushAllowance(p)
	}
	return t
}

// flushed is src as a device that flushes subnormals reads it.
func flushed(src Source) Source {
	src.Flushed = true
	return src
}

// bound is the most an element of magnitude mag may be off (t made
// ready by with).
func (t tolerance) bound(mag float64) float64 {
	switch {
	case t.exact:
		return 0
	case math.IsInf(t.g, 1):
		return t.g
	}
	return t.g*mag + t.t + t.extra
}

// VerifyPart is Verify of the elements of out from offset on: got, want
// and mag hold that part alone, and the Check's indices count from the
// start of out. Merge puts the parts' Checks together.
func VerifyPart(p compute.Problem, leaf, offset int, got, want, mag []float64) Check {
	return verify(p, tolerance{leaf: leaf}, offset, nil, got, []Reference{{want, mag}})
}

// VerifyAt is Verify of the elements idx of out alone, as Elements gives
// their reference: got[i], want[i] and mag[i] are element idx[i], and
// the Check's indices are idx's. Each is held to the bound and the IEEE
// rules that Verify applies to it within the whole result.
func VerifyAt(p compute.Problem, leaf int, idx []int, got, want, mag []float64) Check {
	return verifyAt(p, tolerance{leaf: leaf}, idx, got, want, mag)
}

func verifyAt(p compute.Problem, tol tolerance, idx []int, got, want, mag []float64) Check {
	if len(idx) != len(got) {
		return Check{Bad: 1, Worst: -1, Reason: fmt.Sprintf("%d elements checked at %d indices", len(got), len(idx))}
	}
	return verify(p, tol, 0, idx, got, []Reference{{want, mag}})
}

// Merge adds p, the Check of another part of the same result, to c. Start
// from Check{OK: true, Worst: -1}.
func (c *Check) Merge(p Check) {
	c.OK = c.OK && p.OK
	c.MaxAbsErr = max(c.MaxAbsErr, p.MaxAbsErr)
	c.MaxRelErr = max(c.MaxRelErr, p.MaxRelErr)
	if p.Worst >= 0 && (c.Worst < 0 || p.Ratio > c.Ratio) {
		c.Worst, c.Ratio, c.Bound = p.Worst, p.Ratio, p.Bound
	}
	if c.Reason == "" {
		c.Reason = p.Reason
	}
	c.Bad += p.Bad
	c.NaNPlacement += p.NaNPlacement
}

// verify checks got against refs; element i is out[offset+i], or out[idx[i]]
// where idx is not nil.
func verify(p compute.Problem, tol tolerance, offset int, idx []int, got []float64, refs []Reference) Check {
	tol = tol.with(p)
	dt := p.DType
	c := Check{OK: true, Worst: -1}
	for _, r := range refs {
		if len(got) != len(r.Want) || len(r.Mag) != len(r.Want) {
			return Check{Bad: 1, Worst: -1, Reason: fmt.Sprintf("result has %d elements, want %d", len(got), len(r.Want))}
		}
	}
	maxFinite := math.MaxFloat64
	if dt == compute.Float32 {
		maxFinite = math.MaxFloat32
	}
	worstRatio := -1.0
	for i, g := range got {
		at := offset + i
		if idx != nil {
			at = idx[i]
		}
		// Fast path: a finite element within its bound against the only
		// reference, the case of nearly every element of a streamed
		// check. It decides as element does, with the same bound.
		if len(refs) == 1 {
			w, mag := refs[0].Want[i], refs[0].Mag[i]
			if e := math.Abs(g - w); math.Abs(w) <= maxFinite && e <= math.MaxFloat64 {
				if b := tol.bound(mag); e <= b && (b > 0 || e == 0) {
					c.MaxAbsErr = max(c.MaxAbsErr, e)
					if w != 0 {
						c.MaxRelErr = max(c.MaxRelErr, e/math.Abs(w))
					}
					ratio := 0.0
					if b > 0 {
						ratio = e / b
					}
					if ratio > worstRatio {
						worstRatio, c.Worst, c.Bound, c.Ratio = ratio, at, b, ratio
					}
					continue
				}
			}
		}
		// The first reference the element passes, or the first if none.
		var e elementCheck
		w := refs[0].Want[i]
		for j, r := range refs {
			ej := element(p, tol, maxFinite, g, r.Want[i], r.Mag[i])
			if j == 0 || ej.bad == "" {
				e, w = ej, r.Want[i]
			}
			if ej.bad == "" {
				break
			}
		}
		if e.finite {
			c.MaxAbsErr = max(c.MaxAbsErr, e.err)
			if w != 0 {
				c.MaxRelErr = max(c.MaxRelErr, e.err/math.Abs(w))
			}
			if e.ratio > worstRatio {
				worstRatio, c.Worst, c.Bound, c.Ratio = e.ratio, at, e.bound, e.ratio
			}
		}
		if e.bad != "" {
			if c.Bad == 0 {
				c.Reason = fmt.Sprintf("element %d: %s", at, e.bad)
			}
			c.Bad++
			if math.IsNaN(g) != math.IsNaN(w) {
				c.NaNPlacement++
			}
			c.OK = false
		}
	}
	return c
}

// elementCheck is one element against one reference.
type elementCheck struct {
	bad               string // why it fails, or ""
	finite            bool   // want was finite and compared within a bound
	err, bound, ratio float64
}

func element(p compute.Problem, tol tolerance, maxFinite, g, w, mag float64) elementCheck {
	dt := p.DType
	// overflow is where rounding to dt gives an infinity: past the
	// largest finite value by half its ulp (float32: 2¹²⁸·(1 − 2⁻²⁵),
	// which ties to the even infinity); a float64 want is finite or
	// infinite already.
	overflow := math.Inf(1)
	if dt == compute.Float32 {
		overflow = math.MaxFloat32 + 0x1p103
	}
	switch {
	case math.IsNaN(w):
		if !math.IsNaN(g) {
			return elementCheck{bad: fmt.Sprintf("got %g, want NaN (NaN placement differs: a NaN was lost)", g)}
		}
		return elementCheck{}
	case reachable(g, w, mag, tol.bound(mag), overflow):
		// Some order of the element's evaluation may overflow (see
		// reachable); which infinity, and whether two of opposite signs
		// meet as NaN, depends on the order: any it can reach is
		// correct, but for a NaN of the reference, which is certain (see
		// Huge) and must be met.
		return elementCheck{}
	case math.IsInf(w, 0) || math.Abs(w) >= overflow:
		if !math.IsInf(g, int(math.Copysign(1, w))) {
			return elementCheck{bad: fmt.Sprintf("got %g, want %g (overflows %v)", g, w, dt)}
		}
		return elementCheck{}
	case math.IsNaN(g):
		return elementCheck{bad: fmt.Sprintf("got NaN, want %g (NaN placement differs: a NaN where the result is finite)", w)}
	case math.IsInf(g, 0):
		return elementCheck{bad: fmt.Sprintf("got %g, want %g", g, w)}
	}
	e := math.Abs(g - w)
	b := tol.bound(mag)
	ratio := e / b
	if b == 0 {
		ratio = 0
		if e > 0 {
			ratio = math.Inf(1)
		}
	}
	c := elementCheck{finite: true, err: e, bound: b, ratio: ratio}
	if e > b {
		c.bad = fmt.Sprintf("got %g, want %g, error %.3g beyond the bound %.3g", g, w, e, b)
	}
	return c
}

// reachable reports whether g, an infinity or a NaN, is a value that
// some order of evaluating an element of reference w and magnitude mag
// may give. The element's terms (products, addends, α·…, β·c) sum to w
// and their magnitudes to mag, so its positive terms sum to (mag + w)/2
// and its negative ones to (mag − w)/2: every partial sum, in any order,
// lies between −(mag − w)/2 and (mag + w)/2, each widened by the bound
// b. +Inf is reachable where the first side reaches overflow, −Inf where
// the second does, NaN (an Inf − Inf) where both do. A side that is NaN
// (an infinity among the terms) may reach either.
//
// Where mag is not finite an input infinity (or NaN) reaches the
// element, and the reference's infinity is certain: the finite terms
// cannot overflow (Huge keeps them below the range), so only the same
// infinity is right, and reachable says no.
func reachable(g, w, mag, b, overflow float64) bool {
	if math.IsInf(mag, 0) || math.IsNaN(mag) {
		return false
	}
	reaches := func(side float64) bool { return !(side+b < overflow) }
	pos, neg := (mag+w)/2, (mag-w)/2
	switch {
	case math.IsInf(g, 1):
		return reaches(pos)
	case math.IsInf(g, -1):
		return reaches(neg)
	case math.IsNaN(g):
		return reaches(pos) && reaches(neg)
	}
	return false
}
