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
// got is the backend's result in dt, want the float64 reference, and mag
// the same computation on absolute values (Σ|aᵢ||bᵢ| for a dot product,
// |α|·Σ|a||b| + |β||c| for gemm).
//
// The backend's result satisfies |got − exact| ≤ γ_dt(d)·mag, d = Depth
// of its evaluation (Higham, eq. 3.5 for inner products, §4.2 for sums).
// The reference, computed serially in float64, satisfies |want − exact| ≤
// γ_f64(dref)·mag with dref the serial depth. The triangle inequality
// adds the two. Products that underflow lose at most half the smallest
// subnormal each, so terms·tiny covers them; this is what makes the
// bound hold for denormal inputs, where relative bounds do not.
func Bound(k *Kernel, s Shape, dt DType, leaf int, mag float64) float64 {
	d := k.Depth(s, leaf)
	dref := k.Depth(s, 0)
	g := Gamma(d, dt.UnitRoundoff()) + Gamma(dref, Float64.UnitRoundoff())
	return g*mag + float64(k.Terms(s))*dt.Tiny()
}
