package gemm

import (
	"fmt"
	"slices"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// Level is gemm at one SIMD level: its micro-kernels for float32 and
// float64, with their tiles and cache blocks. NewLevel makes it, from
// the caches the caller found; it is never written afterwards, and a
// caller passes the one it runs at to Gemm.
type Level struct {
	name string
	k32  *kernel[float32]
	k64  *kernel[float64]
	// A parallel call whose packed B, all of it, takes at most stripBBytes
	// (L2's size) runs as strips: each worker that joins packs the whole of
	// B once, then takes strips of strip rows of C off a shared counter,
	// packs the strip's rows of A and multiplies them by its B, until none
	// are left. Such a call lasts a millisecond or two at most, where the
	// VM's scheduler may start a worker late or put it on the caller's
	// vCPU; a static split then waits for the slow worker's whole share,
	// while here the caller takes the strips the late worker does not
	// (pool.RunAny does not wait for a worker that had not started). Cutting
	// rows rather than columns also packs A, whose packing is a transpose,
	// once in all, and B, a plain copy, once per worker. A call with fewer
	// tiles of mr rows than workers keeps the static split, which cuts its
	// columns: as strips, one worker would do it all.
	// Measurements: docs/methodology.md#why-these-constants.
	stripBBytes int
}

// NewLevel makes gemm at level l, which must be one of
// kern.Available, for caches cs; the error says which levels this CPU
// runs. There is no fallback: a level gemm has no micro-kernels for
// (neon) is an error too.
func NewLevel(l kern.Level, cs Caches) (*Level, error) {
	if l == kern.Generic {
		return newLevel(cs, l,
			newKernel(cs, "generic", genericMR, genericNR, genericKernel[float32]),
			newKernel(cs, "generic", genericMR, genericNR, genericKernel[float64])), nil
	}
	if slices.Contains(kern.Available(), l) {
		if lv := asmLevel(l, cs); lv != nil {
			return lv, nil
		}
	}
	return nil, fmt.Errorf("%w: gemm has no micro-kernels for CPU level %s here: choose one of %v",
		compute.ErrUnavailable, l, kern.Available())
}

func newLevel(cs Caches, l kern.Level, k32 *kernel[float32], k64 *kernel[float64]) *Level {
	return &Level{name: string(l), k32: k32, k64: k64, stripBBytes: cs.L2}
}

// Name is the level's name: "avx512", "avx2" or "generic".
func (l *Level) Name() string { return l.name }

// Describe says which micro-kernels the level runs, with their tiles and
// block sizes, for a report: for example
// "avx512: f32 14×32 (mc 1022, kc 192, nc 4096), f64 14×16 (...)".
func (l *Level) Describe() string {
	b32, b64 := l.k32.blocks, l.k64.blocks
	return fmt.Sprintf("%s: f32 %d×%d (mc %d, kc %d, nc %d), f64 %d×%d (mc %d, kc %d, nc %d)",
		l.name, l.k32.mr, l.k32.nr, b32.mc, b32.kc, b32.nc, l.k64.mr, l.k64.nr, b64.mc, b64.kc, b64.nc)
}

// kernelOf is l's micro-kernel for T.
func kernelOf[T compute.Float](l *Level) *kernel[T] {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(l.k32).(*kernel[T])
	}
	return any(l.k64).(*kernel[T])
}
