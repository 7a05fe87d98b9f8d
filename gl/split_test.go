//go:build cgo

package gl

import (
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// groupLimitTest is the work-group limit TestGroupLimit sets on both axes.
const groupLimitTest = 3

// wantDispatches counts the dispatches of one launch with at most lim
// work groups along each axis, following launch's grids.
func wantDispatches(k compute.Kernel, s compute.Shape, t tuning, lim int) int {
	split := func(gx, gy int) int { return ceilDiv(gx, lim) * ceilDiv(gy, lim) }
	switch k {
	case compute.Dot, compute.Sum:
		g := ceilDiv(s.N, t.wg*sumLeaf)
		n := split(g, 1)
		for g > 1 {
			g = ceilDiv(g, t.wg)
			n += split(g, 1)
		}
		return n
	case compute.Gemv:
		return split(s.M, 1)
	case compute.Transpose:
		return split(ceilDiv(s.N, t.tile), ceilDiv(s.M, t.tile))
	case compute.Gemm:
		return split(ceilDiv(s.N, t.gemm.bn), ceilDiv(s.M, t.gemm.bm))
	case compute.FMA:
		return split(ceilDiv(s.N, t.wg*fmaChains), 1)
	}
	return split(ceilDiv(s.N, t.wg), 1)
}

// TestGroupLimit sets the work-group count limit to 3 on both axes, as a
// driver at the limit would, and runs kernels whose grids need many
// groups: each launch must run as the expected number of dispatches
// (each given its first group through group_base) and still verify.
func TestGroupLimit(t *testing.T) {
	b := openOrSkip(t)
	b.maxGroups = [2]int{groupLimitTest, groupLimitTest}
	b.budget = 0 // count the group limit's splits alone
	cases := []struct {
		kernel compute.Kernel
		shape  compute.Shape
	}{
		{compute.Copy, compute.Vec(65537)},
		{compute.Triad, compute.Vec(4099)},
		{compute.FMA, compute.Chain(16411, 5)},
		{compute.Dot, compute.Vec(1<<20 + 3)}, // three passes
		{compute.Sum, compute.Vec(65537)},
		{compute.Gemv, compute.Mat(1031, 17)},
		{compute.Gemm, compute.MNK(256, 300, 71)},
		{compute.Gemm, compute.MNK(200, 260, 13)},
		{compute.Transpose, compute.Mat(1031, 1024)},
	}
	for _, dt := range b.dev.DTypes {
		tn := tune(b.gpu, dt)
		for _, c := range cases {
			p := problem(c.kernel, c.shape, dt)
			before := b.dispatches
			if err := computetest.Check(b, p, 1); err != nil {
				t.Errorf("%v: %v", p, err)
				continue
			}
			got, want := b.dispatches-before, wantDispatches(c.kernel, c.shape, tn, groupLimitTest)
			if got != want || got < 2 {
				t.Errorf("%v: %d dispatches, want %d", p, got, want)
			}
		}
	}
}

// TestWatchdogBudget sets a time budget no dispatch can meet: every
// launch whose work is beyond one probe slice must run as timed slices
// of one group (after the probe), the result must still verify, and
// with the budget back at its default the rate learnt from the slices
// must let the same launch run as far fewer dispatches.
func TestWatchdogBudget(t *testing.T) {
	b := openOrSkip(t)
	cases := []struct {
		kernel compute.Kernel
		shape  compute.Shape
	}{
		{compute.Copy, compute.Vec(1<<20 + 3)},       // 4097 groups: one row, sliced along x
		{compute.Dot, compute.Vec(1<<22 + 5)},        // a first pass of 2049 groups
		{compute.Gemv, compute.Mat(300, 1024)},       // unit n: each group over probeWork
		{compute.Gemm, compute.MNK(256, 320, 300)},   // unit k, a 5×4 grid
		{compute.Transpose, compute.Mat(1031, 1024)}, // 32×33 groups, sliced by rows
	}
	for _, c := range cases {
		p := problem(c.kernel, c.shape, compute.Float32)
		b.budget = time.Nanosecond
		d0, s0 := b.dispatches, b.slices
		if err := computetest.Check(b, p, 1); err != nil {
			t.Errorf("%v with a 1 ns budget: %v", p, err)
			continue
		}
		tiny, slices := b.dispatches-d0, b.slices-s0
		if tiny < 10 || slices*2 < tiny {
			t.Errorf("%v with a 1 ns budget: %d dispatches, %d of them timed slices; want it sliced", p, tiny, slices)
		}
		b.budget = defaultBudget
		d0 = b.dispatches
		if err := computetest.Check(b, p, 2); err != nil {
			t.Errorf("%v with the default budget: %v", p, err)
			continue
		}
		if again := b.dispatches - d0; again*4 > tiny {
			t.Errorf("%v: %d dispatches with the default budget after %d with a 1 ns one; the learnt rate did not widen the slices", p, again, tiny)
		}
		t.Logf("%v: %d dispatches at 1 ns, %d at %v", p, tiny, b.dispatches-d0, defaultBudget)
	}
	// A grid within probeWork runs whole while its program's rate is
	// unknown, whatever the budget: it is too small to meet a watchdog.
	b.budget = time.Nanosecond
	d0 := b.dispatches
	if err := computetest.Check(b, problem(compute.Scale, compute.Vec(1000), compute.Float32), 1); err != nil {
		t.Error(err)
	}
	if n := b.dispatches - d0; n != 1 {
		t.Errorf("scale of 1000 ran as %d dispatches, want 1", n)
	}
}
