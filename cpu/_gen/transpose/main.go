// Command transpose generates the amd64 transpose kernels of package
// cpu/kern: transpose_amd64.s and transpose_stubs_amd64.go.
//
//	go run ./transpose -out ../kern/transpose_amd64.s -stubs ../kern/transpose_stubs_amd64.go -pkg kern
//
// Each kernel moves A in square blocks of one vector width (16×16
// float32 or 8×8 float64 with AVX-512, 8×8 float32 or 4×4 float64 with
// AVX2): it loads a block's rows into registers, transposes them there
// with shuffles (log₂ of the side in stages, so each element moves
// through registers only), and stores each register as a row of dst.
// Every load and every store is a whole vector, one cache line with
// AVX-512. Blocks are walked down a strip of block columns of A, so the
// rows of dst being written stay in the same few pages and cache sets
// for a whole strip. The kernels do whole blocks only; Go finishes the
// last rows and columns with the generic code.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	"github.com/gpubench/gpubench/cpu/_gen/internal/avx"
)

// kernel describes one generated function.
type kernel struct {
	name string
	elem avx.Float
	side int // block side, elements (= lanes)
	regs []VecPhysical
	// block transposes the side rows in regs[0:side] and returns the
	// registers holding the columns, column j in the j-th.
	block func(regs []VecPhysical) []VecPhysical
}

// panel is how many rows of A the kernels take at a time (see the loops
// in generate). A whole strip down A touches a page per row, and at
// 2048² and beyond the TLB and the L1's sets give out; a panel of 64 rows
// keeps 64 pages of A and the strip's pages of dst live. Measured
// single-threaded (float32, AVX-512, interleaved, best of 15) against
// panels of 16, 32 and 128: 64 was best or within noise of it at 1024²,
// 2048² and 4096².
const panel = 64

func main() {
	ConstraintExpr("!noasm")
	generate(kernel{"transpose32AVX512", avx.F32, 16, avx.ZMM, block32x16})
	generate(kernel{"transpose64AVX512", avx.F64, 8, avx.ZMM, block64x8})
	generate(kernel{"transpose32AVX2", avx.F32, 8, avx.YMM, block32x8})
	generate(kernel{"transpose64AVX2", avx.F64, 4, avx.YMM, block64x4})
	Generate()
}

func generate(k kernel) {
	TEXT(k.name, NOSPLIT, fmt.Sprintf("func(dst []%s, ldd int, a []%s, lda, m, n int)", k.elem.Name, k.elem.Name))
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes dst[j*ldd+i] = a[i*lda+j] for i < m, j < n in %d×%d blocks;", k.name, k.side, k.side),
		fmt.Sprintf("m and n must be multiples of %d, and dst and a must hold the matrices.", k.side))
	dst := Load(Param("dst").Base(), GP64())
	a := Load(Param("a").Base(), GP64())
	ldd := Load(Param("ldd"), GP64())
	lda := Load(Param("lda"), GP64())
	m := Load(Param("m"), GP64())
	n := Load(Param("n"), GP64())
	SHLQ(U8(avx.Log2(k.elem.Size)), ldd) // strides in bytes
	SHLQ(U8(avx.Log2(k.elem.Size)), lda)
	rowBytes := k.side * k.elem.Size // one vector

	// Loops: panels of A's rows (panel rows at a time, the last panel
	// shorter); in each, strips of side columns of A (side rows of
	// dst), left to right; in each strip, blocks down the panel.
	ib0 := GP64()
	XORQ(ib0, ib0)
	Label(k.name + "_panel")
	CMPQ(ib0, m)
	JGE(LabelRef(k.name + "_done"))
	iend := GP64()
	MOVQ(ib0, iend)
	ADDQ(U32(panel), iend)
	CMPQ(iend, m)
	CMOVQGT(m, iend)
	jb := GP64()
	XORQ(jb, jb)
	Label(k.name + "_strip")
	CMPQ(jb, n)
	JGE(LabelRef(k.name + "_nextpanel"))
	// src = a + (ib0*lda + jb)*size; out = dst + jb*ldd + ib0*size (bytes).
	src, out := GP64(), GP64()
	MOVQ(ib0, src)
	IMULQ(lda, src)
	MOVQ(jb, out)
	SHLQ(U8(avx.Log2(k.elem.Size)), out)
	ADDQ(out, src)
	ADDQ(a, src)
	MOVQ(jb, out)
	IMULQ(ldd, out)
	ADDQ(dst, out)
	p := GP64()
	MOVQ(ib0, p)
	SHLQ(U8(avx.Log2(k.elem.Size)), p)
	ADDQ(p, out)
	ib := GP64()
	MOVQ(ib0, ib)
	Label(k.name + "_block")
	CMPQ(ib, iend)
	JGE(LabelRef(k.name + "_next"))
	MOVQ(src, p)
	for r := 0; r < k.side; r++ {
		k.elem.Mov(Mem{Base: p}, k.regs[r])
		if r < k.side-1 {
			ADDQ(lda, p)
		}
	}
	cols := k.block(k.regs)
	MOVQ(out, p)
	for j := 0; j < k.side; j++ {
		k.elem.Mov(cols[j], Mem{Base: p})
		if j < k.side-1 {
			ADDQ(ldd, p)
		}
	}
	// Next block down: side rows of A, side elements along dst's rows.
	MOVQ(lda, p)
	SHLQ(U8(avx.Log2(k.side)), p)
	ADDQ(p, src)
	ADDQ(U32(rowBytes), out)
	ADDQ(U32(k.side), ib)
	JMP(LabelRef(k.name + "_block"))
	Label(k.name + "_next")
	ADDQ(U32(k.side), jb)
	JMP(LabelRef(k.name + "_strip"))
	Label(k.name + "_nextpanel")
	MOVQ(iend, ib0)
	JMP(LabelRef(k.name + "_panel"))
	Label(k.name + "_done")
	VZEROUPPER()
	RET()
}

// The block functions follow the usual in-register transposes. Intel's
// op(a, b) is avo's OP(b, a, dst), and op(a, b, imm) is OP(imm, b, a, dst).

// block32x16 transposes 16 rows of 16 float32 in Z0–Z15 through Z16–Z31:
// unpack pairs of rows by element, then by pairs, then move 128-bit lanes
// twice; column c + 4·s3 + 8·s4 comes from shuffle immediates s3, s4 (0x88
// for the even lanes, 0xdd for the odd).
func block32x16(z []VecPhysical) []VecPhysical {
	r, t := z[:16], z[16:32]
	for i := 0; i < 16; i += 2 {
		VUNPCKLPS(r[i+1], r[i], t[i])
		VUNPCKHPS(r[i+1], r[i], t[i+1])
	}
	// u[g][c]: rows 4g..4g+3, column 4k+c in each 128-bit lane k.
	var u [4][4]VecPhysical
	for g := 0; g < 4; g++ {
		b := 4 * g
		u[g][0], u[g][1], u[g][2], u[g][3] = r[b], r[b+1], r[b+2], r[b+3]
		VUNPCKLPD(t[b+2], t[b], u[g][0])
		VUNPCKHPD(t[b+2], t[b], u[g][1])
		VUNPCKLPD(t[b+3], t[b+1], u[g][2])
		VUNPCKHPD(t[b+3], t[b+1], u[g][3])
	}
	// v[p][c][s]: row groups 2p and 2p+1.
	imm := []U8{0x88, 0xdd}
	var v [2][4][2]VecPhysical
	i := 0
	for p := 0; p < 2; p++ {
		for c := 0; c < 4; c++ {
			for s := 0; s < 2; s++ {
				v[p][c][s] = t[i]
				i++
				VSHUFF32X4(imm[s], u[2*p+1][c], u[2*p][c], v[p][c][s])
			}
		}
	}
	col := make([]VecPhysical, 16)
	i = 0
	for c := 0; c < 4; c++ {
		for s3 := 0; s3 < 2; s3++ {
			for s4 := 0; s4 < 2; s4++ {
				col[c+4*s3+8*s4] = r[i]
				i++
				VSHUFF32X4(imm[s4], v[1][c][s3], v[0][c][s3], col[c+4*s3+8*s4])
			}
		}
	}
	return col
}

// block64x8 transposes 8 rows of 8 float64 in Z0–Z7 through Z16–Z23.
func block64x8(z []VecPhysical) []VecPhysical {
	r, t := z[:8], z[16:24]
	for i := 0; i < 8; i += 2 {
		VUNPCKLPD(r[i+1], r[i], t[i])   // r_i[2k], r_i+1[2k]
		VUNPCKHPD(r[i+1], r[i], t[i+1]) // r_i[2k+1], r_i+1[2k+1]
	}
	// u[h][c]: rows 4h..4h+3; c = 0: columns 0, 4; 1: 2, 6; 2: 1, 5; 3: 3, 7.
	var u [2][4]VecPhysical
	for h := 0; h < 2; h++ {
		b := 4 * h
		u[h] = [4]VecPhysical{r[b], r[b+1], r[b+2], r[b+3]}
		VSHUFF64X2(U8(0x88), t[b+2], t[b], u[h][0])
		VSHUFF64X2(U8(0xdd), t[b+2], t[b], u[h][1])
		VSHUFF64X2(U8(0x88), t[b+3], t[b+1], u[h][2])
		VSHUFF64X2(U8(0xdd), t[b+3], t[b+1], u[h][3])
	}
	first := []int{0, 2, 1, 3}
	col := make([]VecPhysical, 8)
	i := 0
	for c := 0; c < 4; c++ {
		for s, imm := range []U8{0x88, 0xdd} {
			j := first[c] + 4*s
			col[j] = t[i]
			i++
			VSHUFF64X2(imm, u[1][c], u[0][c], col[j])
		}
	}
	return col
}

// block32x8 transposes 8 rows of 8 float32 in Y0–Y7 through Y8–Y15.
func block32x8(y []VecPhysical) []VecPhysical {
	r, t := y[:8], y[8:16]
	for i := 0; i < 8; i += 2 {
		VUNPCKLPS(r[i+1], r[i], t[i])
		VUNPCKHPS(r[i+1], r[i], t[i+1])
	}
	// u: rows 4h..4h+3 of column c in each 128-bit lane (c and c+4).
	var u [2][4]VecPhysical
	for h := 0; h < 2; h++ {
		b := 4 * h
		u[h] = [4]VecPhysical{r[b], r[b+1], r[b+2], r[b+3]}
		VSHUFPS(U8(0x44), t[b+2], t[b], u[h][0])
		VSHUFPS(U8(0xee), t[b+2], t[b], u[h][1])
		VSHUFPS(U8(0x44), t[b+3], t[b+1], u[h][2])
		VSHUFPS(U8(0xee), t[b+3], t[b+1], u[h][3])
	}
	col := make([]VecPhysical, 8)
	for c := 0; c < 4; c++ {
		col[c], col[c+4] = t[c], t[c+4]
		VPERM2F128(U8(0x20), u[1][c], u[0][c], col[c])
		VPERM2F128(U8(0x31), u[1][c], u[0][c], col[c+4])
	}
	return col
}

// block64x4 transposes 4 rows of 4 float64 in Y0–Y3 through Y8–Y11.
func block64x4(y []VecPhysical) []VecPhysical {
	r, t := y[:4], y[8:12]
	VUNPCKLPD(r[1], r[0], t[0])
	VUNPCKHPD(r[1], r[0], t[1])
	VUNPCKLPD(r[3], r[2], t[2])
	VUNPCKHPD(r[3], r[2], t[3])
	col := []VecPhysical{r[0], r[1], r[2], r[3]}
	VPERM2F128(U8(0x20), t[2], t[0], col[0])
	VPERM2F128(U8(0x20), t[3], t[1], col[1])
	VPERM2F128(U8(0x31), t[2], t[0], col[2])
	VPERM2F128(U8(0x31), t[3], t[1], col[3])
	return col
}
