package cpu

import (
	"fmt"
	"strings"
	"sync"

	"github.com/klauspost/cpuid/v2"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// disabled holds the levels Disable turned off, so that the cpu/<level>
// backends of those levels report themselves unavailable.
var (
	disabledMu sync.Mutex
	disabled   = map[kern.Level]bool{}
)

// knownLevels are the level names Disable accepts, whether or not this
// CPU runs them (disabling AVX-512 on a CPU without it does nothing), so
// that one command line works on every machine of a CI matrix.
var knownLevels = []kern.Level{kern.AVX512, kern.AVX2, kern.NEON}

// ParseDisable reads a --cpu-disable list ("avx512,avx2"): level names,
// case-insensitive. The generic level cannot be disabled.
func ParseDisable(names []string) ([]kern.Level, error) {
	var out []kern.Level
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
			case !isKnown(l):
				return nil, fmt.Errorf("%w: --cpu-disable %q: not a CPU level; use any of %v", compute.ErrUsage, s, knownLevels)
			}
			out = append(out, l)
		}
	}
	return out, nil
}

func isKnown(l kern.Level) bool {
	for _, k := range knownLevels {
		if k == l {
			return true
		}
	}
	return false
}

// Disable holds the levels ls off for the rest of the process: the
// kernels (kern and gemm) switch to the best level left (kern.Best), the
// backend "cpu" opens at it, the cpu/<level> backends of ls become
// unavailable, and cpuid's description of the CPU loses those levels'
// features, so that hwinfo.Probe (and `gpubench info`) reports the CPU
// the kernels see. It must run before hwinfo.Probe's first call and
// before any kernel runs; the CLI calls it as it parses its flags.
func Disable(ls ...kern.Level) {
	disabledMu.Lock()
	for _, l := range ls {
		disabled[l] = true
	}
	all := make([]kern.Level, 0, len(disabled))
	for l := range disabled {
		all = append(all, l)
	}
	disabledMu.Unlock()
	kern.SetLevel(kern.Best(all...))
	for _, l := range ls {
		cpuid.CPU.Disable(features(l)...)
	}
}

// features lists the cpuid features that make up level l: every
// AVX-512 subset for avx512, AVX2 for avx2 (FMA3 stays: it is its own
// feature, and the generic code does not use it), ASIMD for neon.
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

// isDisabled reports whether Disable turned l off.
func isDisabled(l kern.Level) bool {
	disabledMu.Lock()
	defer disabledMu.Unlock()
	return disabled[l]
}

// LevelBackends names the backends that run each level this CPU runs
// and Disable left on, best first: for example cpu/avx512, cpu/avx2,
// cpu/generic. `gpubench run --backend cpu/all` runs these side by side.
func LevelBackends() []string {
	ls := kern.Levels()
	var out []string
	for i := len(ls) - 1; i >= 0; i-- {
		if !isDisabled(ls[i]) {
			out = append(out, "cpu/"+string(ls[i]))
		}
	}
	return out
}

// Levels names the levels this CPU runs, generic first and the best
// last.
func Levels() []string {
	var out []string
	for _, l := range kern.Levels() {
		out = append(out, string(l))
	}
	return out
}
