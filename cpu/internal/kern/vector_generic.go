package kern

import "github.com/gpubench/gpubench/compute"

// The pure-Go vector kernels. Each loop handles eight elements per
// iteration through fixed-length subslices, which lets the compiler drop
// the bounds checks inside; the tail runs one element at a time. Results
// are those of the reference loops in vector.go, element for element.
// float32 and float64 are separate instantiations (different GC shapes),
// so each runs its own code with no dictionary lookups in the loops.

// copyGeneric computes dst[i] = x[i].
func copyGeneric[T compute.Float](dst, x []T) { copy(dst, x) }

// scaleGeneric computes dst[i] = a*x[i].
func scaleGeneric[T compute.Float](dst []T, a T, x []T) {
	x = x[:len(dst)]
	i := 0
	for ; i <= len(dst)-8; i += 8 {
		d, v := dst[i:i+8:i+8], x[i:i+8:i+8]
		d[0], d[1], d[2], d[3] = a*v[0], a*v[1], a*v[2], a*v[3]
		d[4], d[5], d[6], d[7] = a*v[4], a*v[5], a*v[6], a*v[7]
	}
	for ; i < len(dst); i++ {
		dst[i] = a * x[i]
	}
}

// addGeneric computes dst[i] = x[i] + y[i].
func addGeneric[T compute.Float](dst, x, y []T) {
	x, y = x[:len(dst)], y[:len(dst)]
	i := 0
	for ; i <= len(dst)-8; i += 8 {
		d, u, v := dst[i:i+8:i+8], x[i:i+8:i+8], y[i:i+8:i+8]
		d[0], d[1], d[2], d[3] = u[0]+v[0], u[1]+v[1], u[2]+v[2], u[3]+v[3]
		d[4], d[5], d[6], d[7] = u[4]+v[4], u[5]+v[5], u[6]+v[6], u[7]+v[7]
	}
	for ; i < len(dst); i++ {
		dst[i] = x[i] + y[i]
	}
}

// triadGeneric computes dst[i] = x[i] + a*y[i].
func triadGeneric[T compute.Float](dst, x []T, a T, y []T) {
	x, y = x[:len(dst)], y[:len(dst)]
	i := 0
	for ; i <= len(dst)-8; i += 8 {
		d, u, v := dst[i:i+8:i+8], x[i:i+8:i+8], y[i:i+8:i+8]
		d[0], d[1], d[2], d[3] = u[0]+a*v[0], u[1]+a*v[1], u[2]+a*v[2], u[3]+a*v[3]
		d[4], d[5], d[6], d[7] = u[4]+a*v[4], u[5]+a*v[5], u[6]+a*v[6], u[7]+a*v[7]
	}
	for ; i < len(dst); i++ {
		dst[i] = x[i] + a*y[i]
	}
}

// axpyGeneric computes dst[i] = a*x[i] + y[i].
func axpyGeneric[T compute.Float](dst []T, a T, x, y []T) {
	x, y = x[:len(dst)], y[:len(dst)]
	i := 0
	for ; i <= len(dst)-8; i += 8 {
		d, u, v := dst[i:i+8:i+8], x[i:i+8:i+8], y[i:i+8:i+8]
		d[0], d[1], d[2], d[3] = a*u[0]+v[0], a*u[1]+v[1], a*u[2]+v[2], a*u[3]+v[3]
		d[4], d[5], d[6], d[7] = a*u[4]+v[4], a*u[5]+v[5], a*u[6]+v[6], a*u[7]+v[7]
	}
	for ; i < len(dst); i++ {
		dst[i] = a*x[i] + y[i]
	}
}
