//go:build cgo

package gl

import (
	"math/bits"
	"strconv"

	"github.com/gpubench/gpubench/compute"
)

// sumLeaf is the number of terms one invocation of dot and sum adds
// serially (the shaders' LEAF) before the work group's tree: it is the
// device's compute.Device.SumLeaf, from which the error bound follows.
const sumLeaf = 8

// maxGroupsPerDispatch caps each dimension of one dispatch below the
// driver's limit too (2²⁴ elements a dispatch at 256 per group); the
// time budget (watchdog.go) bounds a dispatch's length.
const maxGroupsPerDispatch = 65535

// tuning is the work-group and tile sizes for one dtype, chosen from the
// device's limits.
type tuning struct {
	wg   int // one-dimensional kernels; a power of two
	gemm gemmTiles
	tile int // transpose's tile side
	rows int // transpose's work-group height
}

// gemmTiles is gemm.comp's blocking: a bm×bn block of the result per work
// group, k in steps of bk, a tm×tn tile per invocation.
type gemmTiles struct{ bm, bn, bk, tm, tn int }

func (g gemmTiles) threads() int { return (g.bm / g.tm) * (g.bn / g.tn) }

// shared is the shared memory gemm.comp declares, in bytes.
func (g gemmTiles) shared(size int) int { return (g.bk*g.bm + g.bk*g.bn) * size }

// floorPow2 is the largest power of two ≤ v (v ≥ 1).
func floorPow2(v int) int { return 1 << (bits.Len(uint(v)) - 1) }

// tune chooses sizes for dt on g.
func tune(g compute.GPU, dt compute.DType) tuning {
	size := dt.Size()
	t := tuning{wg: 256, tile: 32, rows: 8}
	limit := min(g.MaxWorkGroupInvocations, g.MaxWorkGroupSize[0], g.MaxSharedMemory/size)
	if limit >= 1 {
		t.wg = min(t.wg, floorPow2(limit))
	}
	// gemm's blockings from the largest; the first that fits the device
	// is used. Every OpenGL 4.3 device takes the first (the spec's
	// minimum is 1024 invocations and 32 KiB of shared memory); the
	// others are for drivers below the spec.
	ladder := [...]gemmTiles{
		{bm: 64, bn: 64, bk: 16, tm: 4, tn: 4},
		{bm: 32, bn: 32, bk: 16, tm: 2, tn: 2},
		{bm: 16, bn: 16, bk: 8, tm: 2, tn: 2},
	}
	t.gemm = ladder[len(ladder)-1]
	for _, c := range ladder {
		if c.threads() <= g.MaxWorkGroupInvocations && c.bn/c.tn <= g.MaxWorkGroupSize[0] &&
			c.bm/c.tm <= g.MaxWorkGroupSize[1] && c.shared(size) <= g.MaxSharedMemory {
			t.gemm = c
			break
		}
	}
	for t.tile > 8 && (t.tile*t.rows > g.MaxWorkGroupInvocations || t.tile*(t.tile+1)*size > g.MaxSharedMemory) {
		t.tile /= 2
		t.rows = max(t.rows/2, 1)
	}
	return t
}

// typeDefines are the element-type defines every shader reads.
func typeDefines(dt compute.DType) []define {
	if dt == compute.Float64 {
		return []define{{"DTYPE", "double"}, {"VEC4", "dvec4"}}
	}
	return []define{{"DTYPE", "float"}, {"VEC4", "vec4"}}
}

// vectorDefines specialises the one-dimensional kernels and gemv.
func (t tuning) vectorDefines(dt compute.DType) []define {
	return append(typeDefines(dt), define{"WG", itoa(t.wg)})
}

// fmaChains is how many independent chains one invocation of fma.comp
// runs (its CHAINS): enough to cover an FMA's latency of about four
// cycles without the warps of a full GPU, few enough to keep registers.
const fmaChains = 4

// fmaDefines specialises fma.comp with its chains per invocation. The
// step constants are uniforms (setProblem), not defines: a literal
// FMAMul = 1 would let the compiler fold each fma into an add.
func (t tuning) fmaDefines(dt compute.DType) []define {
	return append(t.vectorDefines(dt), define{"CHAINS", itoa(fmaChains)})
}

// reduceDefines specialises dot.comp and sum.comp with leaf terms added
// serially per invocation.
func (t tuning) reduceDefines(dt compute.DType, leaf int) []define {
	return append(typeDefines(dt), define{"WG", itoa(t.wg)}, define{"LEAF", itoa(leaf)})
}

func (t tuning) transposeDefines(dt compute.DType) []define {
	return append(typeDefines(dt), define{"TILE", itoa(t.tile)}, define{"ROWS", itoa(t.rows)})
}

// variant is one specialisation of a shader that the backend compiles.
type variant struct {
	name    string
	defines []define
}

// emptyShader is the shader of no kernel that DispatchLatency times.
const emptyShader = "empty"

// variants lists every specialisation launch can compile for dt, so that
// tests can validate and compile each one.
func (t tuning) variants(dt compute.DType) []variant {
	var vs []variant
	add := func(k compute.Kernel, ds []define) { vs = append(vs, variant{k.String(), ds}) }
	for _, k := range []compute.Kernel{compute.Copy, compute.Scale, compute.Add, compute.Triad, compute.Saxpy, compute.Gemv} {
		add(k, t.vectorDefines(dt))
	}
	add(compute.FMA, t.fmaDefines(dt))
	add(compute.Dot, t.reduceDefines(dt, sumLeaf))
	add(compute.Sum, t.reduceDefines(dt, sumLeaf))
	add(compute.Sum, t.reduceDefines(dt, 1))
	add(compute.Transpose, t.transposeDefines(dt))
	for _, va := range []bool{false, true} {
		for _, vb := range []bool{false, true} {
			add(compute.Gemm, t.gemmDefines(dt, va, vb))
		}
	}
	return append(vs, variant{emptyShader, nil})
}

func itoa(v int) string { return strconv.Itoa(v) }

// gemmDefines specialises gemm.comp; vecA and vecB turn on the 4-vector
// loads, which need k (for A) and n (for B) to be multiples of 4.
func (t tuning) gemmDefines(dt compute.DType, vecA, vecB bool) []define {
	g := t.gemm
	return append(typeDefines(dt),
		define{"BM", itoa(g.bm)}, define{"BN", itoa(g.bn)}, define{"BK", itoa(g.bk)},
		define{"TM", itoa(g.tm)}, define{"TN", itoa(g.tn)},
		define{"WX", itoa(g.bn / g.tn)}, define{"WY", itoa(g.bm / g.tm)},
		define{"VEC_A", itoa(b2i(vecA))}, define{"VEC_B", itoa(b2i(vecB))})
}
