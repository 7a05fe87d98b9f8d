package simd

import (
	"errors"
	"slices"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/hwinfo"
)

// TestEngines: one engine per level this CPU runs, generic first, each
// carrying kern's and gemm's code of its own level, made once.
func TestEngines(t *testing.T) {
	es, have := Engines(), kern.Available()
	if len(es) != len(have) || es[0].Level() != string(kern.Generic) {
		t.Fatalf("Engines() = %v, want one per level of %v, generic first", es, have)
	}
	for i, e := range es {
		if e.Level() != string(have[i]) || e.Kern().Level() != have[i] || e.Gemm().Name() != string(have[i]) {
			t.Errorf("engine %d: level %s, kern %s, gemm %s; want all %s", i, e.Level(), e.Kern().Level(), e.Gemm().Name(), have[i])
		}
		if got, err := For(have[i]); err != nil || got != e {
			t.Errorf("For(%s) = %v, %v; want engine %d", have[i], got, err, i)
		}
		if Engines()[i] != e {
			t.Errorf("Engines()[%d] changed between calls", i)
		}
	}
}

// TestUnknownLevel: a level this CPU or build does not run is an error,
// never the generic engine in its place; so is one that kern knows and
// gemm has no micro-kernels for (neon).
func TestUnknownLevel(t *testing.T) {
	have := kern.Available()
	for _, l := range append(kern.Known(), "no-such-level") {
		if slices.Contains(have, l) {
			continue
		}
		if e, err := For(l); err == nil || !errors.Is(err, compute.ErrUnavailable) {
			t.Errorf("For(%s) = %v, %v; want ErrUnavailable", l, e, err)
		}
		if e, err := newEngine(l, cachesOf(hwinfo.DescribeCPU())); err == nil {
			t.Errorf("newEngine(%s) = %v on a CPU that runs %v", l, e, have)
		}
	}
	defer func() {
		if recover() == nil {
			t.Errorf("detect made an engine for neon")
		}
	}()
	detect([]kern.Level{kern.NEON}, cachesOf(hwinfo.CPU{}))
}

// TestBest: the best level not disabled, generic when all are.
func TestBest(t *testing.T) {
	es := Engines()
	if Best(nil) != es[len(es)-1] {
		t.Errorf("Best(nil) = %s, want %s", Best(nil).Level(), es[len(es)-1].Level())
	}
	if got := Best(func(kern.Level) bool { return true }); got != es[0] {
		t.Errorf("Best(all disabled) = %s, want generic", got.Level())
	}
	for i := 1; i < len(es); i++ {
		got := Best(func(l kern.Level) bool { return slices.Index(kern.Available(), l) >= i })
		if got != es[i-1] {
			t.Errorf("Best(without %s and up) = %s, want %s", es[i].Level(), got.Level(), es[i-1].Level())
		}
	}
}

// TestCaches: gemm blocks for the probe's caches where it found them,
// and CachesOf's defaults where it did not.
func TestCaches(t *testing.T) {
	c := hwinfo.DescribeCPU()
	cs := cachesOf(c)
	if c.L1D > 0 && cs.L1D != c.L1D || c.L2 > 0 && cs.L2 != c.L2 || c.L3 > 0 && cs.L3 != c.L3 {
		t.Errorf("cachesOf = %+v, the probe says L1d %d, L2 %d, L3 %d", cs, c.L1D, c.L2, c.L3)
	}
	if cs.L1D <= 0 || cs.L2 <= 0 || cs.L3 <= 0 {
		t.Errorf("cachesOf = %+v: a cache without a size", cs)
	}
}
