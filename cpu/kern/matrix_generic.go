package kern

// gemv32Generic computes dst[i] = Σ_j a[i*lda+j]*x[j], four rows at a
// time, so each element of x loaded serves four rows and four chains of
// additions run side by side.
func gemv32Generic(dst, a []float32, lda int, x []float32) {
	i := 0
	for ; i <= len(dst)-4; i += 4 {
		// Rows sliced to len(x) let the compiler drop the bounds checks
		// in the loop.
		r0 := a[i*lda:][:len(x)]
		r1 := a[(i+1)*lda:][:len(x)]
		r2 := a[(i+2)*lda:][:len(x)]
		r3 := a[(i+3)*lda:][:len(x)]
		var s0, s1, s2, s3 float32
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
		dst[i] = dot32Generic(a[i*lda:][:len(x)], x)
	}
}

// gemv64Generic computes dst[i] = Σ_j a[i*lda+j]*x[j], as gemv32Generic.
func gemv64Generic(dst, a []float64, lda int, x []float64) {
	i := 0
	for ; i <= len(dst)-4; i += 4 {
		// Rows sliced to len(x) let the compiler drop the bounds checks
		// in the loop.
		r0 := a[i*lda:][:len(x)]
		r1 := a[(i+1)*lda:][:len(x)]
		r2 := a[(i+2)*lda:][:len(x)]
		r3 := a[(i+3)*lda:][:len(x)]
		var s0, s1, s2, s3 float64
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
		dst[i] = dot64Generic(a[i*lda:][:len(x)], x)
	}
}

// transposeTile is the side of the square tiles transpose works in: a
// 32×32 tile of float64 is 8 KiB read and 8 KiB written, so both fit in a
// 32 KiB L1 data cache with room to spare, and a tile row of float32 is
// two 64-byte cache lines.
const transposeTile = 32

// transpose32Generic computes dst[j*ldd+i] = a[i*lda+j] tile by tile.
func transpose32Generic(dst []float32, ldd int, a []float32, lda, m, n int) {
	for ib := 0; ib < m; ib += transposeTile {
		ie := min(ib+transposeTile, m)
		for jb := 0; jb < n; jb += transposeTile {
			je := min(jb+transposeTile, n)
			for i := ib; i < ie; i++ {
				row := a[i*lda+jb : i*lda+je]
				k := jb*ldd + i
				for _, v := range row {
					dst[k] = v
					k += ldd
				}
			}
		}
	}
}

// transpose64Generic computes dst[j*ldd+i] = a[i*lda+j] tile by tile.
func transpose64Generic(dst []float64, ldd int, a []float64, lda, m, n int) {
	for ib := 0; ib < m; ib += transposeTile {
		ie := min(ib+transposeTile, m)
		for jb := 0; jb < n; jb += transposeTile {
			je := min(jb+transposeTile, n)
			for i := ib; i < ie; i++ {
				row := a[i*lda+jb : i*lda+je]
				k := jb*ldd + i
				for _, v := range row {
					dst[k] = v
					k += ldd
				}
			}
		}
	}
}
