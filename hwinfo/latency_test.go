package hwinfo

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLinkChase: the chase is one cycle through every line of the
// buffer, and it visits all lines of a 64 KiB span before it leaves it
// (so that it misses the TLB once per span, not once per load).
func TestLinkChase(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{64, 128, 4096, 48 << 10, 64 << 10, 128 << 10, 640 << 10, 4 << 20} {
		b := make([]uint64, size/8)
		linkChase(b, r)
		lines := size / lineBytes
		seen := make([]bool, lines)
		i := uint64(0)
		// The chase starts at line 0, inside some span's order: the
		// first and last runs are that span's, split in two.
		per := min(lines, chaseBlock/lineBytes)
		var runs, spans []int
		for range lines {
			if i%8 != 0 || i >= uint64(len(b)) {
				t.Fatalf("%d B: index %d is not the start of a line", size, i)
			}
			line := int(i / 8)
			if seen[line] {
				t.Fatalf("%d B: line %d visited twice", size, line)
			}
			seen[line] = true
			if s := line * lineBytes / chaseBlock; len(spans) == 0 || s != spans[len(spans)-1] {
				spans = append(spans, s)
				runs = append(runs, 0)
			}
			runs[len(runs)-1]++
			i = b[i]
		}
		if n := len(runs); n > 1 && spans[0] == spans[n-1] {
			runs[0] += runs[n-1]
			runs = runs[:n-1]
		}
		for k, n := range runs {
			if n != per {
				t.Fatalf("%d B: run %d stays %d lines in its span, not %d", size, k, n, per)
			}
		}
		if i != 0 {
			t.Errorf("%d B: after every line the chase is at %d, not back at its start", size, i)
		}
		if slices.Contains(seen, false) {
			t.Errorf("%d B: a line was never visited", size)
		}
	}
}

// TestSetKnee finds the cache past the L2 in latency curves of the
// kinds seen: a VM whose thread gets a few MiB of the host's L3, a
// server with a large L3, a sweep that never reaches memory, a machine
// whose loads past the L2 already go to memory, and an unknown L2.
func TestSetKnee(t *testing.T) {
	curve := func(ns ...float64) []LatencyPoint {
		var p []LatencyPoint
		for i, v := range ns {
			p = append(p, LatencyPoint{Bytes: 256 << 10 << i, Ns: v})
		}
		return p // 256 KiB, 512 KiB, 1 MiB, 2 MiB, ...
	}
	for _, tc := range []struct {
		name      string
		points    []LatencyPoint
		l2        int
		cache     int
		pastL2, m float64
	}{
		// 256K 512K 1M 2M 4M 8M 16M 32M 64M 128M
		{"vm share", curve(4.4, 4.5, 9, 18, 23, 60, 101, 120, 122, 123), 1 << 20, 4 << 20, 18, 123},
		{"server l3", curve(4, 4, 5, 30, 32, 33, 35, 40, 90, 110, 115), 2 << 20, 32 << 20, 32, 115},
		{"no memory", curve(4, 4, 5, 30, 32, 33, 35), 2 << 20, 0, 32, 35},
		{"no cache past l2", curve(4.4, 4.5, 15, 137, 140, 140, 143), 1 << 20, 0, 137, 143},
		{"l2 unknown", curve(4, 4, 5, 20, 21, 22, 90, 100), 0, 8 << 20, 20, 100},
		{"empty", nil, 1 << 20, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &Latency{Points: tc.points}
			l.setKnee(tc.l2)
			if l.CacheBytes != tc.cache || l.PastL2.Ns != tc.pastL2 || l.MemoryNs != tc.m {
				t.Errorf("cache %d B, past L2 %v ns, memory %v ns; want %d, %v, %v", l.CacheBytes, l.PastL2.Ns, l.MemoryNs, tc.cache, tc.pastL2, tc.m)
			}
		})
	}
}

// TestMeasureLatency measures a short sweep for real: one point per
// size asked for, each a positive time; bad sizes and a cancelled
// context are errors, not a panic or a wrong sweep.
func TestMeasureLatency(t *testing.T) {
	sizes := []int{16 << 10, 64 << 10, 256 << 10}
	l, err := MeasureLatency(context.Background(), sizes, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Points) != len(sizes) || l.Method == "" {
		t.Fatalf("latency %+v", l)
	}
	for i, p := range l.Points {
		if p.Bytes != sizes[i] || !(p.Ns > 0) {
			t.Errorf("point %d: %+v", i, p)
		}
	}
	for _, bad := range [][]int{nil, {0}, {32}, {100}, {64 << 10, 32 << 10}, {96 << 10}, {64 << 10, 64 << 10}} {
		if _, err := MeasureLatency(context.Background(), bad, 0); err == nil {
			t.Errorf("sizes %v: no error", bad)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := MeasureLatency(ctx, sizes, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestLatencySizes: powers of two from 16 KiB to four times the largest
// cache, held to the memory given and to 1 GiB; 256 MiB where no cache
// is known.
func TestLatencySizes(t *testing.T) {
	for _, tc := range []struct {
		c        CPU
		max      int
		last     int
		count    int
		describe string
	}{
		{CPU{L1D: 48 << 10, L2: 1 << 20, L3: 32 << 20}, math.MaxInt, 128 << 20, 14, "L3 32 MiB"},
		{CPU{L1D: 48 << 10, L2: 1 << 20, L3: 508 << 20}, math.MaxInt, 1 << 30, 17, "L3 past 256 MiB: 1 GiB"},
		{CPU{L1D: 48 << 10, L2: 1 << 20, L3: 32 << 20}, 20 << 20, 16 << 20, 11, "memory for 20 MiB"},
		{CPU{}, math.MaxInt, 256 << 20, 15, "no cache known"},
	} {
		s := LatencySizes(&tc.c, tc.max)
		if len(s) != tc.count || s[0] != 16<<10 || s[len(s)-1] != tc.last {
			t.Errorf("%s: %v", tc.describe, s)
		}
	}
}
