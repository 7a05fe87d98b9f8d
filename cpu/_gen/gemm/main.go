// Command gemm generates the amd64 gemm micro-kernels of package
// cpu/gemm: gemm_amd64.s and stubs_amd64.go.
//
//	go run ./gemm -out ../gemm/gemm_amd64.s -stubs ../gemm/stubs_amd64.go -pkg gemm
//
// Each kernel computes one mr×nr tile of C from packed panels,
//
//	C[i*ldc+j] = α·Σ_{p<kc} a[p*mr+i]·b[p*nr+j] + β·C[i*ldc+j]
//
// keeping the tile in registers: row i of the tile is nr/lanes vector
// registers. Each step p loads the nr elements of B's row p into vector
// registers, broadcasts a[p*mr+i] for each row i and multiply-adds, so
// the tile takes mr·nr/lanes registers, B nr/lanes and the broadcasts
// two (alternating, so consecutive rows do not wait on each other).
// β = 0 writes C without reading it.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	"github.com/gpubench/gpubench/cpu/_gen/internal/avx"
)

// shape is one kernel: its ISA, element type and tile.
type shape struct {
	name   string // Go function name
	isa    string // "avx512" or "avx2"
	elem   avx.Float
	mr, nr int
	unroll int // k steps per loop iteration
}

func (s shape) size() int { return s.elem.Size }

// lanes is the number of elements in one vector register.
func (s shape) lanes() int {
	w := 64
	if s.isa == "avx2" {
		w = 32
	}
	return w / s.size()
}

// vec returns vector register i of the kernel's width.
func (s shape) vec(i int) VecPhysical {
	if s.isa == "avx2" {
		return avx.YMM[i]
	}
	return avx.ZMM[i]
}

var shapes = []shape{
	// AVX-512: 32 zmm registers. 14 rows × 2 registers = 28 accumulators,
	// 2 for B, 2 for broadcasts. 28 FMAs per 16 loads.
	{name: "kernAVX512F32", isa: "avx512", elem: avx.F32, mr: 14, nr: 32, unroll: 4},
	{name: "kernAVX512F64", isa: "avx512", elem: avx.F64, mr: 14, nr: 16, unroll: 4},
	// AVX2: 16 ymm registers. 6 rows × 2 registers = 12 accumulators,
	// 2 for B, 2 for broadcasts.
	{name: "kernAVX2F32", isa: "avx2", elem: avx.F32, mr: 6, nr: 16, unroll: 4},
	{name: "kernAVX2F64", isa: "avx2", elem: avx.F64, mr: 6, nr: 8, unroll: 4},
}

func main() {
	ConstraintExpr("!noasm")
	for _, s := range shapes {
		kernel(s)
	}
	for _, s := range shapes {
		packB(s)
	}
	packA(shapes[0])
	packA(shapes[1])
	packAAVX2(shapes[2])
	packAAVX2(shapes[3])
	Generate()
}

func kernel(s shape) {
	elem := s.elem.Name
	TEXT(s.name, NOSPLIT, fmt.Sprintf("func(kc int, a, b, c []%s, ldc int, alpha, beta %s)", elem, elem))
	Doc(fmt.Sprintf("%s computes one %d×%d tile with %s:", s.name, s.mr, s.nr, s.isa),
		"",
		fmt.Sprintf("\tC[i*ldc+j] = α·Σ_{p<kc} a[p*%d+i]·b[p*%d+j] + β·C[i*ldc+j]", s.mr, s.nr),
		"",
		"β = 0 writes C without reading it. kc ≥ 1; a holds kc·mr elements, b kc·nr,",
		"and c the whole tile at row stride ldc.")
	Pragma("noescape")

	perRow := s.nr / s.lanes()
	nacc := s.mr * perRow
	acc := func(i, j int) VecPhysical { return s.vec(i*perRow + j) }
	bReg := func(j int) VecPhysical { return s.vec(nacc + j) }
	bc := func(i int) VecPhysical { return s.vec(nacc + perRow + i%2) }

	kc := Load(Param("kc"), GP64())
	pa := Load(Param("a").Base(), GP64())
	pb := Load(Param("b").Base(), GP64())

	// Prefetch the C tile: its rows are far apart in memory and usually
	// not in cache; without this the stores at the end wait on misses.
	{
		pc := Load(Param("c").Base(), GP64())
		ldc := Load(Param("ldc"), GP64())
		SHLQ(U8(avx.Log2(s.size())), ldc)
		for i := range s.mr {
			for off := 0; off < s.nr*s.size(); off += 64 {
				PREFETCHT0(Mem{Base: pc, Disp: off})
			}
			PREFETCHT0(Mem{Base: pc, Disp: s.nr*s.size() - 1})
			if i < s.mr-1 {
				ADDQ(ldc, pc)
			}
		}
	}

	// Zero the accumulators.
	for i := range nacc {
		avx.Zero(s.vec(i))
	}

	sz := s.size()
	step := func(u int) {
		for j := range perRow {
			s.elem.Mov(Mem{Base: pb, Disp: (u*s.nr + j*s.lanes()) * sz}, bReg(j))
		}
		for i := range s.mr {
			s.elem.Broadcast(Mem{Base: pa, Disp: (u*s.mr + i) * sz}, bc(i))
			for j := range perRow {
				s.elem.FMA(bReg(j), bc(i), acc(i, j))
			}
		}
	}

	n := GP64()
	MOVQ(kc, n)
	SHRQ(U8(avx.Log2(s.unroll)), n)
	JZ(LabelRef("tail"))
	Label("loop")
	for u := range s.unroll {
		step(u)
	}
	ADDQ(U32(s.unroll*s.mr*sz), pa)
	ADDQ(U32(s.unroll*s.nr*sz), pb)
	DECQ(n)
	JNZ(LabelRef("loop"))

	Label("tail")
	ANDQ(U32(s.unroll-1), kc)
	JZ(LabelRef("store"))
	Label("tailloop")
	step(0)
	ADDQ(U32(s.mr*sz), pa)
	ADDQ(U32(s.nr*sz), pb)
	DECQ(kc)
	JNZ(LabelRef("tailloop"))

	// C = α·acc (+ β·C).
	Label("store")
	pc := Load(Param("c").Base(), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(avx.Log2(sz)), ldc)
	alpha, beta := bReg(0), bReg(1)
	betaAddr := avx.Addr(Param("beta"))
	s.elem.Broadcast(avx.Addr(Param("alpha")), alpha)
	s.elem.Broadcast(betaAddr, beta)
	// β = ±0 skips reading C: shifting out the sign bit leaves zero only
	// then (NaN and every other value have exponent or mantissa bits).
	bits := GP64()
	if s.elem == avx.F64 {
		MOVQ(betaAddr, bits)
		SHLQ(U8(1), bits)
	} else {
		MOVL(betaAddr, bits.As32())
		SHLL(U8(1), bits.As32())
	}
	JNZ(LabelRef("withbeta"))
	for i := range s.mr {
		for j := range perRow {
			s.elem.Mul(alpha, acc(i, j), acc(i, j))
			s.elem.Mov(acc(i, j), Mem{Base: pc, Disp: j * s.lanes() * sz})
		}
		if i < s.mr-1 {
			ADDQ(ldc, pc)
		}
	}
	VZEROUPPER()
	RET()

	Label("withbeta")
	for i := range s.mr {
		for j := range perRow {
			m := Mem{Base: pc, Disp: j * s.lanes() * sz}
			s.elem.Mul(alpha, acc(i, j), acc(i, j))
			s.elem.FMA(m, beta, acc(i, j))
			s.elem.Mov(acc(i, j), m)
		}
		if i < s.mr-1 {
			ADDQ(ldc, pc)
		}
	}
	VZEROUPPER()
	RET()
}

// packB copies panels whole nr-column panels of B, k rows at stride
// ldb, to dst, panel after panel, each row by row:
//
//	dst[q*k*nr + p*nr + j] = b[p*ldb + q*nr + j]
//
// It walks B row by row, so it reads B in order, one page after another,
// and writes panels·k·nr elements. nr is two vector registers in every
// shape.
func packB(s shape) {
	elem := s.elem.Name
	name := "packB" + s.name[len("kern"):]
	TEXT(name, NOSPLIT, fmt.Sprintf("func(dst, b []%s, ldb, k, panels int)", elem))
	Pragma("noescape")
	Doc(fmt.Sprintf("%s copies %d-column panels of B: dst[q*k*%d+p*%d+j] = b[p*ldb+q*%d+j] for q < panels, p < k, j < %d.", name, s.nr, s.nr, s.nr, s.nr, s.nr))
	dst := Load(Param("dst").Base(), GP64())
	b := Load(Param("b").Base(), GP64())
	ldb := Load(Param("ldb"), GP64())
	k := Load(Param("k"), GP64())
	panels := Load(Param("panels"), GP64())
	sz := s.size()
	SHLQ(U8(avx.Log2(sz)), ldb)
	stride := GP64() // bytes from one panel to the next in dst: k·nr·size
	MOVQ(k, stride)
	SHLQ(U8(avx.Log2(s.nr*sz)), stride)
	half := s.lanes() * sz
	TESTQ(k, k)
	JZ(LabelRef("done"))
	TESTQ(panels, panels)
	JZ(LabelRef("done"))
	Label("row")
	src, out, q := GP64(), GP64(), GP64()
	MOVQ(b, src)
	MOVQ(dst, out)
	MOVQ(panels, q)
	Label("panel")
	s.elem.Mov(Mem{Base: src}, s.vec(0))
	s.elem.Mov(Mem{Base: src, Disp: half}, s.vec(1))
	s.elem.Mov(s.vec(0), Mem{Base: out})
	s.elem.Mov(s.vec(1), Mem{Base: out, Disp: half})
	ADDQ(U32(2*half), src)
	ADDQ(stride, out)
	DECQ(q)
	JNZ(LabelRef("panel"))
	ADDQ(ldb, b)
	ADDQ(U32(2*half), dst)
	DECQ(k)
	JNZ(LabelRef("row"))
	Label("done")
	VZEROUPPER()
	RET()
}

// packAStart begins the packA function of s, documented with note, and
// loads its arguments; it jumps to "done" when k = 0.
func packAStart(s shape, note string) (dst, a, k, idx Register) {
	name := "packA" + s.name[len("kern"):]
	TEXT(name, NOSPLIT, fmt.Sprintf("func(dst, a []%s, k int, idx *[16]int32)", s.elem.Name))
	Pragma("noescape")
	Doc(fmt.Sprintf("%s copies a %d-row panel of A: dst[p*%d+i] = a[idx[i]+p] for p < k, i < %d.", name, s.mr, s.mr, s.mr), note)
	dst = Load(Param("dst").Base(), GP64())
	a = Load(Param("a").Base(), GP64())
	k = Load(Param("k"), GP64())
	idx = Load(Param("idx"), GP64())
	TESTQ(k, k)
	JZ(LabelRef("done"))
	return dst, a, k, idx
}

// packA copies one whole 14-row panel of A, k columns at row stride lda,
// to dst column by column, dst[p*14+i] = a[i*lda+p], gathering each
// column with one (float32) or two (float64) AVX-512 gathers whose
// indices idx[i] = i*lda the caller provides, and storing it under a
// mask of 14 lanes.
func packA(s shape) {
	if s.isa != "avx512" || s.mr != 14 {
		panic("packA is for the 14-row AVX-512 kernels")
	}
	dst, a, k, idx := packAStart(s, "idx[i] = i*lda must fit in an int32.")
	m := GP32()
	sz := s.size()
	if s.elem == avx.F32 {
		VMOVDQU32(Mem{Base: idx}, Z0)
		MOVL(U32(0x3fff), m)
		KMOVW(m, K2)
		Label("loop")
		KMOVW(m, K1)
		VGATHERDPS(Mem{Base: a, Index: Z0, Scale: 4}, K1, Z1)
		VMOVUPS(Z1, K2, Mem{Base: dst})
		ADDQ(U32(sz), a)
		ADDQ(U32(14*sz), dst)
		DECQ(k)
		JNZ(LabelRef("loop"))
	} else {
		VMOVDQU(Mem{Base: idx}, Y4)
		VMOVDQU(Mem{Base: idx, Disp: 32}, Y5)
		full := GP32()
		MOVL(U32(0xff), full)
		MOVL(U32(0x3f), m)
		KMOVW(m, K3)
		Label("loop")
		KMOVW(full, K1)
		KMOVW(m, K2)
		// The indices are not in Z1 or Z2, which the gathers write.
		VGATHERDPD(Mem{Base: a, Index: Y4, Scale: 8}, K1, Z1)
		VGATHERDPD(Mem{Base: a, Index: Y5, Scale: 8}, K2, Z2)
		VMOVUPD(Z1, Mem{Base: dst})
		VMOVUPD(Z2, K3, Mem{Base: dst, Disp: 64})
		ADDQ(U32(sz), a)
		ADDQ(U32(14*sz), dst)
		DECQ(k)
		JNZ(LabelRef("loop"))
	}
	Label("done")
	VZEROUPPER()
	RET()
}

// packAAVX2 copies one whole 6-row panel of A to dst column by column,
// dst[p*6+i] = a[i*lda+p], with AVX2 gathers. The caller provides the
// gather indices and store masks in idx (AVX2 has no mask registers):
//
//	float32: idx[i] = i*lda (i < 6); idx[8+i] = -1 (i < 6), else 0
//	float64: idx[i] = i*lda (i < 6); idx[8:12] = -1, idx[12:16] = 0
func packAAVX2(s shape) {
	if s.isa != "avx2" || s.mr != 6 {
		panic("packAAVX2 is for the 6-row AVX2 kernels")
	}
	dst, a, k, idx := packAStart(s, "idx[i] = i*lda must fit in an int32; idx[8:16] holds the store mask (see the generator).")
	sz := s.size()
	// Y0: indices, Y3: the 6-lane store mask, Y4: all ones; a gather
	// clears its mask, so each one gets a fresh copy (Y2, Y5).
	if s.elem == avx.F32 {
		VMOVDQU(Mem{Base: idx}, Y0)
		VMOVDQU(Mem{Base: idx, Disp: 32}, Y3)
		Label("loop")
		VMOVDQU(Y3, Y2)
		VGATHERDPS(Y2, Mem{Base: a, Index: Y0, Scale: 4}, Y1)
		VMASKMOVPS(Y1, Y3, Mem{Base: dst})
	} else {
		VMOVDQU(Mem{Base: idx}, Y0) // X0: rows 0-3, X6: rows 4-5
		VEXTRACTI128(U8(1), Y0, X6)
		VMOVDQU(Mem{Base: idx, Disp: 32}, Y3)
		VPCMPEQD(Y4, Y4, Y4)
		Label("loop")
		VMOVDQU(Y4, Y2)
		VMOVDQU(Y3, Y5)
		VGATHERDPD(Y2, Mem{Base: a, Index: X0, Scale: 8}, Y1)
		VGATHERDPD(Y5, Mem{Base: a, Index: X6, Scale: 8}, Y7)
		VMOVUPD(Y1, Mem{Base: dst})
		VMASKMOVPD(Y7, Y3, Mem{Base: dst, Disp: 32})
	}
	ADDQ(U32(sz), a)
	ADDQ(U32(6*sz), dst)
	DECQ(k)
	JNZ(LabelRef("loop"))
	Label("done")
	VZEROUPPER()
	RET()
}
