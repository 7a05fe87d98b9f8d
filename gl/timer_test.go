//go:build cgo

package gl

import (
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/ref"
)

// The gl backend times kernels on the device and probes the cost of a
// dispatch.
var (
	_ compute.Timer         = (*backend)(nil)
	_ compute.LatencyProber = (*backend)(nil)
)

// TestRunTimed: a GPU time is reported only where it is plausible: more
// than 0, no longer than the wall time around the call, and not a
// vanishing part of a long one (llvmpipe's GL_TIME_ELAPSED reads 1 ns:
// the backend must fall back to the host clock there). The timed run
// computes the same result as Run, also when the time budget slices it
// inside the query.
func TestRunTimed(t *testing.T) {
	b := openOrSkip(t)
	for _, budget := range []time.Duration{defaultBudget, time.Nanosecond} {
		b.budget = budget
		for _, c := range []struct {
			kernel compute.Kernel
			shape  compute.Shape
		}{{compute.Triad, compute.Vec(1<<20 + 3)}, {compute.Gemm, compute.MNK(130, 129, 70)}} {
			tc := problem(c.kernel, c.shape, compute.Float32)
			in := ref.Inputs(tc, 1)
			want, mag, err := ref.Compute(tc, in)
			if err != nil {
				t.Fatal(err)
			}
			l, err := launchOf(b, tc, in)
			defer releaseAll(l)
			if err != nil {
				t.Fatal(err)
			}
			for rep := range 3 {
				start := time.Now()
				gpu, ok, err := b.RunTimed(l)
				wall := time.Since(start)
				if err != nil {
					t.Fatalf("%v: RunTimed: %v", tc, err)
				}
				if ok && (gpu <= 0 || gpu > wall || wall >= lieWall && gpu*lieRatio < wall) {
					t.Errorf("%v rep %d: GPU time %v reported plausible, wall time %v", tc, rep, gpu, wall)
				}
				t.Logf("%v budget %v: GPU %v (plausible %v), wall %v", tc, budget, gpu, ok, wall)
			}
			got := compute.NewHost(tc.DType, len(want))
			if err := b.Download(got, l.Out); err != nil {
				t.Fatal(err)
			}
			if chk := ref.Verify(tc, b.dev.SumLeaf, got.Float64s(), want, mag); !chk.OK {
				t.Errorf("%v after RunTimed: %d wrong; %s", tc, chk.Bad, chk.Reason)
			}
		}
	}
}

// TestTimerLiesOnce: once GL_TIME_ELAPSED gave an impossible time, no
// later one is believed, however plausible it looks.
func TestTimerLiesOnce(t *testing.T) {
	b := openOrSkip(t)
	b.timerLies = true
	tc := problem(compute.Copy, compute.Vec(1), compute.Float32)
	l, err := launchOf(b, tc, [][]float64{{1}})
	defer releaseAll(l)
	if err != nil {
		t.Fatal(err)
	}
	if gpu, ok, err := b.RunTimed(l); err != nil || ok {
		t.Errorf("RunTimed after a lie: %v, plausible %v, %v; want not plausible", gpu, ok, err)
	}
}

// TestDispatchLatency: the median time to dispatch and finish the empty
// kernel is more than 0 and less than a second, and the backend runs
// kernels correctly after it.
func TestDispatchLatency(t *testing.T) {
	b := openOrSkip(t)
	d, err := b.DispatchLatency(20)
	if err != nil {
		t.Fatal(err)
	}
	if d <= 0 || d >= time.Second {
		t.Errorf("dispatch latency %v, want in (0, 1 s)", d)
	}
	t.Logf("dispatch latency on %s: %v", b.dev.Name, d)
	if d0, err := b.DispatchLatency(0); err != nil || d0 <= 0 {
		t.Errorf("DispatchLatency(0) = %v, %v; want one rep's time", d0, err)
	}
	if err := computetest.Check(b, problem(compute.Copy, compute.Vec(1000), compute.Float32), 1); err != nil {
		t.Errorf("copy after DispatchLatency: %v", err)
	}
}
