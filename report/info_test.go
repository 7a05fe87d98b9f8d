package report

import (
	"strings"
	"testing"

	"github.com/gpubench/gpubench/hwinfo"
)

// TestLatencySummary says what a sweep shows: each level's latency, and
// how far loads stay near cache latency, or that no cache past the L2
// held the data.
func TestLatencySummary(t *testing.T) {
	c := &hwinfo.CPU{L1D: 48 << 10, L2: 1 << 20, L3: 508 << 20}
	pts := func(ns ...float64) []hwinfo.LatencyPoint {
		var p []hwinfo.LatencyPoint
		for i, v := range ns {
			p = append(p, hwinfo.LatencyPoint{Bytes: 16 << 10 << i, Ns: v})
		}
		return p // 16 KiB, 32 KiB, ... 512 KiB, 1 MiB, 2 MiB, ... 64 MiB
	}
	for _, tc := range []struct {
		name string
		l    hwinfo.Latency
		c    *hwinfo.CPU
		want []string
	}{
		{"vm share", hwinfo.Latency{Points: pts(1.4, 1.5, 4.6, 4.5, 4.4, 4.5, 9, 18, 23, 60, 101, 120, 122), CacheBytes: 4 << 20,
			PastL2: hwinfo.LatencyPoint{Bytes: 2 << 20, Ns: 18}, MemoryNs: 122}, c,
			[]string{"L1 1.4 ns (16.0 KiB)", "L2 4.5 ns (512.0 KiB)", "past L2 18 ns (2.0 MiB)", "memory 122 ns (64.0 MiB)",
				"; loads stay nearer cache latency than memory's up to 4.0 MiB"}},
		{"no cache past l2", hwinfo.Latency{Points: pts(1.4, 1.5, 4.6, 4.5, 4.4, 4.5, 15, 137, 140),
			PastL2: hwinfo.LatencyPoint{Bytes: 2 << 20, Ns: 137}, MemoryNs: 140}, c,
			[]string{"past L2 137 ns (2.0 MiB)", "; no step of 2× or more from past the L2 to memory in this sweep"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := LatencySummary(&tc.l, tc.c)
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("%q lacks %q", s, w)
				}
			}
			if tc.l.CacheBytes == 0 && strings.Contains(s, "stay nearer") {
				t.Errorf("%q: a cache edge where the sweep found none", s)
			}
		})
	}
}
