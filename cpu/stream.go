package cpu

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/gpubench/gpubench/compute"
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
// Measurements: docs/methodology.md#why-these-constants.

// Traffic bounds of the measurement, in bytes read plus written.
const (
	ntMinBytes = 256 << 10
	ntMaxBytes = 64 << 20
)

// ntNever is the crossover where non-temporal stores never won, or the
// level has none.
const ntNever = math.MaxInt

// ntCrossovers keeps each level and worker count's measured crossover:
// one measurement per process, made by the first backend that opens so.
var ntCrossovers struct {
	sync.Mutex
	m map[ntKey]int
}

type ntKey struct {
	level   string
	workers int
}

// streamFrom is the traffic from which r's STREAM kernels store
// non-temporally, for backends of level at r's worker count: measured
// the first time it is asked (about 50 ms), then kept.
func streamFrom(r *runner[float32], level string) int {
	if !r.kern.HasNT() {
		return ntNever
	}
	k := ntKey{level, r.split.pool.Workers()}
	ntCrossovers.Lock()
	defer ntCrossovers.Unlock()
	if from, ok := ntCrossovers.m[k]; ok {
		return from
	}
	from := measureNT(r)
	if ntCrossovers.m == nil {
		ntCrossovers.m = map[ntKey]int{}
	}
	ntCrossovers.m[k] = from
	return from
}

// measureNT times copies with ordinary and non-temporal stores on r's
// workers over traffic doubling from ntMinBytes to ntMaxBytes, and
// returns the smallest traffic from which the non-temporal copy was
// faster at every size, or ntNever.
func measureNT(r *runner[float32]) int {
	n := ntMaxBytes / 2 / r.size
	x, out := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(i)
	}
	r.copy(out, x) // faults out's pages in
	var sizes []int
	var wins []bool
	for bytes := ntMinBytes; bytes <= ntMaxBytes; bytes *= 2 {
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
	return crossover(sizes, wins)
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
func ntNote(from int) string {
	if from == ntNever {
		return fmt.Sprintf("copy, scale, add, triad: ordinary stores (non-temporal ones did not win up to %d MiB of traffic, or this level has none)",
			ntMaxBytes>>20)
	}
	return fmt.Sprintf("copy, scale, add, triad: non-temporal stores from %d KiB of traffic (measured crossover)", from>>10)
}
