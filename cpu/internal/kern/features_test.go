package kern

import (
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestFeatures: each SIMD level is made of its own features (FMA3 left
// to the generic code's machine), the generic level of none, and a
// level is available only where the CPU has what it needs.
func TestFeatures(t *testing.T) {
	if f := Features(AVX2); !slices.Equal(f, []cpuid.FeatureID{cpuid.AVX2}) {
		t.Errorf("Features(avx2) = %v, want [AVX2]", f)
	}
	if f := Features(NEON); !slices.Equal(f, []cpuid.FeatureID{cpuid.ASIMD}) {
		t.Errorf("Features(neon) = %v, want [ASIMD]", f)
	}
	if f := Features(Generic); len(f) != 0 {
		t.Errorf("Features(generic) = %v, want none", f)
	}
	f := Features(AVX512)
	if !slices.Contains(f, cpuid.AVX512F) || !slices.Contains(f, cpuid.AVX512VL) {
		t.Errorf("Features(avx512) = %v, want every AVX-512 subset", f)
	}
	for _, id := range f {
		if !strings.HasPrefix(id.String(), "AVX512") {
			t.Errorf("Features(avx512) has %s", id)
		}
	}
	for _, l := range Available()[1:] {
		if !cpuid.CPU.Supports(needs(l)...) {
			t.Errorf("%s is available on a CPU without %v", l, needs(l))
		}
	}
}
