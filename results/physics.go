package results

import "fmt"

// clockShortfall is the most by which the clock in a theoretical peak can
// read below the true one. The peak is cores × pipes × lanes × FLOP ×
// clock, and all but the clock are counted, not measured; the clock is
// the fastest of several timed runs of dependent adds (hwinfo), which an
// interruption or a core still ramping up only slows, so it errs low,
// never high, and pinning keeps the highest a machine has shown. A run
// before any pin stands alone, and a single run may read its clock this
// far below the highest of its machine. The timing adds nothing worth
// counting: a median of repetitions of at least a millisecond each, on a
// clock that resolves well under a microsecond.
// Measurements: docs/methodology.md#why-these-constants.
const clockShortfall = 0.11

// PeakLimit is the largest share of its device's theoretical FLOP peak
// that a case can truly reach: a case at the peak reads 1/(1 − s) of a
// peak whose clock reads s low, 1/0.89 ≈ 112 %. Past it the figure is
// impossible, not fast: work was skipped or counted twice, the timing
// is wrong, or the peak's assumptions (pipes, lanes) do not fit the
// device.
const PeakLimit = 1 / (1 - clockShortfall)

// Impossible says why r's rate cannot be true on a device whose
// theoretical peak in r's dtype is peakGFLOPS (0 where unknown): GFLOP/s
// beyond PeakLimit of it. It returns "" where the rate is possible or no
// peak bounds it.
//
// Bytes per second get no such check: the project has no bound on them
// it can trust. A memory bandwidth is measured, not a limit, and a case
// whose operands sit in a cache legitimately moves bytes faster.
func (r *Result) Impossible(peakGFLOPS float64) string {
	if peakGFLOPS <= 0 || !(r.GFLOPS > PeakLimit*peakGFLOPS) {
		return ""
	}
	return fmt.Sprintf("impossible: %.0f %% of the %v peak of %.4g GFLOP/s, beyond the %.0f %% a low clock explains (work skipped, a wrong timing, or a peak that does not fit the device)",
		100*r.GFLOPS/peakGFLOPS, r.DType, peakGFLOPS, 100*PeakLimit)
}

// CheckPhysics fails r where its rate is impossible on a device of that
// peak (see Impossible): Verified becomes false and the reason follows
// any mismatch the verifier found in Mismatch. A case that was skipped
// or could not run is left as it is.
func (r *Result) CheckPhysics(peakGFLOPS float64) {
	if r.Skipped != "" || r.Err != "" {
		return
	}
	why := r.Impossible(peakGFLOPS)
	if why == "" {
		return
	}
	r.Verified = false
	if r.Mismatch != "" {
		why = r.Mismatch + "; " + why
	}
	r.Mismatch = why
}

// Ceilings and floors for figures read back from files (the last run,
// the last roofline), where the device's own peak in the same file may
// be as damaged as the figure: no device comes near them
// (docs/methodology.md#why-these-constants).
const (
	// MaxGFLOPS is 10 PFLOP/s, over 100× the fastest GPU's float32 peak.
	MaxGFLOPS = 1e7
	// MaxGBps is 1 PB/s, over 100× the fastest GPU memory's bandwidth.
	MaxGBps = 1e6
	// MinBandwidthGBps is 10 MB/s, below any memory a benchmark runs
	// from: a roofline's bandwidth under it would make PEAK of every
	// case bound by memory thousands of percent.
	MinBandwidthGBps = 0.01
)

// plausibleBandwidth reports whether a memory bandwidth read back from a
// file lies within MinBandwidthGBps and MaxGBps (false for NaN).
func plausibleBandwidth(gbps float64) bool {
	return gbps >= MinBandwidthGBps && gbps <= MaxGBps
}

// readBackDoubt says why r's figures, read back from a file, cannot be
// true: a time or rate that is negative or past MaxGFLOPS or MaxGBps, or
// a rate impossible on a device of peakGFLOPS (Impossible; 0 where
// unknown). It returns "" where none is in doubt. (A file cannot hold
// NaN or Inf in these fields: JSON has no literal for them.)
func (r *Result) readBackDoubt(peakGFLOPS float64) string {
	for _, f := range []struct {
		name string
		v    float64
	}{{"median_ns", r.MedianNs}, {"min_ns", r.MinNs}, {"gflops", r.GFLOPS}, {"gbps", r.GBps}} {
		if f.v < 0 {
			return fmt.Sprintf("%s is %g, below zero", f.name, f.v)
		}
	}
	switch {
	case r.GFLOPS > MaxGFLOPS:
		return fmt.Sprintf("gflops is %.4g, past the %g any device reaches", r.GFLOPS, float64(MaxGFLOPS))
	case r.GBps > MaxGBps:
		return fmt.Sprintf("gbps is %.4g, past the %g any device reaches", r.GBps, float64(MaxGBps))
	}
	if peakGFLOPS > MaxGFLOPS {
		peakGFLOPS = 0
	}
	return r.Impossible(peakGFLOPS)
}
