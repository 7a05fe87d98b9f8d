package kern

import "github.com/gpubench/gpubench/compute"

// The pure-Go chains. One chain is a string of dependent operations, so
// it runs at the latency of a multiply plus an add per step; chains of
// them interleaved (that many elements at a time, in registers) keep the
// multiply and add units busy instead. Go does not fuse a*mul + add on
// amd64, so these round twice a step (once where mul is a power of two);
// on arm64 it may fuse.

// chains is how many elements the generic code runs at once: twelve
// chains and the two constants fit the fifteen vector registers Go's
// amd64 code may use, enough to cover a multiply's and an add's latency.
// Measurements: docs/methodology.md#why-these-constants.
const chains = 12

// fmaGeneric computes dst[i] = x[i] after k steps a = a*mul + add.
// float32 and float64 are separate instantiations (different GC
// shapes), so each runs its own code with no dictionary lookups.
func fmaGeneric[T compute.Float](dst, x []T, mul, add T, k int) {
	x = x[:len(dst)]
	i := 0
	for ; i <= len(dst)-chains; i += chains {
		v := x[i : i+chains : i+chains]
		a0, a1, a2, a3, a4, a5 := v[0], v[1], v[2], v[3], v[4], v[5]
		a6, a7, a8, a9, a10, a11 := v[6], v[7], v[8], v[9], v[10], v[11]
		for range k {
			a0, a1, a2, a3 = a0*mul+add, a1*mul+add, a2*mul+add, a3*mul+add
			a4, a5, a6, a7 = a4*mul+add, a5*mul+add, a6*mul+add, a7*mul+add
			a8, a9, a10, a11 = a8*mul+add, a9*mul+add, a10*mul+add, a11*mul+add
		}
		d := dst[i : i+chains : i+chains]
		d[0], d[1], d[2], d[3], d[4], d[5] = a0, a1, a2, a3, a4, a5
		d[6], d[7], d[8], d[9], d[10], d[11] = a6, a7, a8, a9, a10, a11
	}
	for ; i < len(dst); i++ {
		a := x[i]
		for range k {
			a = a*mul + add
		}
		dst[i] = a
	}
}
