package gemm

import "github.com/gpubench/gpubench/compute"

// packA copies the m×k block of A (row stride lda) into dst as
// ⌈m/mr⌉ panels of mr rows, each stored column by column:
//
//	dst[(i/mr)*mr*k + p*mr + i%mr] = A[i*lda+p]
//
// Rows past m in the last panel are zero, so the kernel may read them.
func packA[T compute.Float](dst, a []T, lda, m, k, mr int) {
	for i0 := 0; i0 < m; i0 += mr {
		panel := dst[i0*k : (i0+mr)*k]
		rows := min(mr, m-i0)
		for r := range rows {
			row := a[(i0+r)*lda : (i0+r)*lda+k]
			for p, v := range row {
				panel[p*mr+r] = v
			}
		}
		for r := rows; r < mr; r++ {
			for p := range k {
				panel[p*mr+r] = 0
			}
		}
	}
}

// packB copies the k×n block of B (row stride ldb) into dst as
// ⌈n/nr⌉ panels of nr columns, each stored row by row:
//
//	dst[(j/nr)*nr*k + p*nr + j%nr] = B[p*ldb+j]
//
// Columns past n in the last panel are zero.
func packB[T compute.Float](dst, b []T, ldb, k, n, nr int) {
	for j0 := 0; j0 < n; j0 += nr {
		panel := dst[j0*k : (j0+nr)*k]
		cols := min(nr, n-j0)
		for p := range k {
			d := panel[p*nr : p*nr+nr]
			copy(d, b[p*ldb+j0:p*ldb+j0+cols])
			clear(d[cols:])
		}
	}
}

// packOpA packs the m×k block of A that a starts at into ⌈m/mr⌉ panels.
// A transposed A is stored k×m: its panels' rows are runs of mr
// contiguous elements, copied as packB copies B's.
func (kn *kernel[T]) packOpA(dst []T, a operand[T], m, k int) {
	if a.trans {
		packB(dst, a.data, a.ld, k, m, kn.mr)
		return
	}
	kn.packA(dst, a.data, a.ld, m, k)
}

// packOpB packs the k×n block of B that b starts at into ⌈n/nr⌉ panels.
// A transposed B is stored n×k: each panel gathers nr of its rows, as
// packA gathers A's.
func (kn *kernel[T]) packOpB(dst []T, b operand[T], k, n int) {
	if b.trans {
		packA(dst, b.data, b.ld, n, k, kn.nr)
		return
	}
	kn.packB(dst, b.data, b.ld, k, n)
}
