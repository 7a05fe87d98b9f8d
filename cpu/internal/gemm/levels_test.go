package gemm

import (
	"testing"

	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/hwinfo"
)

// testCaches are this CPU's caches as the cpu backend finds them, so
// that tests and benchmarks run the blocks a backend runs.
func testCaches() Caches {
	c := hwinfo.DescribeCPU()
	return CachesOf(c.L1D, c.L2, c.L3)
}

// levelOf is gemm at level l, which this CPU must run.
func levelOf(t testing.TB, l kern.Level) *Level {
	t.Helper()
	lv, err := NewLevel(l, testCaches())
	if err != nil {
		t.Fatal(err)
	}
	return lv
}

// best is gemm at the best level this CPU runs.
func best(t testing.TB) *Level {
	ls := kern.Available()
	return levelOf(t, ls[len(ls)-1])
}
