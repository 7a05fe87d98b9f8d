package kern

// FMA32 computes the chains of the fma kernel,
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
func FMA32(dst, x []float32, mul, add float32, k int) {
	if len(x) != len(dst) {
		mismatch("FMA32", len(dst), len(x))
	}
	if k < 0 {
		panic("kern: FMA32: negative step count")
	}
	impl.fma32(dst, x, mul, add, k)
}

// FMA64 computes the chains of the fma kernel,
//
//	for i := range dst {
//		a := x[i]
//		for range k { a = a*mul + add }
//		dst[i] = a
//	}
//
// as FMA32 does, in float64. k ≥ 0.
func FMA64(dst, x []float64, mul, add float64, k int) {
	if len(x) != len(dst) {
		mismatch("FMA64", len(dst), len(x))
	}
	if k < 0 {
		panic("kern: FMA64: negative step count")
	}
	impl.fma64(dst, x, mul, add, k)
}
