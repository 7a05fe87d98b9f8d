// Package simd detects the CPU's SIMD levels, in one place: for each
// level this CPU runs (kern.Available, where the CPU's features are
// checked) it makes one Engine, which carries that level's vector
// kernels (kern) and its gemm micro-kernels with cache blocks for this
// CPU's caches (gemm), made together. The cpu backend and cpu/blas both
// run on these engines.
//
// Detection runs at the first call that needs an engine, never while a
// package initialises: it reads the CPU's cache sizes (hwinfo, from
// sysfs), which a program that never runs a kernel should not pay for.
package simd

import (
	"fmt"
	"sync"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/gemm"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/hwinfo"
)

// Engine is the CPU kernels at one SIMD level: kern's tables and gemm's
// micro-kernels for that level. Engines are made once, at the first
// call that needs one, and never written afterwards, so any number of
// goroutines may run on one at once.
type Engine struct {
	level kern.Level
	kern  *kern.Set
	gemm  *gemm.Level
}

// Level is the engine's level's name: "avx512", "avx2", "generic".
func (e *Engine) Level() string { return string(e.level) }

// Kern is the engine's vector kernels.
func (e *Engine) Kern() *kern.Set { return e.kern }

// Gemm is the engine's gemm micro-kernels and blocks.
func (e *Engine) Gemm() *gemm.Level { return e.gemm }

// newEngine makes the engine of level l for caches cs: kern's and gemm's
// code for l, each an error where it has none.
func newEngine(l kern.Level, cs gemm.Caches) (*Engine, error) {
	s, err := kern.NewSet(l)
	if err != nil {
		return nil, err
	}
	g, err := gemm.NewLevel(l, cs)
	if err != nil {
		return nil, err
	}
	return &Engine{level: l, kern: s, gemm: g}, nil
}

// engines is every level's engine, made at the first call to Engines.
var engines = sync.OnceValue(func() []*Engine { return detect(kern.Available(), cachesOf(hwinfo.DescribeCPU())) })

// detect makes the engine of each of levels for caches cs. A level that
// kern has and gemm has not is a bug in this module (TestEngines), not
// in the caller's input, so it panics.
func detect(levels []kern.Level, cs gemm.Caches) []*Engine {
	out := make([]*Engine, 0, len(levels))
	for _, l := range levels {
		e, err := newEngine(l, cs)
		if err != nil {
			panic("simd: " + err.Error())
		}
		out = append(out, e)
	}
	return out
}

// cachesOf are the caches gemm blocks for on the CPU c describes.
func cachesOf(c hwinfo.CPU) gemm.Caches { return gemm.CachesOf(c.L1D, c.L2, c.L3) }

// Engines lists the engine of every level this CPU runs, generic first
// and the best last. The slice is shared: do not modify it.
func Engines() []*Engine { return engines() }

// Best is the engine of the best level this CPU runs that disabled does
// not refuse (nil refuses none); the generic level is never refused.
func Best(disabled func(kern.Level) bool) *Engine {
	es := Engines()
	for i := len(es) - 1; i > 0; i-- {
		if disabled == nil || !disabled(es[i].level) {
			return es[i]
		}
	}
	return es[0]
}

// For is the engine of level l, or an error wrapping
// compute.ErrUnavailable that names the levels this CPU runs.
func For(l kern.Level) (*Engine, error) {
	for _, e := range Engines() {
		if e.level == l {
			return e, nil
		}
	}
	return nil, fmt.Errorf("%w: CPU level %s is not available here: choose one of %v", compute.ErrUnavailable, l, kern.Available())
}
