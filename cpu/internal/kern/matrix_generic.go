package kern

import "github.com/gpubench/gpubench/compute"

// gemvGeneric computes dst[i] = Σ_j a[i*lda+j]*x[j], four rows at a
// time, so each element of x loaded serves four rows and four chains of
// additions run side by side.
func gemvGeneric[T compute.Float](dst, a []T, lda int, x []T) {
	i := 0
	for ; i <= len(dst)-4; i += 4 {
		// Rows sliced to len(x) let the compiler drop the bounds checks
		// in the loop.
		r0 := a[i*lda:][:len(x)]
		r1 := a[(i+1)*lda:][:len(x)]
		r2 := a[(i+2)*lda:][:len(x)]
		r3 := a[(i+3)*lda:][:len(x)]
		var s0, s1, s2, s3 T
		for j, u := range x {
			s0 += r0[j] * u
			s1 += r1[j] * u
			s2 += r2[j] * u
			s3 += r3[j] * u
		}
		d := dst[i : i+4 : i+4]
		d[0], d[1], d[2], d[3] = s0, s1, s2, s3
	}
	for ; i < len(dst); i++ {
		dst[i] = dotGeneric(a[i*lda:][:len(x)], x)
	}
}

// transposeTile is the side of the square tiles transpose works in. A
// tile is gathered from A's rows into a local array, transposed on the
// way, and then written to out a whole tile row at a time: every write
// to out is a run of transposeTile contiguous elements, never a single
// element per cache line, which with a power-of-two row stride would
// fight over a handful of cache sets. A float64 tile is 8 KiB, within
// any L1 data cache together with the lines it reads.
const transposeTile = 32

// transposeGeneric computes dst[j*ldd+i] = a[i*lda+j] tile by tile.
func transposeGeneric[T compute.Float](dst []T, ldd int, a []T, lda, m, n int) {
	var tile [transposeTile * transposeTile]T
	for ib := 0; ib < m; ib += transposeTile {
		h := min(transposeTile, m-ib)
		for jb := 0; jb < n; jb += transposeTile {
			w := min(transposeTile, n-jb)
			for i := 0; i < h; i++ {
				row := a[(ib+i)*lda+jb:][:w]
				for j, v := range row {
					tile[j*transposeTile+i] = v
				}
			}
			for j := 0; j < w; j++ {
				copy(dst[(jb+j)*ldd+ib:][:h], tile[j*transposeTile:])
			}
		}
	}
}
