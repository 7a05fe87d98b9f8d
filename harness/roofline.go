package harness

import (
	"context"
	"fmt"
	"math"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

// RooflineConfig says how to measure a roofline. Zero sizes are chosen
// from the device (see RooflineSizes).
type RooflineConfig struct {
	// Config holds timing, seed and backend options; its Backends is
	// not read.
	Config
	// DTypes lists the dtypes of the ceilings and sweeps; those the
	// device lacks are skipped. Empty: float32 and float64.
	DTypes []compute.DType
	// StreamBytes is the size of each STREAM array; SweepBytes that of
	// the sweep's x and out.
	StreamBytes, SweepBytes int
	// PeakN and PeakK are the fma shape of the compute ceiling.
	PeakN, PeakK int
	// MinIntensity and MaxIntensity bound the sweep, in FLOP/B
	// (0: 1/8 and 256); K runs over powers of two between them.
	MinIntensity, MaxIntensity float64
	// FullIntensity is the highest intensity the sweep runs at its full
	// size (0: 16 FLOP/B, past the ridge point of common CPUs and GPUs).
	// Above it a point keeps the work N·K of the last full one, N
	// shrinking as K grows but not below PeakN: arithmetic bounds it
	// there whatever the data's size, and the sweep costs a few STREAM
	// passes a point rather than growing with K.
	FullIntensity float64
}

// StreamKernels are STREAM's four, the bandwidth measurement.
func StreamKernels() []compute.Kernel {
	return []compute.Kernel{compute.Copy, compute.Scale, compute.Add, compute.Triad}
}

// Size limits of the automatic choice.
const (
	minStreamBytes = 64 << 20
	maxStreamBytes = 1 << 30
	// softwareSweepBytes keeps a software GPU's sweep short: it runs
	// about a thousandth as fast as a real one.
	softwareSweepBytes = 8 << 20
)

// RooflineSizes fills rc's zero sizes for dev on a machine described by
// info, and returns notes on any cap it met.
//
// On a CPU each STREAM array is 4× the last-level cache (so that caches
// hold at most a quarter of the traffic), at least 64 MiB and at most
// 1 GiB, and small enough that a triad case's host memory takes at most
// half of what is free: its operands, result and staging slice and the
// memory of its check as rc.Verify makes it (hostBytes; under auto a
// stream of a few chunks, ref.VerifyStream, not a float64 copy of every
// array, so about 16 bytes an element in all). On a
// GPU it is the largest storage buffer the driver allows, up to 512 MiB,
// under the same host limit. The sweep's arrays are the STREAM size (a
// software GPU's 8 MiB), so that its low-intensity points read from
// memory as STREAM does (up to FullIntensity, 16 FLOP/B). The ceiling is fma at K = 1024 (256 FLOP/B in
// float32) over enough elements to fill every worker or a GPU.
func RooflineSizes(rc RooflineConfig, dev compute.Device, info *hwinfo.Info, avail uint64) (RooflineConfig, []string) {
	var notes []string
	if rc.StreamBytes == 0 {
		want := maxStreamBytes / 2
		if dev.GPU != nil {
			if m := dev.GPU.MaxSSBOSize; m > 0 {
				want = int(min(m, maxStreamBytes/2))
			}
		} else if l3 := info.CPU.L3; l3 > 0 {
			want = min(max(4*l3, minStreamBytes), maxStreamBytes)
			if want < 4*l3 {
				notes = append(notes, fmt.Sprintf("STREAM arrays capped at %s, under 4× the L3 (%s): part of the traffic may hit the cache",
					results.FormatBytes(float64(want)), results.FormatBytes(float64(l3))))
			}
		}
		got := want
		if avail > 0 {
			// Keep a triad case's host memory, as rc.Verify checks it
			// (hostBytes: its operands, the staging slice and the
			// check's own memory), within half of avail: the longest
			// that fits, by bisection, hostBytes growing with the length.
			size := compute.Float32.Size()
			fits := func(n int) bool {
				c := NewProblem(compute.Triad, compute.Vec(n), compute.Float32)
				return hostBytes(c, rc.Config) <= float64(avail)/2
			}
			if n := got / size; !fits(n) {
				lo, hi := 0, n // fits(lo), not fits(hi)
				for hi-lo > 1 {
					if mid := lo + (hi-lo)/2; fits(mid) {
						lo = mid
					} else {
						hi = mid
					}
				}
				got = lo * size &^ (1<<20 - 1)
			}
		}
		if got < want {
			notes = append(notes, fmt.Sprintf("STREAM arrays capped at %s by free memory (%s)", results.FormatBytes(float64(got)), results.FormatBytes(float64(avail))))
		}
		rc.StreamBytes = max(got, 1<<20)
	}
	if rc.SweepBytes == 0 {
		rc.SweepBytes = rc.StreamBytes
		if dev.Software {
			rc.SweepBytes = min(rc.SweepBytes, softwareSweepBytes)
		}
	}
	// Sizes asked for by name still have to fit the GPU's largest
	// storage buffer: cap them there rather than fail every case.
	if dev.GPU != nil && dev.GPU.MaxSSBOSize > 0 {
		m := int(min(dev.GPU.MaxSSBOSize, math.MaxInt))
		if rc.StreamBytes > m {
			notes = append(notes, fmt.Sprintf("STREAM arrays capped at %s, the largest storage buffer %s allows", results.FormatBytes(float64(m)), dev.Name))
			rc.StreamBytes = m
		}
		if rc.SweepBytes > m {
			notes = append(notes, fmt.Sprintf("sweep arrays capped at %s, the largest storage buffer %s allows", results.FormatBytes(float64(m)), dev.Name))
			rc.SweepBytes = m
		}
	}
	if rc.PeakK == 0 {
		rc.PeakK = 1024
	}
	if rc.PeakN == 0 {
		rc.PeakN = 256 << 10
		if dev.GPU != nil && !dev.Software {
			rc.PeakN = 4 << 20
		}
	}
	if rc.MinIntensity == 0 {
		rc.MinIntensity = 1.0 / 8
	}
	if rc.MaxIntensity == 0 {
		rc.MaxIntensity = 256
	}
	if rc.FullIntensity == 0 {
		rc.FullIntensity = 16
	}
	if len(rc.DTypes) == 0 {
		rc.DTypes = compute.DTypes()
	}
	return rc, notes
}

// SweepSteps lists the step counts of the sweep for dt: powers of two K
// whose intensity K/size (FLOP/B) lies in [lo, hi]. float32 starts at
// K = 1, 1/4 FLOP/B, where lo is below what one whole step gives.
func SweepSteps(dt compute.DType, lo, hi float64) []int {
	var ks []int
	size := float64(dt.Size())
	for k := 1; float64(k)/size <= hi && k <= 1<<30; k *= 2 {
		if float64(k)/size >= lo || k == 1 {
			ks = append(ks, k)
		}
	}
	return ks
}

// MeasureRoofline measures the roofline of one backend: STREAM's four,
// the fma ceiling of each dtype and its sweep. Unless rc.Verify asks for
// more, each case is checked on a sample (VerifySample): some thirty
// passes over arrays of up to 1 GiB, checked whole, would spend most of
// the time drawing the inputs a second time, and every element of these
// kernels is computed alike, so that a sample with the tile edges guards
// the figures (measurements: docs/methodology.md#why-these-constants). It
// returns the roofline, the device, and every case's result; a case that
// fails verification is left out of the figures, with a note. It stops
// between cases when ctx is done (the roofline is then partial and the
// error says so).
func MeasureRoofline(ctx context.Context, rc RooflineConfig, backend string) (*results.Roofline, compute.Device, []results.Result, error) {
	b, err := rc.Env.registry().Open(backend, rc.Options)
	if err != nil {
		return nil, compute.Device{}, nil, fmt.Errorf("%s: %w", backend, err)
	}
	abandoned := false
	defer func() {
		// An abandoned case still runs on the backend.
		if !abandoned {
			b.Close()
		}
	}()
	dev := b.Device()
	mem := rc.Env.memory()
	avail := rooflineAvailable(mem, rc.Config, backend)
	if rc.Verify == "" || rc.Verify == VerifyAuto {
		rc.Verify = VerifySample
	}
	rc, notes := RooflineSizes(rc, dev, rc.probe(), avail)
	r := &results.Roofline{Backend: backend, Device: dev.Name, Level: dev.Level, Software: dev.Software,
		Stream: map[string]float64{}, Notes: notes}

	// Plan every case first, so that progress knows the total.
	type step struct {
		c    compute.Problem
		k    int // sweep step count; 0 for STREAM and the peak
		peak bool
	}
	var plan []step
	streamN := rc.StreamBytes / compute.Float32.Size()
	r.StreamBytes = float64(streamN * compute.Float32.Size())
	for _, k := range StreamKernels() {
		c := compute.Problem{Kernel: k, Shape: compute.Vec(streamN), DType: compute.Float32}
		if k.UsesAlpha() {
			c.Alpha = DefaultAlpha
		}
		plan = append(plan, step{c: c})
	}
	fma := compute.FMA
	for _, dt := range rc.DTypes {
		if !dev.Supports(dt) {
			r.Notes = append(r.Notes, fmt.Sprintf("%s has no %v: no %v ceiling", dev.Name, dt, dt))
			continue
		}
		plan = append(plan, step{c: compute.Problem{Kernel: fma, Shape: compute.Chain(rc.PeakN, rc.PeakK), DType: dt}, peak: true})
		n := max(rc.SweepBytes/dt.Size(), 1)
		for _, k := range SweepSteps(dt, rc.MinIntensity, rc.MaxIntensity) {
			nk := n
			if i := float64(k) / float64(dt.Size()); i > rc.FullIntensity {
				nk = max(int(float64(n)*rc.FullIntensity/i), min(rc.PeakN, n))
			}
			plan = append(plan, step{c: compute.Problem{Kernel: fma, Shape: compute.Chain(nk, k), DType: dt}, k: k})
		}
	}
	for _, st := range plan {
		if err := checkMemory(st.c, onBackend(rc.Config, backend), mem); err != nil {
			return nil, dev, nil, err
		}
	}

	cases := make([]compute.Problem, len(plan))
	for i, st := range plan {
		cases[i] = st.c
	}
	track := newTracker(rc.Progress)
	track.planCases(rc.Config, cases, 1)
	var done []results.Result
	ceil := map[compute.DType]*results.Ceiling{}
	var order []compute.DType
	for _, st := range plan {
		if err := ctx.Err(); err != nil {
			return r, dev, done, fmt.Errorf("roofline of %s interrupted: %w", backend, err)
		}
		track.start(st.c.String(), backend)
		if rc.Journal != nil {
			rc.Journal.Start(st.c, backend, dev)
		}
		res, end, err := runWatched(ctx, b, dev, backend, st.c, rc.Config)
		track.finish(Cost(st.c, rc.Config))
		if end != caseDone {
			abandoned = end == caseAbandoned
			return r, dev, done, fmt.Errorf("roofline of %s interrupted: %w", backend, context.Canceled)
		}
		if rc.Journal != nil {
			rc.Journal.End(st.c, backend, res)
		}
		if runLevel(err) {
			return r, dev, append(done, res), fmt.Errorf("%s: %w", backend, err)
		}
		done = append(done, res)
		ok := !res.Failed() && res.Skipped == "" && res.MedianNs > 0
		if !ok {
			why := res.Err + res.Mismatch
			r.Notes = append(r.Notes, fmt.Sprintf("%s failed and is left out: %s", st.c, why))
		}
		if st.c.Kernel != fma {
			if ok {
				r.Stream[st.c.Kernel.String()] = res.GBps
				r.BandwidthGBps = max(r.BandwidthGBps, res.GBps)
			}
			continue
		}
		dt := st.c.DType
		c := ceil[dt]
		if c == nil {
			c = &results.Ceiling{DType: dt, TheoreticalGFLOPS: dev.PeakGFLOPS[dt]}
			ceil[dt] = c
			order = append(order, dt)
		}
		if st.peak {
			c.PeakShape = st.c.Shape.Format(fma)
		}
		if ok && res.GFLOPS > c.PeakGFLOPS {
			c.PeakGFLOPS = res.GFLOPS
			c.PeakShape = st.c.Shape.Format(fma)
		}
		if !st.peak {
			c.Sweep = append(c.Sweep, results.SweepPoint{K: st.k, Shape: res.Shape.String(), Intensity: fma.Intensity(st.c.Shape, dt),
				GFLOPS: res.GFLOPS, GBps: res.GBps, Verified: ok})
		}
	}
	for _, dt := range order {
		c := ceil[dt]
		if r.BandwidthGBps > 0 {
			c.Ridge = c.PeakGFLOPS / r.BandwidthGBps
		}
		r.Ceilings = append(r.Ceilings, *c)
	}
	return r, dev, done, nil
}

// RunRoofline measures the roofline of each backend into one report:
// the machine, the devices, every case (so that each figure's
// verification can be read) and the rooflines. A backend that cannot
// open is an error, as is an interruption; what finished is returned.
// One that "all" took in before its probe answered, and that turns out
// unavailable, is left out (compute.Registry.Optional).
func RunRoofline(ctx context.Context, rc RooflineConfig, backends []string) (*results.Report, error) {
	if err := rc.Check(); err != nil {
		return nil, err
	}
	rep := results.NewReport(rc.probe(), nil)
	// Listed at the end: a probe the run started has answered by then,
	// and one it did not need is not waited for.
	defer func() { rep.Backends = rc.Env.registry().Known(rc.Options) }()
	for _, name := range backends {
		if leftOut(rc.Env.registry(), name, rc.Options) {
			continue
		}
		r, dev, done, err := MeasureRoofline(ctx, rc, name)
		if dev.Backend != "" {
			rep.Devices = append(rep.Devices, dev)
		}
		rep.Results = append(rep.Results, done...)
		if r != nil {
			rep.Rooflines = append(rep.Rooflines, *r)
		}
		if err != nil {
			rep.Complete = ctx.Err() == nil
			return rep, err
		}
	}
	return rep, nil
}
