package cpu

import (
	"fmt"
	"slices"
	"strings"

	"github.com/klauspost/cpuid/v2"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/simd"
)

// Engine is the CPU kernels at one SIMD level: kern's tables and gemm's
// micro-kernels for that level, made together where the levels are
// detected (cpu/internal/simd); cpu/blas runs on the same engines. Its
// Level method names the level ("avx512", "avx2", "generic"). The engine
// of each level this CPU runs is made once and never written
// afterwards; a Backend runs on the one it opened with.
// compute.Options.Disable chooses which engine the backend "cpu" opens
// with, and changes nothing else: not the engines, not the cpuid
// package's description of the CPU.
type Engine = simd.Engine

// Level is a SIMD level: Generic (pure Go), AVX2, AVX512, NEON.
// ParseLevel reads one.
type Level = kern.Level

// The levels a build may know; Levels lists those this CPU runs.
const (
	Generic = kern.Generic
	AVX2    = kern.AVX2
	AVX512  = kern.AVX512
	NEON    = kern.NEON
)

// ParseLevel reads a level's name, case-insensitive: one of Generic,
// AVX2, AVX512, NEON, whether or not this CPU runs it; anything else is
// an error wrapping compute.ErrUsage.
func ParseLevel(name string) (Level, error) { return kern.ParseLevel(name) }

// BestEngine is the engine of the best level this CPU runs that o does
// not disable; the generic level is never disabled.
func BestEngine(o compute.Options) *Engine {
	return simd.Best(func(l Level) bool { return o.Disabled(string(l)) })
}

// EngineFor is the engine of level l, or a compute.ErrUnavailable error
// that names the levels this CPU runs.
func EngineFor(l Level) (*Engine, error) { return simd.For(l) }

// Levels lists the levels this CPU runs, generic first and the best
// last.
func Levels() []Level { return kern.Available() }

// levelBackends names the backends that run each level this CPU runs
// and o does not disable, best first: for example cpu/avx512, cpu/avx2,
// cpu/generic. The group "cpu/all" stands for them.
func levelBackends(o compute.Options) []string {
	var out []string
	for _, e := range slices.Backward(simd.Engines()) {
		if !o.Disabled(e.Level()) {
			out = append(out, "cpu/"+e.Level())
		}
	}
	return out
}

// ParseDisable reads the levels to hold off (compute.Options.Disable),
// each entry a comma-separated list ("avx512,avx2") of level names that
// ParseLevel reads, whether or not this CPU runs them (disabling AVX-512
// on a CPU without it does nothing), so that one command line works on
// every machine of a CI matrix. It returns them in lower case, or a
// *compute.FieldError for the field "Disable" wrapping compute.ErrUsage:
// a name that is not a level, or the generic level, which is the
// fallback and cannot be disabled.
func ParseDisable(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		for _, s := range strings.Split(n, ",") {
			if strings.TrimSpace(s) == "" {
				continue
			}
			l, err := ParseLevel(s)
			switch {
			case err != nil:
				return nil, &compute.FieldError{Field: "Disable", Value: strings.TrimSpace(s), Err: compute.ErrUsage,
					Msg: fmt.Sprintf("not a CPU level: use any of %v", disableable())}
			case l == Generic:
				return nil, &compute.FieldError{Field: "Disable", Value: l, Err: compute.ErrUsage,
					Msg: "the pure-Go level is the fallback and cannot be disabled"}
			}
			out = append(out, string(l))
		}
	}
	return out, nil
}

// disableable lists the levels ParseDisable accepts: every known one
// but generic.
func disableable() []Level {
	return slices.DeleteFunc(kern.Known(), func(l Level) bool { return l == Generic })
}

// DisabledFeatures lists the cpuid features that make up the named
// levels (case-insensitive; kern.Features says which): every AVX-512
// subset for avx512, AVX2 for avx2 (FMA3 stays: it is its own feature,
// and the generic code does not use it), ASIMD for neon. A probe that
// leaves them out describes the CPU the kernels see with those levels
// disabled, without changing the cpuid package's description.
func DisabledFeatures(levels []string) []cpuid.FeatureID {
	var ids []cpuid.FeatureID
	for _, name := range levels {
		l, err := ParseLevel(name)
		if err != nil {
			continue
		}
		for _, id := range kern.Features(l) {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
