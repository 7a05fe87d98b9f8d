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
// a ← a·FMAMul + FMAAdd. With FMAMul = 1 the step adds FMAAdd, so after
// K steps a_K = x + K·FMAAdd in exact arithmetic: the result moves with
// K, and a chain one step short or long is off by exactly FMAAdd, at
// every K (a contraction, whose chains all meet at its fixed point,
// would hide both). a·1 is exact, so a fused and an unfused step round
// once alike, and every backend gives the same bits whether it fuses or
// not. FMAAdd = 2⁻¹⁰ is a power of two: K·FMAAdd is exact, values stay
// near |x| + K/1024 (a few units at the K the roofline sweeps), and
// integer multiples of FMAAdd stay such multiples along the chain.
//
// Backends take both as values at run time, never as literals a compiler
// can fold: fma(a, 1.0, c) folds into an add, and the kernel would no
// longer do the multiply-adds it is counted for.
const (
	FMAMul = 1.0
	FMAAdd = 0x1p-10
)

// fmaDepth is the d of the fma kernel's bound γ(d)·mag: K, where mag is
// the largest value of the chain run on absolute values, M = max_j m_j
// with m_0 = |x|, m_j = |FMAMul|·m_{j−1} + |FMAAdd| = |x| + j·|FMAAdd|,
// so M = m_K = |x| + K·|FMAAdd| (ref computes it).
//
// Derivation. Let a_j be the exact chain and â_j the computed one:
// â_j = z_j·(1 + δ_j), z_j = â_{j−1}·FMAMul + FMAAdd, |δ_j| ≤ u, one
// rounding per step, fused or not (FMAMul = 1 makes the product exact).
// With e_j = |â_j − a_j|, and |a_j| ≤ m_j ≤ M,
//
//	e_j ≤ e_{j−1} + u·|z_j|,   |z_j| ≤ |a_j| + e_{j−1} ≤ M + e_{j−1},
//
// so e_j ≤ (1 + u)·e_{j−1} + u·M and, from e_0 = 0,
//
//	e_K ≤ u·M·Σ_{i<K} (1 + u)^i = ((1 + u)^K − 1)·M ≤ γ(K)·M:
//
// the chain is a serial sum of x and K copies of FMAAdd (Higham, eq. 4.4),
// nothing contracts, and the depth is K. A step's sum is subnormal only
// where x + j·FMAAdd cancels, and a sum that lands there is exact, so
// the relative model holds throughout; Bound's terms·tiny is there all
// the same.
//
// What the checks see. A step count off by one changes the exact result
// by exactly FMAAdd. The random-input pass sees it while FMAAdd exceeds
// the bound plus the wrong chain's own error, about 2K·u·M < FMAAdd:
// with |x| < 1, up to K ≈ 2400 in float32 and K ≈ 6·10⁷ in float64 (at
// K = 256, M < 1.25 and the float32 bound is 2·10⁻⁵, against
// FMAAdd ≈ 10⁻³). Beyond that an exact pass sees it at any K: with
// inputs that are integer multiples of FMAAdd every a_j is one too, and
// is exact while |x| + K·FMAAdd < 2²⁴·FMAAdd (2⁵³·FMAAdd in float64),
// so the chain's result must match to the bit. γ(K) is +Inf from
// K·u ≥ 1 (K ≥ 2²⁴ in float32), where the random pass checks nothing.
func fmaDepth(s Shape) int { return s.K }
