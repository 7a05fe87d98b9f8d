package harness

import (
	"fmt"
	"math"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

// MaxDuration is the longest a measurement may take, by its estimate
// before it starts (minDuration), unless Config.Long allows more: past
// a day, a setting is a slip of the keyboard (--reps 1000000000 at the
// default minimum repetition takes 11 days), not a plan.
const MaxDuration = 24 * time.Hour

// Bounds that make minDuration a lower bound on any device: rates past
// the fastest GPU's float32 arithmetic and memory, and a floor under the
// least a run (a kernel call and its wait) has been seen to take, with
// room for a faster machine.
// Measurements: docs/methodology.md#why-these-constants.
const (
	fastestFLOPS = 1e14
	fastestBytes = 2e13
	minRunTime   = 25 * time.Nanosecond
)

// Bounds of a device, once it is known (deviceSpeed): no CPU core moves
// more than cpuBytesPerCycle between its registers and its L1 cache per
// cycle (two 64-byte loads and one store on the widest cores), and no
// GPU runs a dispatch and waits for it in under gpuMinRunTime.
const (
	cpuBytesPerCycle = 256
	gpuMinRunTime    = 2 * time.Microsecond
)

// speed bounds a device: FLOP/s and bytes/s it cannot pass, in a dtype,
// and the least a run takes.
type speed struct {
	flops, bytes [2]float64 // float32, float64
	floor        time.Duration
}

// anyDevice is the speed of the fastest device there is.
var anyDevice = speed{[2]float64{fastestFLOPS, fastestFLOPS}, [2]float64{fastestBytes, fastestBytes}, minRunTime}

// deviceSpeed bounds dev, on the machine probe describes: a device
// without a GPU, and a software GPU, runs on the CPU, whose FLOP/s
// cannot pass results.PeakLimit of its peak, nor its bytes/s
// cpuBytesPerCycle per core and cycle (at the peak's clock, past
// PeakLimit too); a hardware GPU is bounded by anyDevice's rates; a GPU
// of either kind by gpuMinRunTime a run. Where the CPU's peak is not
// known, anyDevice's rates stand.
func deviceSpeed(dev compute.Device, probe *hwinfo.Info) speed {
	s := anyDevice
	if dev.GPU != nil {
		s.floor = gpuMinRunTime
	}
	pk := probe.Peak
	if (dev.GPU != nil && !dev.Software) || pk.Cores <= 0 || pk.ClockGHz <= 0 {
		return s
	}
	for i, f := range [2]float64{pk.GFLOPS32, pk.GFLOPS64} {
		if f > 0 {
			s.flops[i] = f * 1e9 * results.PeakLimit
		}
		s.bytes[i] = float64(pk.Cores) * pk.ClockGHz * 1e9 * cpuBytesPerCycle * results.PeakLimit
	}
	return s
}

// runFloor is a lower bound on one run of p on a device of speed s.
func runFloor(p compute.Problem, s speed) float64 {
	i := 0
	if p.DType == compute.Float64 {
		i = 1
	}
	return max(s.floor.Seconds(), p.Flops()/s.flops[i], p.Bytes()/s.bytes[i])
}

// caseFloor is a lower bound in seconds on a case whose runs take at
// least run seconds under cfg: its warm-up (Warmup runs, and at least
// MinWarmupTime) and its repetitions (Reps, each of at least MinRepTime
// and one run), with the setting that most of it comes from.
func caseFloor(cfg Config, run float64) (float64, longSetting) {
	warmRuns := float64(max(cfg.Warmup, 1)) * run
	warm := max(warmRuns, cfg.MinWarmupTime.Seconds())
	rep := max(cfg.MinRepTime.Seconds(), run)
	reps := float64(max(cfg.Reps, 1)) * rep
	var s longSetting
	switch {
	case reps >= warm && rep > run:
		s = longSetting{"MinRepTime", cfg.MinRepTime, fmt.Sprintf("%d repetitions of at least %v", cfg.Reps, cfg.MinRepTime)}
		if float64(cfg.Reps) > 100 {
			s = longSetting{"Reps", cfg.Reps, s.basis}
		}
	case reps >= warm:
		s = longSetting{"Reps", cfg.Reps, fmt.Sprintf("%d repetitions of at least %v each", cfg.Reps, short(seconds(run)))}
	case warmRuns >= warm:
		s = longSetting{"Warmup", cfg.Warmup, fmt.Sprintf("%d warm-up runs of at least %v each", cfg.Warmup, short(seconds(run)))}
	default:
		s = longSetting{"MinWarmupTime", cfg.MinWarmupTime, fmt.Sprintf("a warm-up of at least %v a case", cfg.MinWarmupTime)}
	}
	return warm + reps, s
}

// longSetting is the setting a measurement's time mostly comes from: its
// field in Config, its value, and how the time was reached.
type longSetting struct {
	field string
	value any
	basis string
}

// minDuration is a lower bound on the time cfg takes to measure cases
// on each of cfg.Backends (at least one): each case's warm-up and
// repetitions (caseFloor) at runs no device makes faster (runFloor),
// each backend's runs bounded by its speed in speeds (nil: anyDevice's,
// the fastest device there is). Drawing inputs and checking results
// only add to it. It returns the setting of its largest case too.
func minDuration(cfg Config, cases []compute.Problem, speeds []speed) (time.Duration, longSetting) {
	total, most := 0.0, -1.0
	var s longSetting
	add := func(run float64) {
		t, set := caseFloor(cfg, run)
		total += t
		if t > most {
			most, s = t, set
		}
	}
	for b := range max(len(cfg.Backends), 1) {
		sp := anyDevice
		if b < len(speeds) {
			sp = speeds[b]
		}
		if len(cases) == 0 { // the settings alone: one case of the shortest runs
			add(sp.floor.Seconds())
		}
		for _, p := range cases {
			add(runFloor(p, sp))
		}
	}
	return seconds(total), s
}

// short is d to three significant digits.
func short(d time.Duration) time.Duration {
	unit := time.Duration(1)
	for d/unit >= 1000 {
		unit *= 10
	}
	return d.Round(unit)
}

// seconds is s seconds as a Duration, the longest one where s is past it.
func seconds(s float64) time.Duration {
	if s >= float64(math.MaxInt64)/1e9 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(s * 1e9)
}

// TooLongError is a measurement refused for its time: at least Estimate,
// past MaxDuration, most of it from the setting its FieldError names.
// Config.Long allows it.
type TooLongError struct {
	*compute.FieldError
	Estimate time.Duration
}

func (e *TooLongError) Unwrap() error { return e.FieldError }

// refineAbove is the estimate past which checkDuration opens the
// backends to bound them by their devices (deviceSpeed): well short of
// MaxDuration, and past any run of the usual settings, which then open
// nothing twice.
const refineAbove = MaxDuration / 1000

// checkDuration refuses, with a *TooLongError, a measurement of cases
// under cfg whose minDuration passes MaxDuration, unless cfg.Long. With
// no cases it checks the settings alone, as for a case of one shortest
// run. Where the estimate passes refineAbove it is made again from each
// backend's device (opened and closed here; one that cannot open keeps
// anyDevice's bounds), which runs on a CPU far slower than the fastest
// device.
func (cfg Config) checkDuration(cases []compute.Problem) error {
	if cfg.Long {
		return nil
	}
	d, s := minDuration(cfg, cases, nil)
	if d > refineAbove && d <= MaxDuration && len(cases) > 0 && cfg.Env != nil {
		d, s = minDuration(cfg, cases, cfg.deviceSpeeds())
	}
	if d <= MaxDuration {
		return nil
	}
	return &TooLongError{Estimate: d, FieldError: &compute.FieldError{Field: s.field, Value: s.value, Err: compute.ErrUsage,
		Msg: fmt.Sprintf("would take at least %s (%s), past the day a run may take", humanDuration(d), s.basis)}}
}

// deviceSpeeds bounds each of cfg.Backends by its device (deviceSpeed),
// opening it to ask.
func (cfg Config) deviceSpeeds() []speed {
	out := make([]speed, len(cfg.Backends))
	for i, name := range cfg.Backends {
		out[i] = anyDevice
		b, err := cfg.Env.registry().Open(name, cfg.Options)
		if err != nil {
			continue
		}
		out[i] = deviceSpeed(b.Device(), cfg.probe())
		b.Close()
	}
	return out
}

// humanDuration writes d, rounded down, in days past two days, else
// hours, and in years past one: "11 days", "30 hours", "1.14e+04 years".
func humanDuration(d time.Duration) string {
	h := d.Hours()
	switch {
	case h >= 24*365:
		return fmt.Sprintf("%.3g years", h/24/365)
	case h >= 48:
		return fmt.Sprintf("%.0f days", math.Floor(h/24))
	default:
		return fmt.Sprintf("%.0f hours", math.Floor(h))
	}
}
