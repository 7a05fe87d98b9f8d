package harness

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/ref"
)

// DefaultMinWarmupTime is Config.MinWarmupTime unless told otherwise. A
// parallel kernel's first milliseconds after another library has used
// the cores can run as if on one: gemm 256 float64 on our 2 workers,
// right after an OpenBLAS case on the 2-vCPU VM of DESIGN.md, measured
// 73–81 GFLOP/s (one worker's speed) after 2 warm-up runs and 135–151
// after 200 (about 90 ms), 3 of 3 times each, and 134–154 after a warm-up
// of 30 ms or 100 ms (6 of 6), the machine otherwise idle; waiting
// instead, even 1 s, did not help. Running is what settles it, so the
// warm-up runs for at least this long: 50 ms, with room over 30.
const DefaultMinWarmupTime = 50 * time.Millisecond

// Config says how to run a plan.
type Config struct {
	Backends []string // backend names as compute.Open takes them
	Options  compute.Options
	// Warmup runs precede the Reps timed repetitions. A repetition runs
	// the kernel Inner times back to back, Inner chosen from the warm-up
	// so that a repetition lasts at least MinRepTime.
	Warmup, Reps int
	MinRepTime   time.Duration
	// MinWarmupTime is the shortest warm-up: after Warmup runs, untimed
	// runs go on until it has passed (see DefaultMinWarmupTime).
	MinWarmupTime time.Duration
	// Seed makes the inputs; the same seed gives the same bytes anywhere.
	Seed uint64
	// Dump, when set, is called with each case's seed and result (a
	// []float32 or []float64 in the case's dtype, see Dumper.Dump) after
	// the check; a dump changes neither how a case is checked nor what it
	// holds in memory.
	Dump func(c Case, backend string, seed uint64, got any) error
	// Progress, when set, is called before each case runs.
	Progress func(done, total int, c Case, backend string)
	// KeepTimes keeps every repetition's time in the results.
	KeepTimes bool
	// Debug keeps a recovered panic's stack in the result's error.
	Debug bool
	// Verify says whether results are checked whole or on a sample
	// ("" is VerifyAuto).
	Verify VerifyMode
}

// DefaultConfig is the quick suite's timing: a few warm-up runs, ten
// repetitions of at least a millisecond each.
func DefaultConfig() Config {
	return Config{Backends: []string{"cpu"}, Warmup: 2, Reps: 10, MinRepTime: time.Millisecond, MinWarmupTime: DefaultMinWarmupTime, Seed: 1}
}

// Run measures every case on every backend, opening each backend once.
// It stops between cases when ctx is done and returns what finished, with
// Complete false. A backend that cannot open gives one error per case
// for it, and the error is returned too, so that a caller that named it
// can say so. Results are ordered by case, then backend.
func Run(ctx context.Context, cfg Config, cases []Case) (*Report, error) {
	if cfg.Reps < 1 {
		return nil, fmt.Errorf("%w: --reps must be at least 1", compute.ErrUsage)
	}
	if cfg.Warmup < 0 {
		return nil, fmt.Errorf("%w: --warmup must not be negative", compute.ErrUsage)
	}
	rep := &Report{
		SchemaVersion: SchemaVersion, Time: time.Now().UTC(), Complete: true,
		Build: BuildInfo(), Probe: hwinfo.Probe(), Backends: compute.Available(),
	}
	byCase := make([][]Result, len(cases))
	var openErr error
	total, done := len(cases)*len(cfg.Backends), 0
backends:
	for _, name := range cfg.Backends {
		b, err := compute.Open(name, cfg.Options)
		if err != nil {
			openErr = fmt.Errorf("%s: %w", name, err)
			for i, c := range cases {
				byCase[i] = append(byCase[i], failed(c, name, err))
			}
			done += len(cases)
			continue
		}
		dev := b.Device()
		rep.Devices = append(rep.Devices, dev)
		// Rows of "auto" carry the backend it chose, so that they compare
		// with rows of that backend run by name.
		label := name
		if name == "auto" && dev.Backend != "" {
			label = dev.Backend
		}
		for i, c := range cases {
			if ctx.Err() != nil {
				rep.Complete = false
				b.Close()
				break backends
			}
			if cfg.Progress != nil {
				cfg.Progress(done, total, c, label)
			}
			byCase[i] = append(byCase[i], runCase(b, dev, label, c, cfg))
			done++
		}
		if err := b.Close(); err != nil {
			openErr = fmt.Errorf("%s: close: %w", name, err)
		}
	}
	for _, rs := range byCase {
		rep.Results = append(rep.Results, rs...)
	}
	return rep, openErr
}

func failed(c Case, backend string, err error) Result {
	r := newResult(c, backend, compute.Device{})
	r.Err = err.Error()
	return r
}

func newResult(c Case, backend string, dev compute.Device) Result {
	k := c.Kernel
	return Result{
		Kernel: k.Name, Backend: backend, Device: dev.Name, Level: dev.Level, Software: dev.Software,
		Shape: c.Shape.Format(k), DType: c.DType, Alpha: c.Alpha, Beta: c.Beta,
		Flops: k.Flops(c.Shape), Bytes: k.Bytes(c.Shape, c.DType),
	}
}

// runCase measures one case, turning a panic inside the backend into
// that case's error so that the run goes on.
func runCase(b compute.Backend, dev compute.Device, name string, c Case, cfg Config) (r Result) {
	r = newResult(c, name, dev)
	if !dev.Supports(c.DType) {
		r.Skipped = fmt.Sprintf("%s has no %v support", dev.Name, c.DType)
		return r
	}
	defer func() {
		if p := recover(); p != nil {
			r.Verified = false
			r.Err = fmt.Sprintf("panic: %v", p)
			if cfg.Debug {
				r.Err += "\n" + string(debug.Stack())
			}
		}
	}()
	awaitSettled(name)
	err := measure(b, dev, c, cfg, &r)
	markBusy(name)
	if err != nil {
		r.Verified = false
		r.Err = err.Error()
	}
	if hostBytes(c, cfg) >= freeAfterBytes {
		debug.FreeOSMemory()
	}
	return r
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
// (Dumper.Dump).
func measure(b compute.Backend, dev compute.Device, c Case, cfg Config, r *Result) error {
	k := c.Kernel
	bufs := make([]compute.Buffer, 0, len(k.Inputs)+1)
	defer func() {
		for _, buf := range bufs {
			buf.Release()
		}
	}()
	l := compute.Launch{Kernel: k, Shape: c.Shape, DType: c.DType, Alpha: c.Alpha, Beta: c.Beta}
	outLen := k.OperandLen("out", c.Shape)
	hostLen := outLen
	for _, name := range k.Inputs {
		n := k.OperandLen(name, c.Shape)
		hostLen = max(hostLen, n)
		buf, err := b.Alloc(c.DType, n)
		if err != nil {
			return fmt.Errorf("alloc %s: %w", name, err)
		}
		bufs = append(bufs, buf)
		l.In = append(l.In, buf)
	}
	out, err := b.Alloc(c.DType, outLen)
	if err != nil {
		return fmt.Errorf("alloc out: %w", err)
	}
	bufs = append(bufs, out)
	l.Out = out

	// Uploads, each timed after the device is idle, summed.
	host := ref.NewSlice(hostLen, c.DType)
	var upBytes float64
	var upTime time.Duration
	for i, name := range k.Inputs {
		h := head(host, l.In[i].Len())
		ref.NewStream(k, name, c.DType, cfg.Seed).FillSlice(h)
		if err := b.Sync(); err != nil {
			return err
		}
		t0 := time.Now()
		if err := b.Upload(l.In[i], h); err != nil {
			return fmt.Errorf("upload %s: %w", name, err)
		}
		if err := b.Sync(); err != nil {
			return err
		}
		upTime += time.Since(t0)
		upBytes += float64(l.In[i].Len() * c.DType.Size())
	}
	r.UploadNs = float64(upTime.Nanoseconds())
	r.UploadGBps = rate(upBytes, r.UploadNs)

	// Warm-up: compiles shaders, faults pages in, lets the machine
	// settle (see MinWarmupTime), and sizes Inner.
	inner := 1
	warm := time.Now()
	for i := 0; i < max(cfg.Warmup, 1) || time.Since(warm) < cfg.MinWarmupTime; i++ {
		t := time.Now()
		if err := runSync(b, l, 1); err != nil {
			return err
		}
		if d := time.Since(t); d > 0 && cfg.MinRepTime > 0 {
			inner = int(min(max(float64(cfg.MinRepTime)/float64(d), 1), 1e6))
		}
	}
	r.Inner = inner
	timer, _ := b.(compute.Timer)
	times := make([]float64, cfg.Reps)
	var gpu []float64
	gpuOK := timer != nil
	for i := range times {
		t := time.Now()
		if timer != nil && inner == 1 {
			g, ok, err := timer.RunTimed(l)
			if err != nil {
				return err
			}
			gpuOK = gpuOK && ok
			gpu = append(gpu, float64(g.Nanoseconds()))
		} else if err := runSync(b, l, inner); err != nil {
			return err
		}
		times[i] = float64(time.Since(t).Nanoseconds()) / float64(inner)
	}
	r.summarise(times, dev.PeakGFLOPS[c.DType])
	if cfg.KeepTimes {
		r.TimesNs = times
	}
	if gpuOK && len(gpu) == len(times) {
		g := Summarise(gpu)
		// A device timer that reads 0 or longer than the host saw is not
		// measuring the kernel: keep the host figure alone.
		if g.Median > 0 && g.Median <= r.MedianNs*1.05 {
			r.GPUMedianNs = g.Median
		}
	}

	got := head(host, outLen)
	t0 := time.Now()
	if err := b.Download(got, out); err != nil {
		return fmt.Errorf("download: %w", err)
	}
	r.DownloadNs = float64(time.Since(t0).Nanoseconds())
	r.DownloadGBps = rate(float64(outLen*c.DType.Size()), r.DownloadNs)

	chk, checked, err := verify(dev, r.Backend, c, cfg, got)
	if err != nil {
		return err
	}
	r.Checked, r.Elements = checked, outLen
	r.Verified, r.MaxAbsErr, r.MaxRelErr, r.Bound, r.ErrRatio, r.Mismatch = chk.OK, chk.MaxAbsErr, chk.MaxRelErr, chk.Bound, chk.Ratio, chk.Reason
	if chk.OK && math.IsInf(chk.Bound, 1) {
		r.Mismatch = "the error bound is infinite at this size: the result is unchecked"
		r.Verified = false
	}
	return nil
}

// verify checks got, c's result, against the reference of the inputs of
// cfg.Seed, on a sample (see sampled; a gemm's through probes too),
// streaming (see streamed), or gemm's whole in blocks of rows, and then
// dumps the case where cfg asks for it. It returns how many elements it
// checked one by one.
func verify(dev compute.Device, backend string, c Case, cfg Config, got any) (ref.Check, int, error) {
	k := c.Kernel
	var chk ref.Check
	checked := k.OperandLen("out", c.Shape)
	var err error
	switch {
	case sampled(c, cfg):
		chk, checked, err = verifySample(dev, c, cfg, got)
	case streamed(c, cfg):
		chk, err = ref.VerifyStream(k, c.Shape, c.DType, dev.SumLeaf, cfg.Seed, c.Alpha, c.Beta, got)
	default:
		chk = verifyChunked(dev, c, cfg, got)
	}
	if err != nil {
		return chk, checked, err
	}
	if cfg.Dump != nil {
		if err := cfg.Dump(c, backend, cfg.Seed, got); err != nil {
			return chk, checked, fmt.Errorf("dump: %w", err)
		}
	}
	return chk, checked, nil
}

// verifyChunked checks every element of got, a gemm's result, against
// its reference made a block of rows at a time (ref.GEMMChunks), each row
// of got widened to float64 only as it is compared.
func verifyChunked(dev compute.Device, c Case, cfg Config, got any) ref.Check {
	k := c.Kernel
	chk := ref.Check{OK: true, Worst: -1}
	n := c.Shape.N
	part := make([]float64, 0, n)
	ref.GEMMChunks(k, c.Shape, c.DType, cfg.Seed, c.Alpha, c.Beta, func(row int, want, mag []float64) {
		for i := 0; i < len(want); i += n {
			off := row*n + i
			part = ref.Widen(part[:0], got, off, off+n)
			chk.Merge(ref.VerifyPart(k, c.Shape, c.DType, dev.SumLeaf, off, part, want[i:i+n], mag[i:i+n]))
		}
	})
	return chk
}

// summarise sets r's time statistics and rates from times, one
// repetition's nanoseconds each; peak is the device's theoretical GFLOP/s
// in r's dtype, 0 where it has none.
func (r *Result) summarise(times []float64, peak float64) {
	st := Summarise(times)
	r.Reps, r.MedianNs, r.MinNs, r.MaxNs, r.CV = len(times), st.Median, st.Min, st.Max, st.CV
	r.GFLOPS = rate(r.Flops, r.MedianNs)
	r.GBps = rate(r.Bytes, r.MedianNs)
	if peak > 0 {
		r.PeakPct = 100 * r.GFLOPS / peak
	}
}

// head is the first n elements of a []float32 or []float64.
func head(s any, n int) any {
	switch v := s.(type) {
	case []float32:
		return v[:n]
	case []float64:
		return v[:n]
	}
	panic(fmt.Sprintf("bench: head of %T", s))
}

// runSync runs l n times and waits for the device.
func runSync(b compute.Backend, l compute.Launch, n int) error {
	for range n {
		if err := b.Run(l); err != nil {
			return err
		}
	}
	return b.Sync()
}

// rate is amount per second in units of 10⁹, given nanoseconds.
func rate(amount, ns float64) float64 {
	if ns <= 0 {
		return 0
	}
	return amount / ns
}

// BuildInfo describes the running binary.
func BuildInfo() Build {
	b := Build{GoVersion: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "-tags":
			b.Tags = s.Value
		case "CGO_ENABLED":
			b.CGO = s.Value == "1"
		}
	}
	return b
}
