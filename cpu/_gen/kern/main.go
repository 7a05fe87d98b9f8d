// Command kern generates the amd64 vector kernels of package cpu/kern:
// kern_amd64.s and stubs_amd64.go.
//
//	go run ./kern -out ../kern/kern_amd64.s -stubs ../kern/stubs_amd64.go -pkg kern
//
// Every kernel handles whole vectors only and returns how many elements
// it did; Go finishes the tail with the generic code. The elementwise
// kernels run four vectors per iteration, then one at a time; they round
// a product and then a sum as the Go code does (no fused multiply-add:
// they wait on memory, not arithmetic), so every level gives the same
// bits. The STREAM four, which write an array they do not read, also
// come as copyNT, scaleNT, addNT and triadNT: the same with
// non-temporal stores (VMOVNTPS/PD, then SFENCE), which write dst
// without first reading its lines into the cache; their dst must be
// aligned to the vector. The reductions (dot, sum) keep four vector accumulators, add them as a
// tree and then across lanes as a tree, so a leaf of n ≤ kern.Leaf terms
// has a longest chain of n/(4·lanes) + 3 + 2 + log₂(lanes) roundings,
// well within the Leaf−1 the error bound allows. The fma chains keep many
// independent chains in registers so that both FMA pipes stay full (see
// chain).
package main

import (
	"fmt"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	"github.com/gpubench/gpubench/cpu/_gen/internal/avx"
)

// isa is a vector instruction-set level.
type isa struct {
	name  string // "AVX512", "AVX2"
	bytes int    // vector width
}

func (s isa) vec(i int) VecPhysical {
	if s.bytes == 32 {
		return avx.YMM[i]
	}
	return avx.ZMM[i]
}

// typ is an element type and its suffix in the kernels' names.
type typ struct {
	avx.Float
	suf string // "32", "64"
}

var (
	isas  = []isa{{"AVX512", 64}, {"AVX2", 32}}
	types = []typ{{avx.F32, "32"}, {avx.F64, "64"}}
)

const unroll = 4

func main() {
	ConstraintExpr("!noasm")
	for _, s := range isas {
		for _, t := range types {
			elementwise(s, t, "copy", "func(dst, x []T) int", "dst[i] = x[i]")
			elementwise(s, t, "scale", "func(dst []T, a T, x []T) int", "dst[i] = a*x[i]")
			elementwise(s, t, "add", "func(dst, x, y []T) int", "dst[i] = x[i] + y[i]")
			elementwise(s, t, "triad", "func(dst, x []T, a T, y []T) int", "dst[i] = x[i] + a*y[i]")
			elementwise(s, t, "axpy", "func(dst []T, a T, x, y []T) int", "dst[i] = a*x[i] + y[i]")
			elementwise(s, t, "copyNT", "func(dst, x []T) int", "dst[i] = x[i] // non-temporal stores")
			elementwise(s, t, "scaleNT", "func(dst []T, a T, x []T) int", "dst[i] = a*x[i] // non-temporal stores")
			elementwise(s, t, "addNT", "func(dst, x, y []T) int", "dst[i] = x[i] + y[i] // non-temporal stores")
			elementwise(s, t, "triadNT", "func(dst, x []T, a T, y []T) int", "dst[i] = x[i] + a*y[i] // non-temporal stores")
			reduction(s, t, "dot", "func(x, y []T) (s T, n int)", "s = Σ x[i]*y[i] // fused multiply-adds into 4 vector accumulators")
			reduction(s, t, "sum", "func(x []T) (s T, n int)", "s = Σ x[i] // 4 vector accumulators")
			gemv(s, t)
			chain(s, t)
		}
	}
	Generate()
}

func fname(op string, s isa, t typ) string { return op + t.suf + s.name }

func header(op string, s isa, t typ, sig, math string) {
	TEXT(fname(op, s, t), NOSPLIT, strings.ReplaceAll(sig, "T", t.Name))
	Pragma("noescape")
	lanes := s.bytes / t.Size
	lines := []string{fmt.Sprintf("%s computes, with %s,", fname(op, s, t), s.name),
		"",
		"\t" + math,
		"",
		fmt.Sprintf("for i < n, n = len(%s) rounded down to a multiple of %d, and returns n.", map[bool]string{true: "x", false: "dst"}[op == "dot" || op == "sum"], lanes)}
	if strings.HasSuffix(op, "NT") {
		lines = append(lines, fmt.Sprintf("dst must be aligned to %d bytes.", s.bytes))
	}
	Doc(lines...)
}

// addr is the address of argument name.
func addr(name string) Mem { return avx.Addr(Param(name)) }

// ret is the address of result i. The sum is stored with a VEX move: an
// SSE one after 256- or 512-bit code may stall on the dirty upper halves.
func ret(i int) Mem { return avx.Addr(ReturnIndex(i)) }

func elementwise(s isa, t typ, name, sig, math string) {
	header(name, s, t, sig, math)
	op, nt := strings.CutSuffix(name, "NT")
	lanes := s.bytes / t.Size
	n := Load(Param("dst").Len(), GP64())
	dst := Load(Param("dst").Base(), GP64())
	x := Load(Param("x").Base(), GP64())
	var y Register
	if op == "add" || op == "triad" || op == "axpy" {
		y = Load(Param("y").Base(), GP64())
	}
	a := s.vec(15)
	if op == "scale" || op == "triad" || op == "axpy" {
		t.Broadcast(addr("a"), a)
	}
	i := GP64()
	XORQ(i, i)
	at := func(base Register, u int) Mem {
		return Mem{Base: base, Index: i, Scale: uint8(t.Size), Disp: u * s.bytes}
	}

	body := func(k int) {
		for u := range k {
			v := s.vec(u)
			switch op {
			case "copy":
				t.Mov(at(x, u), v)
			case "scale":
				t.Mul(at(x, u), a, v)
			case "add":
				t.Mov(at(x, u), v)
				t.Add(at(y, u), v, v)
			case "triad": // x + a·y, rounding the product as Go does
				t.Mul(at(y, u), a, v)
				t.Add(at(x, u), v, v)
			case "axpy": // a·x + y
				t.Mul(at(x, u), a, v)
				t.Add(at(y, u), v, v)
			}
		}
		for u := range k {
			if nt {
				t.MovNT(s.vec(u), at(dst, u))
			} else {
				t.Mov(s.vec(u), at(dst, u))
			}
		}
		ADDQ(U32(k*lanes), i)
	}

	vectorLoops(n, i, lanes, body, "done")

	Label("done")
	Store(i, ReturnIndex(0))
	if nt {
		SFENCE() // orders the weakly-ordered stores before the caller's
	}
	VZEROUPPER()
	RET()
}

// vectorLoops runs body(unroll) while unroll whole vectors of n elements
// remain from element i, then body(1) while one does, and jumps to exit;
// body(k) does k vectors from i and advances i.
func vectorLoops(n, i Register, lanes int, body func(k int), exit string) {
	end := GP64()
	MOVQ(n, end)
	SUBQ(U32(unroll*lanes), end)
	JL(LabelRef("one"))
	Label("loop")
	body(unroll)
	CMPQ(i, end)
	JLE(LabelRef("loop"))

	Label("one")
	MOVQ(n, end)
	SUBQ(U32(lanes), end)
	Label("oneloop")
	CMPQ(i, end)
	JG(LabelRef(exit))
	body(1)
	JMP(LabelRef("oneloop"))
}

func reduction(s isa, t typ, op, sig, math string) {
	header(op, s, t, sig, math)
	lanes := s.bytes / t.Size
	n := Load(Param("x").Len(), GP64())
	x := Load(Param("x").Base(), GP64())
	var y Register
	if op == "dot" {
		y = Load(Param("y").Base(), GP64())
	}
	i := GP64()
	XORQ(i, i)
	at := func(base Register, u int) Mem {
		return Mem{Base: base, Index: i, Scale: uint8(t.Size), Disp: u * s.bytes}
	}
	acc := func(u int) VecPhysical { return s.vec(u) }
	for u := range unroll {
		avx.Zero(acc(u))
	}
	body := func(k int) {
		for u := range k {
			if op == "dot" {
				v := s.vec(unroll + u)
				t.Mov(at(x, u), v)
				t.FMA(at(y, u), v, acc(u))
			} else {
				t.Add(at(x, u), acc(u), acc(u))
			}
		}
		ADDQ(U32(k*lanes), i)
	}
	vectorLoops(n, i, lanes, body, "reduce")

	// (acc0 + acc1) + (acc2 + acc3), then halves of the vector, as a tree.
	Label("reduce")
	t.Add(acc(1), acc(0), acc(0))
	t.Add(acc(3), acc(2), acc(2))
	t.Add(acc(2), acc(0), acc(0))
	hsum(s, t, acc(0), acc(1))
	t.MovScalar(acc(0).AsX(), ret(0))
	Store(i, ReturnIndex(1))
	VZEROUPPER()
	RET()
}

// hsum adds the lanes of vector register v (one of the first eight, so
// VEX instructions reach it) as a tree and leaves the sum in its lowest
// lane; tmp is clobbered.
func hsum(s isa, t typ, v, tmp VecPhysical) {
	x0, x1 := v.AsX(), tmp.AsX()
	if s.bytes == 64 {
		VEXTRACTF64X4(U8(1), v, tmp.AsY())
		t.Add(tmp.AsY(), v.AsY(), v.AsY())
	}
	VEXTRACTF128(U8(1), v.AsY(), x1)
	t.Add(x1, x0, x0)
	if t.Size == 8 {
		VPERMILPD(U8(1), x0, x1)
		t.Add(x1, x0, x0)
	} else {
		VPERMILPS(U8(0x4e), x0, x1)
		t.Add(x1, x0, x0)
		VPERMILPS(U8(0xb1), x0, x1)
		t.Add(x1, x0, x0)
	}
}

// gemv computes four rows of y = A·x at a time over the whole vectors of
// x: each row keeps two vector accumulators (eight in all, enough to hide
// the FMA latency), added together and then across lanes as a tree.
func gemv(s isa, t typ) {
	lanes := s.bytes / t.Size
	name := fname("gemv", s, t)
	TEXT(name, NOSPLIT, strings.ReplaceAll("func(dst, a []T, lda int, x []T) (rows int)", "T", t.Name))
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes, with %s,", name, s.name),
		"",
		"\tdst[i] = Σ_{j<n} a[i*lda+j]*x[j] // fused multiply-adds",
		"",
		fmt.Sprintf("for i < rows, rows = len(dst) rounded down to a multiple of 4, and n = len(x)"),
		fmt.Sprintf("rounded down to a multiple of %d; it returns rows.", lanes))
	m := Load(Param("dst").Len(), GP64())
	dst := Load(Param("dst").Base(), GP64())
	a := Load(Param("a").Base(), GP64())
	lda := Load(Param("lda"), GP64())
	n := Load(Param("x").Len(), GP64())
	SHRQ(U8(avx.Log2(lanes)), n) // whole vectors per row
	SHLQ(U8(avx.Log2(t.Size)), lda)
	ANDQ(I32(-4), m)
	rows := GP64()
	MOVQ(m, rows)
	JZ(LabelRef("done"))

	Label("rows")
	p := []GPVirtual{GP64(), GP64(), GP64(), GP64()}
	MOVQ(a, p[0])
	LEAQ(Mem{Base: a, Index: lda, Scale: 1}, p[1])
	LEAQ(Mem{Base: a, Index: lda, Scale: 2}, p[2])
	LEAQ(Mem{Base: p[1], Index: lda, Scale: 2}, p[3])
	px := Load(Param("x").Base(), GP64())
	cnt := GP64()
	MOVQ(n, cnt)
	acc := func(r, h int) VecPhysical { return s.vec(2*r + h) }
	for r := range 4 {
		for h := range 2 {
			avx.Zero(acc(r, h))
		}
	}
	xv := []VecPhysical{s.vec(8), s.vec(9)}
	CMPQ(cnt, U8(2))
	JL(LabelRef("one"))
	Label("two")
	t.Mov(Mem{Base: px}, xv[0])
	t.Mov(Mem{Base: px, Disp: s.bytes}, xv[1])
	for r := range 4 {
		for h := range 2 {
			t.FMA(Mem{Base: p[r], Disp: h * s.bytes}, xv[h], acc(r, h))
		}
	}
	ADDQ(U32(2*s.bytes), px)
	for r := range 4 {
		ADDQ(U32(2*s.bytes), p[r])
	}
	SUBQ(U8(2), cnt)
	CMPQ(cnt, U8(2))
	JGE(LabelRef("two"))
	Label("one")
	TESTQ(cnt, cnt)
	JZ(LabelRef("store"))
	t.Mov(Mem{Base: px}, xv[0])
	for r := range 4 {
		t.FMA(Mem{Base: p[r]}, xv[0], acc(r, 0))
	}
	Label("store")
	for r := range 4 {
		t.Add(acc(r, 1), acc(r, 0), acc(r, 0))
		hsum(s, t, acc(r, 0), acc(r, 1))
		t.MovScalar(acc(r, 0).AsX(), Mem{Base: dst, Disp: r * t.Size})
	}
	ADDQ(U32(4*t.Size), dst)
	LEAQ(Mem{Base: a, Index: lda, Scale: 4}, a)
	SUBQ(U8(4), m)
	JNZ(LabelRef("rows"))
	Label("done")
	Store(rows, ReturnIndex(0))
	VZEROUPPER()
	RET()
}

// chains is how many vectors of independent fma chains one block keeps
// in registers. Filling two FMA pipes of 4 cycles' latency needs eight
// in flight: AVX-512 keeps sixteen (of 32 registers; the constants live
// in Z16 and Z17, which only EVEX reaches), AVX2 twelve (of 16, the
// constants in Y12 and Y13).
func chains(s isa) int {
	if s.bytes == 64 {
		return 16
	}
	return 12
}

// chain computes the fma kernel's chains, dst[i] = x[i] after k steps
// a = a·mul + add, one VFMADD213 a step: blocks of chains(s) vectors, then
// of four, then single vectors, each block loading its vectors, running
// all their chains k steps side by side, and storing them.
func chain(s isa, t typ) {
	lanes := s.bytes / t.Size
	u := chains(s)
	header("fma", s, t, "func(dst, x []T, mul, add T, k int) int",
		fmt.Sprintf("dst[i] = x[i] after k steps a = a*mul + add // fused, %d vectors of chains at once", u))
	n := Load(Param("dst").Len(), GP64())
	dst := Load(Param("dst").Base(), GP64())
	x := Load(Param("x").Base(), GP64())
	k := Load(Param("k"), GP64())
	var vmul, vadd VecPhysical = Y12, Y13
	if s.bytes == 64 {
		vmul, vadd = Z16, Z17
	}
	t.Broadcast(addr("mul"), vmul)
	t.Broadcast(addr("add"), vadd)
	i := GP64()
	XORQ(i, i)
	at := func(base Register, v int) Mem {
		return Mem{Base: base, Index: i, Scale: uint8(t.Size), Disp: v * s.bytes}
	}
	cnt := GP64()
	end := GP64()
	// block runs c vectors of chains from element i, and advances i.
	block := func(c int) {
		for v := range c {
			t.Mov(at(x, v), s.vec(v))
		}
		MOVQ(k, cnt)
		TESTQ(cnt, cnt)
		JZ(LabelRef(fmt.Sprintf("store%d", c)))
		Label(fmt.Sprintf("steps%d", c))
		for v := range c {
			if t.Size == 8 {
				VFMADD213PD(vadd, vmul, s.vec(v))
			} else {
				VFMADD213PS(vadd, vmul, s.vec(v))
			}
		}
		DECQ(cnt)
		JNZ(LabelRef(fmt.Sprintf("steps%d", c)))
		Label(fmt.Sprintf("store%d", c))
		for v := range c {
			t.Mov(s.vec(v), at(dst, v))
		}
		ADDQ(U32(c*lanes), i)
	}
	for _, c := range []int{u, 4, 1} {
		MOVQ(n, end)
		SUBQ(U32(c*lanes), end)
		Label(fmt.Sprintf("loop%d", c))
		CMPQ(i, end)
		JG(LabelRef(fmt.Sprintf("next%d", c)))
		block(c)
		JMP(LabelRef(fmt.Sprintf("loop%d", c)))
		Label(fmt.Sprintf("next%d", c))
	}
	Store(i, ReturnIndex(0))
	VZEROUPPER()
	RET()
}
