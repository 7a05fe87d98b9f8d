package hwinfo

import "time"

// defaultClockTime is how long Probe spends measuring the clock.
const defaultClockTime = 30 * time.Millisecond

// minClockTries is the fewest timed runs MeasureClock takes the best of.
const minClockTries = 4

// clockRunTime is how long one timed run of MeasureClock lasts. It is
// short, so that among the runs of a busy machine (other processes, a
// VM's stolen time) some are never interrupted: the scheduler takes a
// CPU away at its ticks (1–10 ms apart), and a run of 200 µs is rarely
// cut by one. It is long enough that the timer's resolution (tens of
// nanoseconds through the vDSO) moves the figure by less than 0.1 %.
const clockRunTime = 200 * time.Microsecond

// MeasureClock estimates the core clock in Hz. It times addChain, a chain
// of dependent integer adds of one cycle latency each, so that
// clock = adds / seconds. Runs are first lengthened until one lasts about
// clockRunTime (or d/8 where that is shorter), then repeated until d has
// passed (and at least minClockTries times); the fastest run counts,
// since interruptions only slow a run. d ≤ 0 means defaultClockTime.
func MeasureClock(d time.Duration) float64 {
	if d <= 0 {
		d = defaultClockTime
	}
	target := min(d/8, clockRunTime)
	start := time.Now()
	best := 0.0
	n := int64(64)
	for tries := 0; tries < minClockTries || time.Since(start) < d; {
		t0 := time.Now()
		addChain(n)
		elapsed := time.Since(t0)
		if elapsed < target/2 {
			n *= 2 // still calibrating: too short to time well
			continue
		}
		tries++
		if hz := float64(n*addsPerIter) / elapsed.Seconds(); hz > best {
			best = hz
		}
	}
	return best
}

// MinClockGHz and MaxClockGHz bound the CPU clocks hwinfo believes,
// measured or read back from the pinned clock's file: no CPU that runs
// Go is slower than 0.2 GHz, and none has run faster than 10 GHz, even
// overclocked (docs/methodology.md#why-these-constants). A clock
// outside them is a broken timer or a damaged file, not a fast machine,
// and a peak made from it would fail or pass every case.
const (
	MinClockGHz = 0.2
	MaxClockGHz = 10.0
)

// plausibleClock reports whether hz lies within MinClockGHz and
// MaxClockGHz (false for NaN and ±Inf).
func plausibleClock(hz float64) bool {
	return hz >= MinClockGHz*1e9 && hz <= MaxClockGHz*1e9
}
