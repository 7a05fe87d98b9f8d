// Package avx holds what the amd64 generators share: the vector register
// files, the float32 or float64 form of each instruction they use,
// arguments' frame addresses, and log₂ for shift counts.
package avx

import (
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/gotypes"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// ZMM and YMM are the vector registers in order: all 32 zmm (Z16–Z31 only
// EVEX instructions reach) and the 16 ymm.
var (
	ZMM = []reg.VecPhysical{
		reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7,
		reg.Z8, reg.Z9, reg.Z10, reg.Z11, reg.Z12, reg.Z13, reg.Z14, reg.Z15,
		reg.Z16, reg.Z17, reg.Z18, reg.Z19, reg.Z20, reg.Z21, reg.Z22, reg.Z23,
		reg.Z24, reg.Z25, reg.Z26, reg.Z27, reg.Z28, reg.Z29, reg.Z30, reg.Z31,
	}
	YMM = []reg.VecPhysical{
		reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7,
		reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15,
	}
)

// Float is an element type; its methods emit the packed-single (PS, SS)
// or packed-double (PD, SD) form of an instruction.
type Float struct {
	Name string // Go type: "float32", "float64"
	Size int    // bytes
}

var (
	F32 = Float{"float32", 4}
	F64 = Float{"float64", 8}
)

func (f Float) f64() bool { return f.Size == 8 }

// Mov copies src to dst, unaligned (VMOVUPS, VMOVUPD).
func (f Float) Mov(src, dst operand.Op) {
	if f.f64() {
		build.VMOVUPD(src, dst)
	} else {
		build.VMOVUPS(src, dst)
	}
}

// MovNT stores src to dst, which must be aligned to src's width,
// without reading dst's line into the cache (VMOVNTPS, VMOVNTPD).
func (f Float) MovNT(src, dst operand.Op) {
	if f.f64() {
		build.VMOVNTPD(src, dst)
	} else {
		build.VMOVNTPS(src, dst)
	}
}

// MovScalar copies the lowest element of src to dst (VMOVSS, VMOVSD).
func (f Float) MovScalar(src, dst operand.Op) {
	if f.f64() {
		build.VMOVSD(src, dst)
	} else {
		build.VMOVSS(src, dst)
	}
}

// Add computes dst = x + y.
func (f Float) Add(x, y, dst operand.Op) {
	if f.f64() {
		build.VADDPD(x, y, dst)
	} else {
		build.VADDPS(x, y, dst)
	}
}

// Mul computes dst = x·y.
func (f Float) Mul(x, y, dst operand.Op) {
	if f.f64() {
		build.VMULPD(x, y, dst)
	} else {
		build.VMULPS(x, y, dst)
	}
}

// FMA computes acc = x·y + acc, fused (VFMADD231).
func (f Float) FMA(x, y, acc operand.Op) {
	if f.f64() {
		build.VFMADD231PD(x, y, acc)
	} else {
		build.VFMADD231PS(x, y, acc)
	}
}

// Broadcast sets every lane of r to the element at m.
func (f Float) Broadcast(m operand.Mem, r reg.VecPhysical) {
	if f.f64() {
		build.VBROADCASTSD(m, r)
	} else {
		build.VBROADCASTSS(m, r)
	}
}

// Zero clears r: VPXORD for a zmm register (VXORPS has no EVEX form
// without AVX512DQ), VXORPS for a ymm one.
func Zero(r reg.VecPhysical) {
	if r.Size() == 64 {
		build.VPXORD(r, r, r)
	} else {
		build.VXORPS(r, r, r)
	}
}

// Addr is the frame address of an argument or result, build.Param(name)
// or build.ReturnIndex(i), at the offset the Go ABI gives it.
func Addr(c gotypes.Component) operand.Mem {
	b, err := c.Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}

// Log2 returns l with 1<<l = n, for a shift by n; it panics unless n is
// a power of two.
func Log2(n int) int {
	l := 0
	for 1<<l < n {
		l++
	}
	if 1<<l != n {
		panic("not a power of two")
	}
	return l
}
