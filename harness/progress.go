package harness

import "github.com/gpubench/gpubench/compute"

// Progress is where a measurement stands, for a progress line: the case
// starting and how much of the work is done, counted in cases and in
// their expected cost (Cost), so that the time left can be told from the
// work left rather than from the cases left: a gemm 4096 is not one
// case's worth of a sweep that starts at 16.
type Progress struct {
	Done, Total int
	// Case names the case starting, e.g. "gemm/512x512x512/float32"
	// (compute.Problem.String) or "upload/64 MiB".
	Case    string
	Backend string
	// DoneCost and TotalCost are the Cost of the cases finished and of
	// every case.
	DoneCost, TotalCost float64
}

// Nominal rates of Cost: a CPU core's order of magnitude, not a
// measurement.
const (
	costFLOPS     = 100e9 // kernel FLOP/s
	costBandwidth = 20e9  // kernel bytes/s
	costElements  = 50e6  // elements/s drawn from a seeded stream or checked
	costRefFLOPS  = 2e9   // FLOP/s of a float64 reference gemm
)

// Cost is a case's expected time under cfg in nominal seconds: its
// warm-up and repetitions at the nominal rates (costFLOPS,
// costBandwidth) but no shorter than cfg's minimum warm-up and
// repetition allow, drawing its inputs and checking its result
// (costElements), and a gemm's float64 reference where it is checked
// whole (costRefFLOPS). Only the ratios between cases matter: a progress
// line scales the cost left by the time that the cost done took.
func Cost(p compute.Problem, cfg Config) float64 {
	run := max(p.Flops()/costFLOPS, p.Bytes()/costBandwidth)
	warm := max(float64(max(cfg.Warmup, 1))*run, cfg.MinWarmupTime.Seconds())
	reps := float64(max(cfg.Reps, 1)) * max(run, cfg.MinRepTime.Seconds())
	elems := float64(p.OutLen())
	for _, name := range p.Kernel.Inputs() {
		elems += float64(p.OperandLen(name))
	}
	check := 2 * elems / costElements
	if p.Kernel == compute.Gemm && !sampled(p, cfg) {
		check += p.Flops() / costRefFLOPS
	}
	return warm + reps + check
}

// tracker counts the cases of one measurement as they start and finish
// and reports each start to a Config.Progress. A nil tracker counts
// nothing: a measurement without a Progress has none.
type tracker struct {
	report func(Progress)
	p      Progress
}

// newTracker reports to fn; nil where fn is nil.
func newTracker(fn func(Progress)) *tracker {
	if fn == nil {
		return nil
	}
	return &tracker{report: fn}
}

// plan counts n more cases, of cost in all, into the total; a negative
// n and cost take cases that will not run out of it.
func (t *tracker) plan(n int, cost float64) {
	if t == nil {
		return
	}
	t.p.Total += n
	t.p.TotalCost += cost
}

// planCases counts cases, each to run on backends backends, under cfg.
func (t *tracker) planCases(cfg Config, cases []compute.Problem, backends int) {
	for _, c := range cases {
		t.plan(backends, float64(backends)*Cost(c, cfg))
	}
}

// start reports that the case named what starts on backend.
func (t *tracker) start(what, backend string) {
	if t == nil {
		return
	}
	t.p.Case, t.p.Backend = what, backend
	t.report(t.p)
}

// finish counts a case of the given cost as done.
func (t *tracker) finish(cost float64) {
	if t == nil {
		return
	}
	t.p.Done++
	t.p.DoneCost += cost
}
