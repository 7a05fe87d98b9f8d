package ref

import "math"

// compSum is a float64 sum kept with its rounding errors, as Ogita, Rump
// and Oishi's Dot2 and Sum2 keep it ("Accurate sum and dot product",
// SIAM J. Sci. Comput. 26(6), 2005): each addition's error, found
// exactly by TwoSum, and each product's, by an FMA (TwoProduct), is
// added to a second float64, c, and s + c is returned. The result is as
// if summed in twice float64's precision and rounded once:
//
//	|value − exact| ≤ u·|exact| + γ(n)²·Σ|terms|,   u = 2⁻⁵³,
//
// for n terms (their Proposition 5.5 and Theorem 5.3). That is what
// makes the reference of a float64 dot or sum of millions of terms
// better than the kernel under test, so that the check's bound is the
// kernel's own (compute.Bound): a serial float64 reference would have
// γ(n)·Σ|terms| of its own, more than the kernel's tree of leaves.
//
// Where a term or the sum is not finite, the error terms are meaningless
// (Inf − Inf): plain, the plain serial sum, carries the IEEE result
// then (a NaN or the infinity).
type compSum struct {
	s, c, plain float64
}

// add adds x.
func (a *compSum) add(x float64) {
	t := a.s + x
	z := t - a.s
	a.c += (a.s - (t - z)) + (x - z)
	a.s = t
	a.plain += x
}

// addProduct adds x·y, the product's rounding error included.
func (a *compSum) addProduct(x, y float64) {
	p := x * y
	a.add(p)
	a.c += math.FMA(x, y, -p)
}

// merge adds b, the sum of other terms.
func (a *compSum) merge(b compSum) {
	plain := a.plain + b.plain
	a.add(b.s)
	a.c += b.c
	a.plain = plain
}

// value is the sum.
func (a compSum) value() float64 {
	if math.IsNaN(a.plain) || math.IsInf(a.plain, 0) {
		return a.plain
	}
	return a.s + a.c
}
