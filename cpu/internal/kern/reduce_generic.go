package kern

import "github.com/gpubench/gpubench/compute"

// The pure-Go reduction leaves, called with at most Leaf terms. Eight
// accumulators take every eighth term, so the loop is not bound by the
// latency of one chain of additions; they are then added as a balanced
// tree, and the tail goes into the first. The longest chain is ⌈n/8⌉+7+3
// additions, within the Leaf−1 a run may use (n ≥ 1; for n < 8 it is
// the serial chain).

// dotGeneric computes Σ x[i]*y[i] in T.
func dotGeneric[T compute.Float](x, y []T) T {
	y = y[:len(x)]
	var s0, s1, s2, s3, s4, s5, s6, s7 T
	i := 0
	for ; i <= len(x)-8; i += 8 {
		u, v := x[i:i+8:i+8], y[i:i+8:i+8]
		s0 += u[0] * v[0]
		s1 += u[1] * v[1]
		s2 += u[2] * v[2]
		s3 += u[3] * v[3]
		s4 += u[4] * v[4]
		s5 += u[5] * v[5]
		s6 += u[6] * v[6]
		s7 += u[7] * v[7]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

// sumGeneric computes Σ x[i] in T.
func sumGeneric[T compute.Float](x []T) T {
	var s0, s1, s2, s3, s4, s5, s6, s7 T
	i := 0
	for ; i <= len(x)-8; i += 8 {
		u := x[i : i+8 : i+8]
		s0 += u[0]
		s1 += u[1]
		s2 += u[2]
		s3 += u[3]
		s4 += u[4]
		s5 += u[5]
		s6 += u[6]
		s7 += u[7]
	}
	for ; i < len(x); i++ {
		s0 += x[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}
