package kern

// FMA computes the chains of the fma kernel,
//
//	for i := range dst {
//		a := x[i]
//		for range k { a = a*mul + add }
//		dst[i] = a
//	}
//
// k dependent steps per element, each a fused multiply-add at the SIMD
// levels and a multiply then an add in the generic code (the same bits
// where mul is a power of two, as compute.FMAMul is). k ≥ 0.
func (t *Table[T]) FMA(dst, x []T, mul, add T, k int) {
	if len(x) != len(dst) {
		mismatch("FMA", len(dst), len(x))
	}
	if k < 0 {
		panic("kern: FMA: negative step count")
	}
	t.fma(dst, x, mul, add, k)
}
