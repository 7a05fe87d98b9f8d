package compute

import "math"

// Gamma is γ(d) = d·u / (1 − d·u), the relative error bound of d
// successive roundings to unit roundoff u (Higham, Lemma 3.1). It is +Inf
// where d·u ≥ 1 and the bound says nothing.
func Gamma(d int, u float64) float64 {
	du := float64(d) * u
	if du >= 1 {
		return math.Inf(1)
	}
	return du / (1 - du)
}

// Bound is the largest |got − want| allowed for one element of out, where
// got is the backend's result in p's dtype, want the float64 reference, and mag
// the same computation on absolute values (Σ|aᵢ||bᵢ| for a dot product,
// |α|·Σ|a||b| + |β||c| for gemm).
//
// The backend's result satisfies |got − exact| ≤ γ_dt(d)·mag, d = Depth
// of its evaluation (Higham, eq. 3.5 for inner products, §4.2 for sums).
// The reference, computed in float64, satisfies |want − exact| ≤
// γ_f64(dref)·mag with dref the serial depth; but for the reductions
// (dot, sum), whose reference is summed compensated, as in twice
// float64's precision (Ogita, Rump and Oishi's Dot2 and Sum2), it
// satisfies |want − exact| ≤ u_f64·|exact| + γ_f64(dref)²·mag ≤
// (u_f64 + γ_f64(dref)²)·mag. A serial reference's own γ_f64(n)·mag
// would exceed a float64 kernel's γ_f64(leaf + log₂ n)·mag and hide a
// float64 sum rounded through float32. The triangle inequality adds the
// two. Products that underflow lose at most half the smallest subnormal
// each, so terms·tiny covers them; this is what makes the bound hold
// for denormal inputs, where relative bounds do not.
func Bound(p Problem, leaf int, mag float64) float64 {
	g, t := BoundTerms(p, leaf)
	if math.IsInf(g, 1) {
		return g // nothing is promised, even where mag is 0 (Inf·0 is NaN)
	}
	return g*mag + t
}

// BoundTerms are the slope g and the constant t of Bound(p, leaf, mag) =
// g·mag + t, for a caller that bounds many elements of one problem; g
// is +Inf where the bound promises nothing.
func BoundTerms(p Problem, leaf int) (g, t float64) {
	d := p.Depth(leaf)
	dref := p.Depth(0)
	u64 := Float64.UnitRoundoff()
	gref := Gamma(dref, u64)
	if p.Kernel.Reduction() {
		gref = u64 + gref*gref
	}
	return Gamma(d, p.DType.UnitRoundoff()) + gref, float64(p.Kernel.Terms(p.Shape)) * p.DType.Tiny()
}

// FMAMul and FMAAdd are the constants of the fma kernel's step
// a ← a·FMAMul + FMAAdd. |FMAMul| < 1 makes the step a contraction with
// the fixed point FMAAdd/(1 − FMAMul) = ½, so values stay within
// [−1, 1] for inputs there, whatever K, and rounding errors shrink as
// they travel down the chain. FMAMul is a power of two, so a·FMAMul is
// exact (barring underflow): a fused and an unfused step round once
// alike, and every backend gives the same bits whether it fuses or not.
const (
	FMAMul = 0.5
	FMAAdd = 0.25
)

// fmaDepth is the d of the fma kernel's bound γ(d)·mag, where mag is the
// largest value of the chain run on absolute values, M = max_j m_j with
// m_0 = |x|, m_j = |FMAMul|·m_{j−1} + |FMAAdd| (ref computes it; the
// sequence is monotone, so M = max(m_0, m_K)).
//
// Derivation. Let a_j be the exact chain and â_j the computed one:
// â_j = z_j·(1 + δ_j), z_j = FMAMul·â_{j−1} + FMAAdd, |δ_j| ≤ u, one
// rounding per step, fused or not (FMAMul = ½ makes the product exact).
// With e_j = |â_j − a_j| and μ = |FMAMul|,
//
//	e_j ≤ μ·e_{j−1} + u·|z_j|,   |z_j| ≤ m_j + μ·e_{j−1} ≤ M + μ·e_{j−1}.
//
// Suppose e_{j−1} ≤ γ(2)·M (true for e_0 = 0). Then |z_i| ≤ M·(1 + γ(2))
// for i ≤ j and, unrolling,
//
//	e_j ≤ u·M·(1 + γ(2))·Σ_{i<j} μ^i < u·M·(1 + γ(2))/(1 − μ)
//	    = 2u·M/(1 − 2u) = γ(2)·M          (μ = ½),
//
// which closes the induction: the error no longer grows with K, since
// each step halves what came before. For K = 1 it is one rounding,
// γ(1)·M. A step that rounded twice (a non-fusing backend with an
// FMAMul that is not a power of two) would double it; Bound's terms·tiny
// covers a product or result in the subnormal range, whose absolute
// error, at most half the smallest subnormal a step, contracts the same
// way to at most one smallest subnormal.
func fmaDepth(s Shape) int {
	const d = 2 // ⌈1/(1 − |FMAMul|)⌉
	return min(s.K, d)
}
