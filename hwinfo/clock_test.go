package hwinfo

import (
	"testing"
	"time"
)

func TestAddChain(t *testing.T) {
	for _, n := range []int64{0, 1, 7} {
		if got := addChain(n); got != n*addsPerIter {
			t.Errorf("addChain(%d) = %d, want %d", n, got, n*addsPerIter)
		}
	}
}

// Every CPU a benchmark meets clocks between 0.5 and 7 GHz.
func TestMeasureClock(t *testing.T) {
	start := time.Now()
	hz := MeasureClock(20 * time.Millisecond)
	took := time.Since(start)
	if hz < 0.5e9 || hz > 7e9 {
		t.Errorf("MeasureClock = %.3g Hz, want 0.5–7 GHz", hz)
	}
	t.Logf("clock %.3f GHz (%s), measured in %v", hz/1e9, clockMethod, took)
}

func BenchmarkMeasureClock(b *testing.B) {
	for b.Loop() {
		MeasureClock(defaultClockTime)
	}
}
