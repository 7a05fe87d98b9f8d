package gemm

import "github.com/gpubench/gpubench/compute"

// The generic micro-kernel's tile: 4×4 accumulators fit the 16 floating
// point registers of amd64 and leave arm64's 32 room for operands.
const (
	genericMR = 4
	genericNR = 4
)

// genericKernel is the pure-Go micro-kernel, for every platform:
//
//	C[i*ldc+j] = α·Σ_{p<kc} a[p*4+i]·b[p*4+j] + β·C[i*ldc+j]
func genericKernel[T compute.Float](kc int, a, b, c []T, ldc int, alpha, beta T) {
	var c00, c01, c02, c03 T
	var c10, c11, c12, c13 T
	var c20, c21, c22, c23 T
	var c30, c31, c32, c33 T
	a = a[:kc*4]
	b = b[:kc*4]
	for p := 0; p < len(a); p += 4 {
		ap := a[p : p+4 : p+4]
		bp := b[p : p+4 : p+4]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	store4(c[0*ldc:0*ldc+4], c00, c01, c02, c03, alpha, beta)
	store4(c[1*ldc:1*ldc+4], c10, c11, c12, c13, alpha, beta)
	store4(c[2*ldc:2*ldc+4], c20, c21, c22, c23, alpha, beta)
	store4(c[3*ldc:3*ldc+4], c30, c31, c32, c33, alpha, beta)
}

// store4 sets c[j] = α·vj + β·c[j], not reading c where β = 0.
func store4[T compute.Float](c []T, v0, v1, v2, v3, alpha, beta T) {
	c = c[:4]
	if beta == 0 {
		c[0], c[1], c[2], c[3] = alpha*v0, alpha*v1, alpha*v2, alpha*v3
		return
	}
	c[0] = alpha*v0 + beta*c[0]
	c[1] = alpha*v1 + beta*c[1]
	c[2] = alpha*v2 + beta*c[2]
	c[3] = alpha*v3 + beta*c[3]
}
