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
