package cpu

import (
	"testing"

	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/hwinfo"
)

// TestLevelShare: a level's peak is the part of the machine's it can
// reach, so that PEAK shares compare like with like.
func TestLevelShare(t *testing.T) {
	avx512 := hwinfo.Peak{FMALanes32: 16, FMA: true}
	avx2 := hwinfo.Peak{FMALanes32: 8, FMA: true}
	for _, c := range []struct {
		l        kern.Level
		pk       hwinfo.Peak
		f32, f64 float64
	}{
		{kern.AVX512, avx512, 1, 1},
		{kern.AVX2, avx512, 0.5, 0.5},
		{kern.AVX2, avx2, 1, 1},
		{kern.Generic, avx512, 1.0 / 16, 1.0 / 8},
		{kern.Generic, avx2, 1.0 / 8, 1.0 / 4},
		{kern.Generic, hwinfo.Peak{FMALanes32: 1, FMA: true}, 1, 1},
		{kern.Generic, hwinfo.Peak{FMALanes32: 4}, 1.0 / 4, 1.0 / 2},
		{kern.Generic, hwinfo.Peak{}, 1, 1},
	} {
		f32, f64, _ := levelShare(c.l, c.pk)
		if f32 != c.f32 || f64 != c.f64 {
			t.Errorf("%s on %+v: share %v, %v; want %v, %v", c.l, c.pk, f32, f64, c.f32, c.f64)
		}
	}
}
