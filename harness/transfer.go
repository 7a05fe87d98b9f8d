package harness

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/ref"
	"github.com/gpubench/gpubench/results"
	"github.com/gpubench/gpubench/stats"
)

// TransferConfig says how to measure the copies between host and device
// memory and the dispatch latency.
type TransferConfig struct {
	// Config holds timing, seed and backend options; its Backends is not
	// read.
	Config
	// MinBytes and MaxBytes bound the sweep, whose sizes grow by 4× from
	// MinBytes (0: 4 KiB) and end at MaxBytes (0: DefaultTransferMax),
	// capped by the device's largest buffer and by free memory.
	MinBytes, MaxBytes int
}

// DefaultTransferMax is the largest copy of a transfer sweep unless told
// otherwise: past the caches of any CPU, so that the last points are
// memory's rate, and far past the size where a bus reaches its peak.
const DefaultTransferMax = 256 << 20

// latencyReps is how many starts of an empty kernel the latency is the
// median of.
const latencyReps = 100

// transferSizes lists the sweep's sizes in bytes, a multiple of 4 (one
// float32) each, for dev on a machine with avail bytes free (0:
// unknown).
func transferSizes(tc TransferConfig, dev compute.Device, avail uint64) []int {
	lo, hi := tc.MinBytes, tc.MaxBytes
	if lo <= 0 {
		lo = 4 << 10
	}
	if hi <= 0 {
		hi = DefaultTransferMax
	}
	if dev.GPU != nil && dev.GPU.MaxSSBOSize > 0 {
		hi = int(min(int64(hi), dev.GPU.MaxSSBOSize))
	}
	// The host holds the source and the copy back; a CPU backend's
	// buffer is host memory too. Keep them within half of what is free.
	if avail > 0 {
		hi = min(hi, int(avail/2/3))
	}
	lo, hi = max(lo&^3, 4), max(hi&^3, 4)
	return growing(lo, max(lo, hi), 4)
}

// growing lists lo, lo·f, lo·f², … up to hi, and hi itself where the
// last of them falls short of it.
func growing(lo, hi, f int) []int {
	var out []int
	n := lo
	for ; n <= hi; n *= f {
		out = append(out, n)
		if n > hi/f {
			break
		}
	}
	if out[len(out)-1] < hi {
		out = append(out, hi)
	}
	return out
}

// MeasureTransfers measures the transfers and dispatch latency of each
// backend into one report: the machine, the devices, every case and each
// backend's summary (results.Transfer). A backend that cannot open is an
// error, as is an interruption; what finished is returned. One that
// "all" took in before its probe answered, and that turns out
// unavailable, is left out (compute.Registry.Optional).
func MeasureTransfers(ctx context.Context, tc TransferConfig, backends []string) (*results.Report, error) {
	if err := tc.Check(); err != nil {
		return nil, err
	}
	rep := results.NewReport(tc.probe(), nil)
	// Listed at the end: a probe the run started has answered by then,
	// and one it did not need is not waited for.
	defer func() { rep.Backends = tc.Env.registry().Known(tc.Options) }()
	track := newTracker(tc.Progress)
	for _, name := range backends {
		if leftOut(tc.Env.registry(), name, tc.Options) {
			continue
		}
		b, err := tc.Env.registry().Open(name, tc.Options)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", name, err)
		}
		dev := b.Device()
		rep.Devices = append(rep.Devices, dev)
		t, err := measureTransfer(ctx, tc, b, name, track)
		b.Close()
		rep.Transfers = append(rep.Transfers, t)
		if err != nil {
			rep.Complete = ctx.Err() == nil
			return rep, err
		}
	}
	return rep, nil
}

// transferCost is the Cost of one size of a transfer sweep: drawing the
// source and checking the copy back, and both directions' warm-up and
// repetitions at the nominal bandwidth.
func transferCost(cfg Config, bytes int) float64 {
	n := float64(bytes)
	runs := float64(max(cfg.Warmup, 1) + max(cfg.Reps, 1))
	return 2*runs*max(n/costBandwidth, cfg.MinRepTime.Seconds()) + 2*n/4/costElements
}

// measureTransfer sweeps the uploads and downloads of b, opened as
// label, over transferSizes, each size's copy back compared with what
// went up bit for bit, and measures its dispatch latency. It returns the
// summary with its cases, in order: each size's upload and download,
// then the latency. It stops between sizes when ctx is done.
func measureTransfer(ctx context.Context, tc TransferConfig, b compute.Backend, label string, track *tracker) (results.Transfer, error) {
	dev := b.Device()
	t := results.Transfer{Backend: label, Device: dev.Name, Software: dev.Software, HostMemory: dev.GPU == nil}
	if t.HostMemory {
		t.Notes = append(t.Notes, label+" keeps its buffers in host memory: an upload or download is a copy within that memory (memcpy on its workers), not a transfer over a bus")
	}
	sizes := transferSizes(tc, dev, hwinfo.AvailableMemory())
	for _, n := range sizes {
		track.plan(1, transferCost(tc.Config, n))
	}
	track.plan(1, float64(latencyReps)*1e-4)
	var ups, downs []results.TransferCase
	for _, n := range sizes {
		if err := ctx.Err(); err != nil {
			return t, fmt.Errorf("transfers of %s interrupted: %w", label, err)
		}
		track.start(results.Upload.String()+"/"+results.FormatBytes(float64(n)), label)
		up, down, err := copyBothWays(b, tc.Config, label, n/compute.Float32.Size())
		track.finish(transferCost(tc.Config, n))
		if err != nil {
			up.Err, down.Err = err.Error(), err.Error()
		}
		ups, downs = append(ups, up), append(downs, down)
		t.Cases = append(t.Cases, up, down)
	}
	t.Upload, t.Download = results.LinkOf(ups), results.LinkOf(downs)
	track.start(results.Latency.String(), label)
	lat, err := dispatchLatency(b, tc.Config, label)
	track.finish(float64(latencyReps) * 1e-4)
	if err != nil {
		lat.Err = err.Error()
	}
	t.LatencyNs, t.LatencyOf = lat.MedianNs, latencyOf(b)
	t.Cases = append(t.Cases, lat)
	return t, nil
}

// copyBothWays times the upload of n float32 elements, drawn from the
// seeded stream of a copy's input, into a buffer of b, and their
// download, and checks that what came down is what went up, bit for bit.
// Both results are verified together: a round trip cannot tell which
// direction spoilt a copy.
func copyBothWays(b compute.Backend, cfg Config, label string, n int) (up, down results.TransferCase, err error) {
	dev := b.Device()
	dt := compute.Float32
	up, down = transferCase(results.Upload, label, dev, n), transferCase(results.Download, label, dev, n)
	buf, err := b.Alloc(dt, n)
	if err != nil {
		return up, down, fmt.Errorf("alloc: %w", err)
	}
	defer buf.Release()
	src := compute.NewHost(dt, n)
	ref.NewStream(compute.Problem{Kernel: compute.Copy, Shape: compute.Vec(n), DType: dt}, "x", cfg.Seed).FillHost(src)
	times, inner, err := timeOp(cfg, func() error { return b.Upload(buf, src) }, b.Sync)
	if err != nil {
		return up, down, fmt.Errorf("upload: %w", err)
	}
	up.Inner = inner
	up.Summarise(times)
	dst := compute.NewHost(dt, n)
	nan := float32(math.NaN())
	for i := range compute.Data[float32](dst) {
		compute.Data[float32](dst)[i] = nan
	}
	times, inner, err = timeOp(cfg, func() error { return b.Download(dst, buf) }, nil)
	if err != nil {
		return up, down, fmt.Errorf("download: %w", err)
	}
	down.Inner = inner
	down.Summarise(times)
	bad, first := sameBits(compute.Data[float32](dst), compute.Data[float32](src))
	for _, r := range []*results.TransferCase{&up, &down} {
		r.Checked, r.Verified = n, bad == 0
		if bad > 0 {
			r.Mismatch = fmt.Sprintf("%d of %d elements came back changed, the first at %d", bad, n, first)
		}
	}
	return up, down, nil
}

// sameBits counts the elements of got whose bits differ from want's, and
// gives the index of the first (-1 where none).
func sameBits(got, want []float32) (bad, first int) {
	first = -1
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			if bad == 0 {
				first = i
			}
			bad++
		}
	}
	return bad, first
}

// transferCase is the case of a copy of n float32 elements in direction d.
func transferCase(d results.Direction, label string, dev compute.Device, n int) results.TransferCase {
	return results.TransferCase{Direction: d, Backend: label, Device: dev.Name, Level: dev.Level, Software: dev.Software,
		N: n, DType: compute.Float32, Elements: n, Bytes: float64(n * compute.Float32.Size())}
}

// latencyOf says what dispatchLatency times on b.
func latencyOf(b compute.Backend) string {
	if _, ok := b.(compute.LatencyProber); ok {
		return "empty kernel, dispatched and waited for"
	}
	return "copy kernel on 1 element: the backend has no empty one"
}

// dispatchLatency is the median time to start a kernel and wait for it:
// an empty kernel's where b has one (compute.LatencyProber), else that of
// the smallest case of the copy kernel, whose result is checked.
func dispatchLatency(b compute.Backend, cfg Config, label string) (results.TransferCase, error) {
	dev := b.Device()
	r := results.TransferCase{Direction: results.Latency, Backend: label, Device: dev.Name, Level: dev.Level,
		Software: dev.Software, N: 1, DType: compute.Float32, Inner: 1}
	if lp, ok := b.(compute.LatencyProber); ok {
		d, err := lp.DispatchLatency(latencyReps)
		if err != nil {
			return r, err
		}
		r.Summarise([]float64{float64(d.Nanoseconds())})
		r.Reps, r.Verified = latencyReps, true
		return r, nil
	}
	p := compute.Problem{Kernel: compute.Copy, Shape: compute.Vec(1), DType: compute.Float32}
	r.Elements, r.Checked, r.Bytes = 1, 1, p.Bytes()
	in, err := b.Alloc(p.DType, 1)
	if err != nil {
		return r, err
	}
	defer in.Release()
	out, err := b.Alloc(p.DType, 1)
	if err != nil {
		return r, err
	}
	defer out.Release()
	x := compute.HostFrom([]float64{0.75}, p.DType)
	if err := b.Upload(in, x); err != nil {
		return r, err
	}
	l := compute.Launch{Problem: p, In: []compute.Buffer{in}, Out: out}
	if err := runSync(nil, b, l, 1); err != nil {
		return r, err
	}
	times := make([]float64, latencyReps)
	for i := range times {
		t := time.Now()
		if err := runSync(nil, b, l, 1); err != nil {
			return r, err
		}
		times[i] = float64(time.Since(t).Nanoseconds())
	}
	r.Summarise(times)
	got := compute.NewHost(p.DType, 1)
	if err := b.Download(got, out); err != nil {
		return r, err
	}
	r.Verified = got.At(0) == 0.75
	if !r.Verified {
		r.Mismatch = fmt.Sprintf("copy of 0.75 gave %g", got.At(0))
	}
	return r, nil
}

// timeOp times op as measure times a kernel: warm-up runs (cfg.Warmup,
// then more until cfg.MinWarmupTime has passed), then cfg.Reps
// repetitions of inner runs each, inner chosen from the warm-up so that
// a repetition lasts cfg.MinRepTime; sync, where set, waits for the
// device after a warm-up run and after each repetition. It returns the
// time per run of each repetition, in nanoseconds.
func timeOp(cfg Config, op, sync func() error) ([]float64, int, error) {
	once := func(n int) error {
		for range n {
			if err := op(); err != nil {
				return err
			}
		}
		if sync != nil {
			return sync()
		}
		return nil
	}
	inner, err := warmUp(cfg, func() error { return once(1) })
	if err != nil {
		return nil, 0, err
	}
	times := make([]float64, max(cfg.Reps, 1))
	for i := range times {
		t := time.Now()
		if err := once(inner); err != nil {
			return nil, 0, err
		}
		times[i] = float64(time.Since(t).Nanoseconds()) / float64(inner)
	}
	return times, inner, nil
}

// warmUp runs once, untimed, cfg.Warmup times (at least once), and
// then until cfg.MinWarmupTime has passed and a run is no more than
// settledGain faster than the best before it (at most maxWarmupTime; with
// MinWarmupTime 0, exactly Warmup runs). It returns how many runs make a
// repetition of at least cfg.MinRepTime (at least 1), from the last run's
// time: as many as that takes, as the warm-up takes as long as it is
// told, since Check refuses settings past MaxDuration.
func warmUp(cfg Config, once func() error) (int, error) {
	inner := 1
	warm := cfg.Env.now()
	var best time.Duration
	for i := 1; ; i++ {
		t := cfg.Env.now()
		if err := once(); err != nil {
			return 0, err
		}
		d := cfg.Env.now().Sub(t)
		if d > 0 && cfg.MinRepTime > 0 {
			inner = int(min(max(float64(cfg.MinRepTime)/float64(d), 1), 1<<53))
		}
		gained := i == 1 || float64(d) < (1-settledGain)*float64(best)
		if i == 1 || d < best {
			best = d
		}
		if i < max(cfg.Warmup, 1) {
			continue
		}
		if took := cfg.Env.now().Sub(warm); took >= cfg.MinWarmupTime && (cfg.MinWarmupTime == 0 || !gained || took >= maxWarmupTime) {
			return inner, nil
		}
	}
}

// timeEndToEnd times l as a program that keeps no data on the device
// would run it: each repetition uploads every input, runs the kernel and
// downloads the result, one after the other. The inputs are those l's
// buffers hold, downloaded once beforehand, so that the result the case
// checks afterwards is the one the last repetition made from its own
// uploads. It returns the median of cfg.Reps repetitions after one
// untimed.
func timeEndToEnd(b compute.Backend, l compute.Launch, cfg Config) (float64, error) {
	hosts := make([]compute.Host, len(l.In))
	for i, in := range l.In {
		hosts[i] = compute.NewHost(in.DType(), in.Len())
		if err := b.Download(hosts[i], in); err != nil {
			return 0, fmt.Errorf("end to end: download input %d: %w", i, err)
		}
	}
	out := compute.NewHost(l.Out.DType(), l.Out.Len())
	once := func() error {
		for i, in := range l.In {
			if err := b.Upload(in, hosts[i]); err != nil {
				return fmt.Errorf("end to end: upload: %w", err)
			}
		}
		if err := b.Run(l); err != nil {
			return err
		}
		if err := b.Download(out, l.Out); err != nil {
			return fmt.Errorf("end to end: download: %w", err)
		}
		return nil
	}
	if err := once(); err != nil {
		return 0, err
	}
	times := make([]float64, max(cfg.Reps, 1))
	for i := range times {
		t := time.Now()
		if err := once(); err != nil {
			return 0, err
		}
		times[i] = float64(time.Since(t).Nanoseconds())
	}
	return stats.Summarise(times).Median, nil
}
