package kern

import (
	"slices"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// The CPU features of each level are named here and nowhere else: what
// its kernels need (simdLevels checks them) and what a probe leaves out
// when it is disabled (Features).

// needs lists the features level l's kernels use, all of which the CPU
// and OS must support for l to be available.
func needs(l Level) []cpuid.FeatureID {
	switch l {
	case AVX2:
		return []cpuid.FeatureID{cpuid.AVX2, cpuid.FMA3}
	case AVX512:
		return []cpuid.FeatureID{cpuid.AVX512F}
	case NEON:
		return []cpuid.FeatureID{cpuid.ASIMD}
	}
	return nil
}

// Features lists the cpuid features that make up level l: every
// AVX-512 subset for avx512, AVX2 for avx2 (FMA3 stays: it is its own
// feature, and the generic code does not use it), ASIMD for neon, none
// for generic. A probe that leaves them out describes the CPU the
// kernels see with l disabled.
func Features(l Level) []cpuid.FeatureID {
	if l != AVX512 {
		return slices.DeleteFunc(needs(l), func(id cpuid.FeatureID) bool { return id == cpuid.FMA3 })
	}
	var ids []cpuid.FeatureID
	// FeatureID's String names every feature cpuid knows and
	// "FeatureID(n)" past the last.
	for id := cpuid.FeatureID(0); !strings.HasPrefix(id.String(), "FeatureID("); id++ {
		if strings.HasPrefix(id.String(), "AVX512") {
			ids = append(ids, id)
		}
	}
	return ids
}
