package harness

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/ref"
	"github.com/gpubench/gpubench/results"
	"github.com/gpubench/gpubench/stats"
)

// DefaultMinWarmupTime is Config.MinWarmupTime unless told otherwise. A
// parallel kernel's first milliseconds after another library has used the
// cores can run as if on one, and running, not waiting, is what settles
// it: so the warm-up runs for at least this long.
// Measurements: docs/methodology.md#why-these-constants.
const DefaultMinWarmupTime = 50 * time.Millisecond

// A warm-up with a MinWarmupTime goes on past it while the runs still get
// faster: until a run is no more than settledGain faster than the best
// before it, or maxWarmupTime has passed, since a library's first calls
// may pay for waking its threads and the cores' clocks, and a long kernel
// gets only the Warmup runs from MinWarmupTime alone. Every backend, ours
// and the peers, warms up by the same rule.
// Measurements: docs/methodology.md#why-these-constants.
const (
	settledGain   = 0.05
	maxWarmupTime = time.Second
)

// Config says how to run a plan.
type Config struct {
	// Env opens the backends and holds the clock and memory gauge; it
	// is required wherever a backend opens (NewEnv).
	Env      *Env
	Backends []string // backend names as compute.Registry.Open takes them
	Options  compute.Options
	// Probe describes the machine for the report; nil is hwinfo.Probe().
	// A run that holds SIMD levels off passes the machine as its kernels
	// see it (hwinfo.Info.Without).
	Probe *hwinfo.Info
	// Interleave runs each case on every backend before the next case,
	// opening the backends afresh for each, where Run otherwise runs
	// every case on one backend before the next backend. On a shared
	// machine whose load comes and goes, this puts our kernel and a
	// peer's under the same load seconds apart instead of minutes apart.
	// Case i starts with backend i mod n, so that each backend follows
	// each other one as often and none always runs in another's wake
	// (the harness also waits out a peer's spinning threads, see
	// compute.Factory.Settle). Results keep the order of Backends.
	Interleave bool
	// Warmup runs precede the Reps timed repetitions. A repetition runs
	// the kernel Inner times back to back, Inner chosen from the warm-up
	// so that a repetition lasts at least MinRepTime.
	Warmup, Reps int
	MinRepTime   time.Duration
	// MinWarmupTime is the shortest warm-up: after Warmup runs, untimed
	// runs go on until it has passed (see DefaultMinWarmupTime).
	MinWarmupTime time.Duration
	// Long allows a measurement estimated to take more than MaxDuration
	// (see checkDuration), which Check and Run otherwise refuse.
	Long bool
	// Seed makes the inputs; the same seed gives the same bytes anywhere.
	Seed uint64
	// Dump, when set, is called with each case's seed and result after
	// the check; a dump changes neither how a case is checked nor what it
	// holds in memory (see results.Dumper).
	Dump func(p compute.Problem, backend string, seed uint64, got compute.Host) error
	// Progress, when set, is called before each case runs.
	Progress func(Progress)
	// Bandwidths are memory bandwidths measured before (a roofline's):
	// a case bound by memory on a device that has one reports its share
	// of it as its peak (results.Result.SetPeak).
	Bandwidths []results.Bandwidth
	// EndToEnd also times each case end to end: its inputs uploaded, the
	// kernel run and its result downloaded (see timeEndToEnd).
	EndToEnd bool
	// KeepTimes keeps every repetition's time in the results.
	KeepTimes bool
	// Debug keeps a recovered panic's stack in the result's error.
	Debug bool
	// Verify says whether results are checked whole or on a sample
	// ("" is VerifyAuto).
	Verify VerifyMode
	// Special adds a pass on the special values (ref.Special: NaN, ±Inf,
	// ±0, subnormals and huge values, checked by IEEE rules) to every
	// case's passes, after the others; a case that fails it fails with
	// "special inputs: " and the reason.
	Special bool

	// track counts cases for Progress across the calls of one
	// measurement (an interleaved run's); nil: each call counts its own.
	track *tracker

	// Abandon, when closed, makes Run, Scale and RunRoofline return at
	// once with what finished, leaving the case in flight running on its
	// own goroutine and its backend open: for a caller about to exit (a
	// second Ctrl-C), where a kernel call or a check of many seconds
	// would otherwise hold the results back. nil never closes.
	Abandon <-chan struct{}

	// Journal, when set, hears of each case as it starts and as it ends
	// (see Journal): Run's, RunRoofline's and Crossover's.
	Journal Journal
	// Resume, when set, gives the results an earlier attempt at the same
	// run left, by case and backend name (Config.Backends'): a case it
	// gives a result for is not run again but takes its place in the
	// report, and a backend it gives every case's result for is not
	// opened.
	Resume func(p compute.Problem, backend string) (results.Result, bool)
}

// DefaultConfig is the quick suite's timing: a few warm-up runs, ten
// repetitions of at least a millisecond each. Its Env is the caller's to
// set.
func DefaultConfig() Config {
	return Config{Backends: []string{"cpu"}, Warmup: 2, Reps: 10, MinRepTime: time.Millisecond, MinWarmupTime: DefaultMinWarmupTime, Seed: 1}
}

// Check refuses a configuration that cannot run, with a
// *compute.FieldError naming the setting: fewer than one repetition, a
// negative warm-up or minimum warm-up time, settings that make even one
// case of the shortest runs take past MaxDuration without Long (a
// *TooLongError; Run also estimates its cases), and the Options that
// compute.Options.Check refuses. It is the one check of these settings.
func (cfg Config) Check() error {
	switch {
	case cfg.Reps < 1:
		return &compute.FieldError{Field: "Reps", Value: cfg.Reps, Err: compute.ErrUsage, Msg: "at least one repetition is needed"}
	case cfg.Warmup < 0:
		return &compute.FieldError{Field: "Warmup", Value: cfg.Warmup, Err: compute.ErrUsage, Msg: "use 0 or more"}
	case cfg.MinWarmupTime < 0:
		return &compute.FieldError{Field: "MinWarmupTime", Value: cfg.MinWarmupTime, Err: compute.ErrUsage, Msg: "use 0 or more"}
	}
	if err := cfg.checkDuration(nil); err != nil {
		return err
	}
	return cfg.Options.Check()
}

func (cfg Config) probe() *hwinfo.Info {
	if cfg.Probe != nil {
		return cfg.Probe
	}
	return hwinfo.Probe()
}

// Run measures every case on every backend. When ctx is done it stops
// the case in flight at its next check (within one kernel call; see
// measure) and returns what finished, with Complete false; when
// cfg.Abandon closes it returns at once, leaving the case in flight
// behind. A backend that cannot open gives one error per case for it,
// and the error is returned too, so that a caller that named it can say
// so; so is a device that was lost and a dump that could not be written
// (the cases report them as well). Results are ordered by case, then
// backend.
func Run(ctx context.Context, cfg Config, cases []compute.Problem) (*results.Report, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if err := cfg.checkDuration(cases); err != nil {
		return nil, err
	}
	if cfg.Interleave {
		return runInterleaved(ctx, cfg, cases)
	}
	return runByBackend(ctx, cfg, cases)
}

// runByBackend opens each backend once and runs every case on it before
// the next. The backends that are ready run first (nextBackend), so that
// a slow probe (a GPU driver's) runs beside the others' cases; the
// results keep the order of cfg.Backends. A backend that "all" took in
// before its probe answered (compute.Registry.Optional) and that turns
// out unavailable is left out, as "all" leaves out any backend that is:
// the report's Backends say why.
func runByBackend(ctx context.Context, cfg Config, cases []compute.Problem) (*results.Report, error) {
	reg := cfg.Env.registry()
	rep := results.NewReport(cfg.probe(), nil)
	// Each backend's results, one per case that finished, and device, by
	// its place in cfg.Backends.
	rows := make([][]results.Result, len(cfg.Backends))
	devs := make([]*compute.Device, len(cfg.Backends))
	// left holds the places in cfg.Backends of the backends yet to run.
	left := make([]int, len(cfg.Backends))
	for j := range left {
		left[j] = j
	}
	var errs []error
	track := cfg.track
	if track == nil {
		track = newTracker(cfg.Progress)
		track.planCases(cfg, cases, len(cfg.Backends))
	}
backends:
	for len(left) > 0 {
		k := nextBackend(reg, cfg, left)
		j, name := left[k], cfg.Backends[left[k]]
		left = slices.Delete(left, k, k+1)
		if rs := resumedAll(cfg, name, cases); rs != nil {
			for i, r := range rs {
				rows[j] = append(rows[j], r)
				track.finish(Cost(cases[i], cfg))
			}
			continue
		}
		if leftOut(reg, name, cfg.Options) {
			for _, c := range cases {
				track.plan(-1, -Cost(c, cfg))
			}
			continue
		}
		b, err := reg.Open(name, cfg.Options)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			for _, c := range cases {
				rows[j] = append(rows[j], failed(c, name, err))
				track.finish(Cost(c, cfg))
			}
			continue
		}
		dev := b.Device()
		devs[j] = &dev
		// Rows of "auto" carry the backend it chose, so that they compare
		// with rows of that backend run by name.
		label := name
		if name == "auto" && dev.Backend != "" {
			label = dev.Backend
		}
		var caseErr error // the first of this backend's that concerns the run
		for _, c := range cases {
			if ctx.Err() != nil {
				rep.Complete = false
				b.Close()
				break backends
			}
			if r, ok := resumed(cfg, c, name); ok {
				rows[j] = append(rows[j], r)
				track.finish(Cost(c, cfg))
				continue
			}
			track.start(c.String(), label)
			if cfg.Journal != nil {
				cfg.Journal.Start(c, name, dev)
			}
			r, end, err := runWatched(ctx, b, dev, label, c, cfg)
			switch end {
			case caseAbandoned:
				// The case still runs on the backend: it is left open.
				rep.Complete = false
				break backends
			case caseInterrupted:
				rep.Complete = false
				b.Close()
				break backends
			}
			if cfg.Journal != nil {
				cfg.Journal.End(c, name, r)
			}
			if caseErr == nil && runLevel(err) {
				caseErr = fmt.Errorf("%s: %w", label, err)
				errs = append(errs, caseErr)
			}
			rows[j] = append(rows[j], r)
			track.finish(Cost(c, cfg))
		}
		if err := b.Close(); err != nil {
			errs = append(errs, fmt.Errorf("%s: close: %w", name, err))
		}
	}
	for i := range cases {
		for _, rs := range rows {
			if i < len(rs) {
				rep.Results = append(rep.Results, rs[i])
			}
		}
	}
	for _, d := range devs {
		if d != nil {
			rep.Devices = append(rep.Devices, *d)
		}
	}
	rep.Backends = reg.Known(cfg.Options)
	return rep, errors.Join(errs...)
}

// leftOut reports whether a measurement leaves out the named backend:
// "all" took it in before its probe answered (compute.Registry.Optional),
// and the probe, waited for here, says it is unavailable.
func leftOut(reg *compute.Registry, name string, o compute.Options) bool {
	return reg.Optional(name) && reg.Probe(name, o) != nil
}

// nextBackend is the place in left (places in cfg.Backends) of the
// backend to run next: the first that opens without waiting for a probe
// still running (compute.Registry.Ready), else the first, whose probe is
// then waited for.
func nextBackend(reg *compute.Registry, cfg Config, left []int) int {
	for k, j := range left {
		if reg.Ready(cfg.Backends[j], cfg.Options) {
			return k
		}
	}
	return 0
}

// runInterleaved runs each case on every backend before the next case
// (see Config.Interleave).
func runInterleaved(ctx context.Context, cfg Config, cases []compute.Problem) (*results.Report, error) {
	var rep *results.Report
	var firstErr error
	seen := map[string]bool{}
	backends := cfg.Backends
	nb := len(backends)
	track := newTracker(cfg.Progress)
	track.planCases(cfg, cases, nb)
	for i, c := range cases {
		parts := make([][]results.Result, nb)
		devices := make([][]compute.Device, nb)
		complete := true
		for t := range nb {
			j := (i + t) % nb
			one := cfg
			one.Backends = backends[j : j+1]
			one.track = track
			r, err := runByBackend(ctx, one, []compute.Problem{c})
			if err != nil && firstErr == nil {
				firstErr = err
			}
			parts[j], devices[j] = r.Results, r.Devices
			if rep == nil {
				rep = r
				rep.Results, rep.Devices = nil, nil
			}
			if !r.Complete {
				complete = false
				break
			}
		}
		for j := range nb {
			rep.Results = append(rep.Results, parts[j]...)
			for _, d := range devices[j] {
				if !seen[d.Backend] {
					seen[d.Backend] = true
					rep.Devices = append(rep.Devices, d)
				}
			}
		}
		if !complete {
			rep.Complete = false
			break
		}
	}
	if rep == nil {
		rep = results.NewReport(cfg.probe(), nil)
	}
	rep.Backends = cfg.Env.registry().Known(cfg.Options)
	return rep, firstErr
}

// freeAfterBytes is the host memory past which a case's end returns its
// arrays to the OS at once. They are garbage then, but Go collects when
// the heap has grown by GOGC %, so the next case's arrays would
// otherwise come on top of them: the default roofline (1 GiB STREAM
// arrays) peaked at 8.4 GiB for 3.7 GiB of live data. One collection of
// what little stays live costs milliseconds, nothing beside drawing 256
// MiB of inputs.
const freeAfterBytes = 256 << 20

// measure runs one case. Its host memory stays near the operands' own
// size: each input is drawn from its seeded stream into one host slice in
// dt, uploaded, and the slice reused for the next and then for the
// result; the float64 reference is made after the timing from the
// streams again, for gemm a block of rows at a time (ref.GEMMChunks), for
// the others a chunk at a time (ref.VerifyStream). A sampled check (see
// sampled) draws only what its elements and probes read and holds no
// operand whole, and a dump draws the inputs again a block at a time
// (results.Dumper.Dump).
//
// A kernel that updates an input in place (compute.Kernel.InPlace:
// saxpy's y, as BLAS's axpy) writes no separate out: its warm-up and
// repetitions run on the same buffers, each on what the last one left,
// which moves the same bytes (y only grows, to y + r·α·x after r runs,
// far from overflow for any count of runs made here). Then the operand
// is drawn and uploaded again and the kernel run once more: that run's
// result is the one checked.
//
// stop, set when the run's context is cancelled, ends the case at its
// next check with errInterrupted: before each input, each warm-up run
// and each kernel call of a repetition, and before the check, so that a
// case gives way within one kernel call however many repetitions it has
// left. A single call, and the check, run to their end.
func measure(stop *atomic.Bool, b compute.Backend, dev compute.Device, p compute.Problem, cfg Config, r *results.Result) error {
	k := p.Kernel
	bufs := make([]compute.Buffer, 0, len(k.Inputs())+1)
	defer func() {
		for _, buf := range bufs {
			buf.Release()
		}
	}()
	l := compute.Launch{Problem: p}
	outLen := p.OutLen()
	hostLen := outLen
	for _, name := range k.Inputs() {
		n := p.OperandLen(name)
		hostLen = max(hostLen, n)
		buf, err := b.Alloc(p.DType, n)
		if err != nil {
			return fmt.Errorf("alloc %s: %w", name, err)
		}
		bufs = append(bufs, buf)
		l.In = append(l.In, buf)
	}
	ip := k.InPlaceIndex()
	if ip >= 0 {
		l.Out = l.In[ip]
	} else {
		out, err := b.Alloc(p.DType, outLen)
		if err != nil {
			return fmt.Errorf("alloc out: %w", err)
		}
		bufs = append(bufs, out)
		l.Out = out
	}

	// Uploads, each timed after the device is idle, summed.
	host := compute.NewHost(p.DType, hostLen)
	var upBytes float64
	var upTime time.Duration
	for i := range k.Inputs() {
		if stop.Load() {
			return errInterrupted
		}
		d, err := upload(stop, b, l, i, host, cfg.Seed)
		if err != nil {
			return err
		}
		upTime += d
		upBytes += float64(l.In[i].Len() * p.DType.Size())
	}
	r.UploadNs = float64(upTime.Nanoseconds())
	r.UploadGBps = results.Rate(upBytes, r.UploadNs)

	// Warm-up: compiles shaders, faults pages in, lets the machine
	// settle (see MinWarmupTime and settledGain), and sizes Inner.
	inner, err := warmUp(cfg, func() error { return runSync(stop, b, l, 1) })
	if err != nil {
		return err
	}
	r.Inner = inner
	timer, _ := b.(compute.Timer)
	times := make([]float64, cfg.Reps)
	var gpu []float64
	gpuOK := timer != nil
	for i := range times {
		if stop.Load() {
			return errInterrupted
		}
		t := time.Now()
		if timer != nil && inner == 1 {
			g, ok, err := timer.RunTimed(l)
			if err != nil {
				return err
			}
			gpuOK = gpuOK && ok
			gpu = append(gpu, float64(g.Nanoseconds()))
		} else if err := runSync(stop, b, l, inner); err != nil {
			return err
		}
		times[i] = float64(time.Since(t).Nanoseconds()) / float64(inner)
	}
	r.Summarise(times, dev.PeakGFLOPS[p.DType])
	if cfg.KeepTimes {
		r.TimesNs = times
	}
	if gpuOK && len(gpu) == len(times) {
		g := stats.Summarise(gpu)
		// A device timer that reads 0 or longer than the host saw is not
		// measuring the kernel: keep the host figure alone.
		if g.Median > 0 && g.Median <= r.MedianNs*1.05 {
			r.GPUMedianNs = g.Median
		}
	}

	if cfg.EndToEnd {
		if r.EndToEndNs, err = timeEndToEnd(b, l, cfg); err != nil {
			return err
		}
	}

	return check(stop, b, dev, l, cfg, host, r)
}

// check verifies l's kernel after its timing, on each of the input sets
// ref.Passes gives its problem (the random inputs it was timed on, then
// exact and, for reductions, positive ones), and the special values
// last where cfg.Special asks, each in a run of its own:
//
//   - the pass's inputs are drawn and uploaded (the random ones are
//     still in place from the timing, but for an input the kernel
//     updates in place, drawn again);
//   - everything the run should write is poisoned first: the output
//     buffer and the host memory the download lands in are filled with
//     NaN, and a backend's own workspaces too (compute.Poisoner), so
//     that an element or a partial sum the run failed to write shows as
//     NaN rather than as the right value a timed run left there;
//   - the kernel runs once, and ref.Judge gives the verdict.
//
// The random pass sets the error figures (MaxAbsErr, ErrRatio, …) and
// is the one dumped; a later pass that fails makes the case fail with
// its own reason. None of it is timed but the random pass's download.
func check(stop *atomic.Bool, b compute.Backend, dev compute.Device, l compute.Launch, cfg Config, host compute.Host, r *results.Result) error {
	p := l.Problem
	outLen := p.OutLen()
	ip := p.Kernel.InPlaceIndex()
	sets, note := ref.Passes(p)
	if cfg.Special {
		sets = append(sets, ref.Special)
	}
	r.PassNote = note
	unbounded := false // the random pass's bound was infinite
	sampled := sampled(p, cfg)
	for _, set := range sets {
		if stop.Load() {
			return errInterrupted
		}
		src := ref.Source{Set: set, Seed: cfg.Seed}
		for i := range l.In {
			if set == ref.Random && i != ip {
				continue
			}
			if _, err := uploadFrom(stop, b, l, i, host, src); err != nil {
				return err
			}
		}
		if err := poisonedRun(b, l, host); err != nil {
			return err
		}
		got := host.Slice(0, outLen)
		got.Fill(math.NaN())
		took, err := download(b, got, l.Out)
		if err != nil {
			return err
		}
		chk, checked, err := ref.Judge(p, dev, src, sampled, got)
		if err != nil {
			return err
		}
		r.Passes = append(r.Passes, set.String())
		if set != ref.Random {
			switch {
			case !chk.OK && (r.Verified || unbounded):
				r.Verified, unbounded = false, false
				r.Mismatch = set.String() + " inputs: " + chk.Reason
			case chk.OK && set == ref.Exact && unbounded:
				// The random inputs' bound says nothing at this size
				// (fma's float32 chains past 2²⁴ steps); the exact
				// pass, held to zero, still does.
				r.Verified, r.Mismatch = true, ""
				r.PassNote = "the random inputs' bound is infinite at this size: the exact pass alone checked the result"
			}
			continue
		}
		r.DownloadNs = float64(took.Nanoseconds())
		r.DownloadGBps = results.Rate(float64(outLen*p.DType.Size()), r.DownloadNs)
		r.Checked, r.Elements = checked, outLen
		r.Verified, r.MaxAbsErr, r.MaxRelErr, r.Bound, r.ErrRatio, r.Mismatch = chk.OK, chk.MaxAbsErr, chk.MaxRelErr, chk.Bound, chk.Ratio, chk.Reason
		if chk.OK && math.IsInf(chk.Bound, 1) {
			r.Mismatch = "the error bound is infinite at this size: the result is unchecked"
			r.Verified = false
			unbounded = true
		}
		if cfg.Dump != nil {
			if err := cfg.Dump(p, r.Backend, cfg.Seed, got); err != nil {
				return fmt.Errorf("dump: %w", err)
			}
		}
	}
	return nil
}

// download copies src into dst and times the copy alone (poisonedRun
// waited for the device, so no kernel is in it).
func download(b compute.Backend, dst compute.Host, src compute.Buffer) (time.Duration, error) {
	t0 := time.Now()
	if err := b.Download(dst, src); err != nil {
		return 0, fmt.Errorf("download: %w", err)
	}
	return time.Since(t0), nil
}

// poisonedRun runs l once after filling its output buffer with NaN
// (but for a kernel that updates an input in place, whose output is that
// input, just uploaded) and the backend's workspaces (compute.Poisoner),
// and waits for it. host is memory of at least out's length to stage
// the NaNs in.
func poisonedRun(b compute.Backend, l compute.Launch, host compute.Host) error {
	if l.Kernel.InPlaceIndex() < 0 {
		nan := host.Slice(0, l.Out.Len())
		nan.Fill(math.NaN())
		if err := b.Upload(l.Out, nan); err != nil {
			return fmt.Errorf("poison out: %w", err)
		}
	}
	if pb, ok := b.(compute.Poisoner); ok {
		if err := pb.Poison(); err != nil {
			return fmt.Errorf("poison: %w", err)
		}
	}
	return runSync(nil, b, l, 1)
}

// upload draws l's input i from its seeded stream into host and uploads
// it, timing the upload alone (after the device is idle). stop, when
// set, ends the drawing with errInterrupted (fillInput).
func upload(stop *atomic.Bool, b compute.Backend, l compute.Launch, i int, host compute.Host, seed uint64) (time.Duration, error) {
	return uploadFrom(stop, b, l, i, host, ref.Seeded(seed))
}

// uploadFrom is upload of the inputs of src.
func uploadFrom(stop *atomic.Bool, b compute.Backend, l compute.Launch, i int, host compute.Host, src ref.Source) (time.Duration, error) {
	name := l.Kernel.Inputs()[i]
	h := host.Slice(0, l.In[i].Len())
	if err := fillInput(stop, ref.NewStreamOf(l.Problem, name, src), h, nil); err != nil {
		return 0, err
	}
	if err := b.Sync(); err != nil {
		return 0, err
	}
	t0 := time.Now()
	if err := b.Upload(l.In[i], h); err != nil {
		return 0, fmt.Errorf("upload %s: %w", name, err)
	}
	if err := b.Sync(); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// runSync runs l n times and waits for the device, unless stop is set
// before a run: then it returns errInterrupted (a nil stop never is).
func runSync(stop *atomic.Bool, b compute.Backend, l compute.Launch, n int) error {
	for range n {
		if stop != nil && stop.Load() {
			return errInterrupted
		}
		if err := b.Run(l); err != nil {
			return err
		}
	}
	return b.Sync()
}
