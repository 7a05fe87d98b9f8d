package cpu

import (
	"fmt"
	"slices"
	"strings"

	"github.com/klauspost/cpuid/v2"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/gemm"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// Engine is the CPU kernels at one SIMD level: kern's tables and gemm's
// micro-kernels for that level. The engine of each level this CPU runs
// is made once, at start-up, and never written afterwards; a Backend
// runs on the one it opened with. --cpu-disable (compute.Options.Disable)
// chooses which engine the backend "cpu" opens with, and changes nothing
// else: not the engines, not the cpuid package's description of the CPU.
type Engine struct {
	kern *kern.Set
	gemm *gemm.Level
}

// Level is the engine's level: "avx512", "avx2", "generic".
func (e *Engine) Level() string { return string(e.kern.Level()) }

// engines lists the engine of every level this CPU runs, generic first
// and the best last, as kern.Sets does. It is made at start-up and never
// written afterwards.
var engines = func() []*Engine {
	var out []*Engine
	for _, s := range kern.Sets() {
		out = append(out, &Engine{kern: s, gemm: gemm.LevelFor(s.Level())})
	}
	return out
}()

// BestEngine is the engine of the best level this CPU runs that o does
// not disable; the generic level is never disabled.
func BestEngine(o compute.Options) *Engine {
	for i := len(engines) - 1; i > 0; i-- {
		if !o.Disabled(engines[i].Level()) {
			return engines[i]
		}
	}
	return engines[0]
}

// EngineFor is the engine of the named level (case-insensitive), or a
// compute.ErrUnavailable error that names the levels this CPU runs.
func EngineFor(level string) (*Engine, error) {
	s, err := kern.Lookup(level)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", compute.ErrUnavailable, err)
	}
	for _, e := range engines {
		if e.kern == s {
			return e, nil
		}
	}
	panic("cpu: kern level " + string(s.Level()) + " has no engine")
}

// Levels names the levels this CPU runs, generic first and the best
// last.
func Levels() []string {
	var out []string
	for _, e := range engines {
		out = append(out, e.Level())
	}
	return out
}

// levelBackends names the backends that run each level this CPU runs
// and o does not disable, best first: for example cpu/avx512, cpu/avx2,
// cpu/generic. The group "cpu/all" stands for them.
func levelBackends(o compute.Options) []string {
	var out []string
	for _, e := range slices.Backward(engines) {
		if !o.Disabled(e.Level()) {
			out = append(out, "cpu/"+e.Level())
		}
	}
	return out
}

// knownLevels are the level names ParseDisable accepts, whether or not
// this CPU runs them (disabling AVX-512 on a CPU without it does
// nothing), so that one command line works on every machine of a CI
// matrix.
func knownLevels() []kern.Level { return []kern.Level{kern.AVX512, kern.AVX2, kern.NEON} }

// ParseDisable reads a --cpu-disable list ("avx512,avx2"): level names,
// case-insensitive, returned in lower case for compute.Options.Disable.
// The generic level cannot be disabled.
func ParseDisable(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		for _, s := range strings.Split(n, ",") {
			s = strings.ToLower(strings.TrimSpace(s))
			if s == "" {
				continue
			}
			l := kern.Level(s)
			switch {
			case l == kern.Generic:
				return nil, fmt.Errorf("%w: --cpu-disable generic: the pure-Go level is the fallback and cannot be disabled", compute.ErrUsage)
			case !slices.Contains(knownLevels(), l):
				return nil, fmt.Errorf("%w: --cpu-disable %q: not a CPU level; use any of %v", compute.ErrUsage, s, knownLevels())
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// DisabledFeatures lists the cpuid features that make up the named
// levels (case-insensitive): every AVX-512 subset for avx512, AVX2 for
// avx2 (FMA3 stays: it is its own feature, and the generic code does not
// use it), ASIMD for neon. A probe that leaves them out describes the
// CPU the kernels see under --cpu-disable, without changing the cpuid
// package's description.
func DisabledFeatures(levels []string) []cpuid.FeatureID {
	var ids []cpuid.FeatureID
	for _, l := range levels {
		for _, id := range features(kern.Level(strings.ToLower(strings.TrimSpace(l)))) {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// features lists the cpuid features that make up level l.
func features(l kern.Level) []cpuid.FeatureID {
	switch l {
	case kern.AVX512:
		var ids []cpuid.FeatureID
		// FeatureID's String names every feature cpuid knows and
		// "FeatureID(n)" past the last.
		for id := cpuid.FeatureID(0); !strings.HasPrefix(id.String(), "FeatureID("); id++ {
			if strings.HasPrefix(id.String(), "AVX512") {
				ids = append(ids, id)
			}
		}
		return ids
	case kern.AVX2:
		return []cpuid.FeatureID{cpuid.AVX2}
	case kern.NEON:
		return []cpuid.FeatureID{cpuid.ASIMD}
	}
	return nil
}
