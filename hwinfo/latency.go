package hwinfo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"
)

// Latency is the time one load takes when each load's address comes
// from the one before (a pointer chase, as lmbench's lat_mem_rd), over
// buffers from L1-sized to larger than the last-level cache: the cost
// of a cache miss at each level, which bandwidth figures do not show.
type Latency struct {
	Points []LatencyPoint `json:"points"`
	// CacheBytes is the largest buffer whose loads stay nearer the
	// latency past the L2 than memory's (below the geometric mean of
	// the two): the last-level cache one thread could use while it was
	// measured. 0 where the sweep shows no step to memory.
	CacheBytes int `json:"cache_bytes,omitempty"`
	// PastL2 is the first point at twice the L2 or more, whose loads
	// mostly miss the L2: the latency of the next level, or memory's
	// where no cache past the L2 holds them.
	PastL2 LatencyPoint `json:"past_l2"`
	// MemoryNs is the latency of the largest buffers: memory's.
	MemoryNs float64 `json:"memory_ns"`
	Method   string  `json:"method"`
}

// LatencyPoint is the median time per load over one buffer size.
type LatencyPoint struct {
	Bytes int     `json:"bytes"`
	Ns    float64 `json:"ns"`
}

// chaseBlock is the span within which loads go in random order before
// the chase moves to another span, itself chosen at random. 64 KiB is
// 16 pages of 4 KiB: the chase misses the TLB once per 1024 loads, so
// what it times is the caches and memory, not page walks (which in a
// VM cost as much as a memory access and would hide the caches' step),
// and no hardware prefetcher sees an order to follow.
const chaseBlock = 64 << 10

const lineBytes = 64

// chaseLoads is how many dependent loads one timing makes: long enough
// for the clock at memory's latency, short enough for a sweep of a dozen
// sizes in a few seconds.
// Measurements: docs/methodology.md#why-these-constants.
const chaseLoads = 200_000

const latencyMethod = "pointer chase, one thread: 64 KiB spans in random order, 64 B lines in random order within each; median of 3 timings of 200000 loads"

// LatencySizes are the buffer sizes a latency sweep times: powers of
// two from 16 KiB to four times the largest cache (or 256 MiB where
// the caches are unknown), at most maxBytes and 1 GiB.
func LatencySizes(c *CPU, maxBytes int) []int {
	top := 4 * min(max(c.L3, c.L2, c.L1D), 256<<20) // 1 GiB at most, in a 32-bit int too
	if top <= 0 {
		top = 256 << 20
	}
	top = min(top, maxBytes)
	var out []int
	for s := 16 << 10; s <= top; s *= 2 {
		out = append(out, s)
	}
	return out
}

// MeasureLatency times a pointer chase over each buffer size in sizes
// (ascending, whole lines, and whole 64 KiB spans past one), stopping
// early where ctx is done, and returns the points with the size of the
// cache past the L2 (of l2 bytes, 0 unknown) that they show. The
// largest size is allocated once: it must fit in memory.
func MeasureLatency(ctx context.Context, sizes []int, l2 int) (*Latency, error) {
	if len(sizes) == 0 {
		return nil, fmt.Errorf("latency: no buffer sizes")
	}
	for i, s := range sizes {
		if s < lineBytes || s%lineBytes != 0 || (s > chaseBlock && s%chaseBlock != 0) || (i > 0 && s <= sizes[i-1]) {
			return nil, fmt.Errorf("latency: buffer sizes %v: each must be ascending, a multiple of %d B, and a multiple of %d KiB past it", sizes, lineBytes, chaseBlock>>10)
		}
	}
	buf := make([]uint64, sizes[len(sizes)-1]/8)
	r := rand.New(rand.NewPCG(1, 2))
	l := &Latency{Method: latencyMethod}
	for _, s := range sizes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := buf[:s/8]
		linkChase(b, r)
		chase(b, chaseLoads/10) // into the caches it fits in
		var ns [3]float64
		for k := range ns {
			ns[k] = chase(b, chaseLoads)
		}
		slices.Sort(ns[:])
		l.Points = append(l.Points, LatencyPoint{Bytes: s, Ns: ns[1]})
	}
	l.setKnee(l2)
	return l, nil
}

// linkChase makes b (a whole number of 64 B lines) one cycle through
// the first word of every line: spans of chaseBlock in random order,
// the lines of each span in one random order shared by all spans.
func linkChase(b []uint64, r *rand.Rand) {
	const words = lineBytes / 8
	lines := len(b) / words
	per := min(lines, chaseBlock/lineBytes)
	inner := r.Perm(per)
	spans := r.Perm(lines / per)
	prev := -1
	first := 0
	for _, sp := range spans {
		for _, k := range inner {
			line := sp*per + k
			if prev < 0 {
				first = line
			} else {
				b[prev*words] = uint64(line * words)
			}
			prev = line
		}
	}
	b[prev*words] = uint64(first * words)
}

// chase follows the cycle in b from its start for n loads and returns
// the time per load in ns.
func chase(b []uint64, n int) float64 {
	i := uint64(0)
	t := time.Now()
	for range n {
		i = b[i]
	}
	d := time.Since(t)
	runtime.KeepAlive(i) // the loads are used
	return float64(d.Nanoseconds()) / float64(n)
}

// setKnee sets l's CacheBytes, PastL2 and MemoryNs from its points
// (ascending in size) and the L2's size (0 unknown: 1 MiB is taken).
// The latency past the L2 is that of the first buffer twice the L2 or
// more: most of its loads miss the L2 and hit the next level, if any.
// Memory's is the largest buffer's. The cache's size is the largest
// buffer whose latency lies below the geometric mean of the two; none
// (0) where memory is not at least twice as slow as past the L2: the
// sweep then did not reach memory, or no cache past the L2 holds this
// thread's data.
func (l *Latency) setKnee(l2 int) {
	l.CacheBytes, l.PastL2, l.MemoryNs = 0, LatencyPoint{}, 0
	if len(l.Points) == 0 {
		return
	}
	if l2 <= 0 {
		l2 = 1 << 20
	}
	l.MemoryNs = l.Points[len(l.Points)-1].Ns
	for _, p := range l.Points {
		if p.Bytes >= 2*l2 {
			l.PastL2 = p
			break
		}
	}
	if l.PastL2.Bytes == 0 || l.MemoryNs < 2*l.PastL2.Ns {
		return
	}
	limit := math.Sqrt(l.PastL2.Ns * l.MemoryNs)
	for _, p := range l.Points {
		if p.Ns > limit {
			break
		}
		l.CacheBytes = p.Bytes
	}
}
