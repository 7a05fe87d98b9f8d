package cpu

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// Whether a STREAM kernel (copy, scale, add, triad) should store
// non-temporally depends on the machine: ordinary stores first read each
// line of out into the cache (traffic STREAM does not count) and leave it
// there, which pays while the arrays fit in the caches run after run;
// non-temporal stores skip both, which pays once they do not. Where that
// happens is a matter of cache sizes, how the cores share them, and what
// a VM reports of them (a VM's CPUID may give its host's L3), so it is
// measured, not derived: the first backend to open at a level
// and worker count times a copy with ordinary and with non-temporal
// stores over traffic from 256 KiB to 64 MiB (each best of five,
// alternating), and the STREAM kernels store non-temporally from the
// smallest traffic from which the non-temporal copy won at every size.
// saxpy, which updates y in place, gains nothing from it and never
// stores non-temporally.
//
// The measurement's two arrays (64 MiB at the most) are memory a run
// takes before its first case: they are mapped for it alone and
// unmapped after, and held to a quarter of what the process may still
// use (hwinfo.Memory: MemAvailable, a cgroup's limit, RLIMIT_AS), so
// that under a tight limit it measures up to less traffic, or, below
// ntLeastBytes, not at all, and says so in the device's notes.
// Measurements: docs/methodology.md#why-these-constants.

// Traffic bounds of the measurement, in bytes read plus written.
const (
	ntMinBytes = 256 << 10
	ntMaxBytes = 64 << 20
	// ntLeastBytes is the least traffic worth measuring up to: four
	// times an L2 of 1 MiB, past which the caches no longer hold a copy.
	ntLeastBytes = 4 << 20
)

// ntNever is the crossover where non-temporal stores never won, or the
// level has none.
const ntNever = math.MaxInt

// ntCrossovers keeps each level and worker count's measured crossover:
// one measurement per process, made by the first backend that opens so.
var ntCrossovers struct {
	sync.Mutex
	m map[ntKey]ntResult
}

type ntKey struct {
	level   string
	workers int
}

// ntResult is a measurement's outcome: the traffic from which stores
// are non-temporal (ntNever: not at all), the most traffic measured, and
// why it was not measured, where it was not.
type ntResult struct {
	from, upTo int
	skipped    string
}

// streamFrom is the traffic from which r's STREAM kernels store
// non-temporally, for backends of level at r's worker count: measured
// the first time it is asked (about 50 ms) within what mem leaves, then
// kept.
func streamFrom(r *runner[float32], level string, mem hwinfo.Memory) ntResult {
	if !r.kern.HasNT() {
		return ntResult{from: ntNever, upTo: ntMaxBytes}
	}
	k := ntKey{level, r.split.pool.Workers()}
	ntCrossovers.Lock()
	defer ntCrossovers.Unlock()
	if res, ok := ntCrossovers.m[k]; ok {
		return res
	}
	res := measureNT(r, mem)
	if ntCrossovers.m == nil {
		ntCrossovers.m = map[ntKey]ntResult{}
	}
	ntCrossovers.m[k] = res
	return res
}

// ntTraffic is the most traffic, a power of two from ntLeastBytes to
// ntMaxBytes, whose two arrays (as many bytes as the traffic) take at
// most a quarter of the memory mem leaves, resident and mapped; ok is
// false where even ntLeastBytes does not fit, and why says which limit
// holds it.
func ntTraffic(mem hwinfo.Memory) (bytes int, why string, ok bool) {
	bytes = ntMaxBytes
	for _, room := range []hwinfo.Room{mem.Resident, mem.Address} {
		if !room.Known() {
			continue
		}
		for bytes >= ntLeastBytes && uint64(bytes) > room.Bytes/4 {
			bytes /= 2
		}
		if bytes < ntLeastBytes {
			return 0, fmt.Sprintf("%s is free under %s", hwinfo.FormatBytes(float64(room.Bytes)), room), false
		}
	}
	return bytes, "", true
}

// measureNT times copies with ordinary and non-temporal stores on r's
// workers over traffic doubling from ntMinBytes to what ntTraffic
// allows, and returns the smallest traffic from which the non-temporal
// copy was faster at every size, or ntNever. Its arrays are mapped for
// it alone (probeArrays) and unmapped before it returns.
func measureNT(r *runner[float32], mem hwinfo.Memory) ntResult {
	most, why, ok := ntTraffic(mem)
	if !ok {
		return ntResult{from: ntNever, skipped: why}
	}
	n := most / 2 / r.size
	x, out, release, err := probeArrays(n)
	if err != nil {
		return ntResult{from: ntNever, skipped: err.Error()}
	}
	defer release()
	for i := range x {
		x[i] = float32(i)
	}
	r.copy(out, x) // faults out's pages in
	var sizes []int
	var wins []bool
	for bytes := ntMinBytes; bytes <= most; bytes *= 2 {
		m := bytes / 2 / r.size
		o := &operands[float32]{kernel: compute.Copy, in: [3][]float32{x[:m]}, out: out[:m]}
		inner := max(1, (8<<20)/bytes) // a sample moves 8 MiB at least
		sample := func(nt bool) time.Duration {
			t := time.Now()
			for range inner {
				r.stream(o, nt)
			}
			return time.Since(t)
		}
		sample(false)
		sample(true)
		reg, nt := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
		for range 5 {
			reg = min(reg, sample(false))
			nt = min(nt, sample(true))
		}
		sizes = append(sizes, bytes)
		wins = append(wins, nt < reg)
	}
	return ntResult{from: crossover(sizes, wins), upTo: most}
}

// crossover is the smallest of sizes from which every later one wins,
// or ntNever where the last does not.
func crossover(sizes []int, wins []bool) int {
	from := ntNever
	for i := len(wins) - 1; i >= 0 && wins[i]; i-- {
		from = sizes[i]
	}
	return from
}

// ntNote says from which traffic the STREAM kernels store
// non-temporally, for the device's notes.
func ntNote(res ntResult) string {
	switch {
	case res.skipped != "":
		return "copy, scale, add, triad: ordinary stores (the non-temporal crossover was not measured: " + res.skipped + ")"
	case res.from == ntNever:
		return fmt.Sprintf("copy, scale, add, triad: ordinary stores (non-temporal ones did not win up to %d MiB of traffic, or this level has none)",
			res.upTo>>20)
	}
	return fmt.Sprintf("copy, scale, add, triad: non-temporal stores from %d KiB of traffic (measured crossover up to %d MiB)", res.from>>10, res.upTo>>20)
}
