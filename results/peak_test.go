package results

import (
	"math"
	"strings"
	"testing"
)

// TestSetPeak: a case below the ridge point is a share of the memory
// bandwidth, one above it a share of the FLOP peak; without the bound a
// case needs it has no share, never the other one's; without a
// bandwidth the ridge is taken as minRidge.
func TestSetPeak(t *testing.T) {
	saxpy := Result{Flops: 2e6, Bytes: 12e6, GFLOPS: 20, GBps: 120}    // 1/6 FLOP/B
	gemm := Result{Flops: 2.7e8, Bytes: 4.2e6, GFLOPS: 300, GBps: 4.7} // 64 FLOP/B
	mid := Result{Flops: 3e6, Bytes: 1e6, GFLOPS: 30, GBps: 10}        // 3 FLOP/B
	for _, c := range []struct {
		name     string
		r        Result
		peak, bw float64
		pct      float64
		of       string
		byMemory bool
	}{
		{"saxpy with a bandwidth", saxpy, 400, 60, 200, PeakOfBandwidth, true},
		{"saxpy without one", saxpy, 400, 0, 0, "", true},
		{"gemm", gemm, 400, 60, 75, PeakOfFlops, false},
		{"gemm without a bandwidth", gemm, 400, 0, 75, PeakOfFlops, false},
		{"gemm without a peak", gemm, 0, 60, 0, "", false},
		{"3 FLOP/B below a ridge of 6.7", mid, 400, 60, 100.0 / 6, PeakOfBandwidth, true},
		{"3 FLOP/B above a ridge of 1", mid, 400, 0, 7.5, PeakOfFlops, false},
		{"copy: no FLOPs", Result{Bytes: 8e6, GBps: 30}, 400, 60, 50, PeakOfBandwidth, true},
	} {
		r := c.r
		r.SetPeak(c.peak, c.bw)
		if r.PeakOf != c.of || math.Abs(r.PeakPct-c.pct) > 1e-9 || r.BoundByMemory(c.peak, c.bw) != c.byMemory {
			t.Errorf("%s: %.3g%% of %q (by memory %v), want %.3g%% of %q (%v)", c.name, r.PeakPct, r.PeakOf,
				r.BoundByMemory(c.peak, c.bw), c.pct, c.of, c.byMemory)
		}
	}
}

// TestLinkOf: the peak of the verified sizes, and the smallest size that
// reaches half of it; a size that did not verify counts for neither.
func TestLinkOf(t *testing.T) {
	l := LinkOf([]TransferCase{
		{Bytes: 4 << 10, GBps: 1, Verified: true},
		{Bytes: 16 << 10, GBps: 4, Verified: true},
		{Bytes: 64 << 10, GBps: 99, Verified: false},
		{Bytes: 256 << 10, GBps: 7, Verified: true},
		{Bytes: 1 << 20, GBps: 6, Verified: true},
	})
	if l.PeakGBps != 7 || l.PeakBytes != 256<<10 || l.HalfPeakBytes != 16<<10 {
		t.Errorf("link %+v: want peak 7 at 256 KiB, half from 16 KiB", l)
	}
	if l := LinkOf(nil); l != (Link{}) {
		t.Errorf("link of nothing: %+v", l)
	}
}

// TestBuildString: version, a short revision marked dirty, Go, and
// whether cgo was in.
func TestBuildString(t *testing.T) {
	b := Build{Version: "v0.3.0", Commit: "0123456789abcdef0123", Modified: true, GoVersion: "go1.26.0", CGO: true}
	if got := b.String(); got != "v0.3.0 (0123456789ab-dirty, go1.26.0)" {
		t.Errorf("%q", got)
	}
	b = Build{GoVersion: "go1.26.0"}
	if got := b.String(); !strings.HasPrefix(got, "unknown version (go1.26.0") || !strings.Contains(got, "no cgo") {
		t.Errorf("%q", got)
	}
}
