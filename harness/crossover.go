package harness

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

// CrossoverConfig says how to find where a GPU backend starts to beat a
// CPU one.
type CrossoverConfig struct {
	// Config holds timing, seed and verification; its Backends and
	// Options are not read (see Base and Challenger).
	Config
	// Base is the backend to beat, a CPU's; Challenger the one that may
	// beat it, a GPU's. Each opens with its own options, so that a CPU
	// on one worker can be the base of the same CPU on all.
	Base, Challenger Side
	Kernels          []compute.Kernel
	DType            compute.DType
	// MaxVector caps the vector kernels' length (0: the memory limit,
	// see crossoverSizes); MaxSquare the side of gemm, gemv and
	// transpose (0: DefaultMaxSquare).
	MaxVector, MaxSquare int
	// MaxRunTime ends a kernel's sweep before a size whose run would
	// last longer, on either backend, than this, judged from the size
	// before by the work each does (0: no limit).
	MaxRunTime time.Duration
	// TransferMax bounds the transfer sweep (TransferConfig.MaxBytes).
	TransferMax int
}

// Side is one backend of a crossover: the name it opens by and its
// options.
type Side struct {
	Name    string
	Options compute.Options
}

// DefaultMaxSquare is the largest gemm, gemv and transpose of a
// crossover sweep: gemm 4096 runs in a fraction of a second on a
// many-core CPU or a GPU.
const DefaultMaxSquare = 4096

// The smallest sizes of a crossover sweep: a vector's length (and fma's
// elements), a square's side.
const CrossoverMinVector, CrossoverMinSquare = 1 << 10, 16

// maxCrossBytes caps an operand of a crossover sweep where memory does
// not: 1 GiB, as a roofline's STREAM array.
const maxCrossBytes = 1 << 30

// crossoverSizes lists the sizes of k's sweep: vectors (and fma's
// elements, at FMASteps steps) from 1Ki growing 4× (and a last 2× where
// that still fits), squares from 16 growing 2×, each fitting both devices' largest buffer (devs), half of
// the host memory free (avail, 0: unknown) for the case and the copies
// of its inputs an end-to-end timing makes, and maxCrossBytes.
func crossoverSizes(xc CrossoverConfig, k compute.Kernel, devs []compute.Device, avail uint64) []compute.Shape {
	fits := func(s compute.Shape) bool {
		p := NewProblem(k, s, xc.DType)
		var largest, in float64
		for _, name := range append(k.Inputs(), "out") {
			n := float64(p.OperandLen(name)) * float64(xc.DType.Size())
			largest = max(largest, n)
			if name != "out" {
				in += n
			}
		}
		if largest > maxCrossBytes {
			return false
		}
		for _, d := range devs {
			if d.GPU != nil && d.GPU.MaxSSBOSize > 0 && largest > float64(d.GPU.MaxSSBOSize) {
				return false
			}
		}
		return avail == 0 || hostBytes(p, xc.Config)+in <= float64(avail)/2
	}
	var out []compute.Shape
	switch k.Form() {
	case compute.VectorForm, compute.ChainForm:
		hi := xc.MaxVector
		if hi <= 0 {
			hi = maxCrossBytes
		}
		shape := func(n int) compute.Shape {
			if k.Form() == compute.ChainForm {
				return compute.Chain(n, compute.FMASteps)
			}
			return compute.Vec(n)
		}
		n := CrossoverMinVector
		for ; n <= hi && fits(shape(n)); n *= 4 {
			out = append(out, shape(n))
		}
		// The limit may lie between two steps: half the step that did
		// not fit ends the sweep where it does.
		if len(out) > 0 && n/2 <= hi && fits(shape(n/2)) {
			out = append(out, shape(n/2))
		}
	default:
		hi := xc.MaxSquare
		if hi <= 0 {
			hi = DefaultMaxSquare
		}
		for n := CrossoverMinSquare; n <= hi; n *= 2 {
			s := compute.Mat(n, n)
			if k.Form() == compute.GEMMForm {
				s = compute.MNK(n, n, n)
			}
			if !fits(s) {
				break
			}
			out = append(out, s)
		}
	}
	return out
}

// sizeOf is the plot's x of shape s: a vector's length, a square's side.
func sizeOf(s compute.Shape) int {
	if s.M > 0 {
		return s.M
	}
	return s.N
}

// Crossover sweeps each kernel over its sizes (crossoverSizes) on the
// base and the challenger, and says for each from which size the
// challenger wins, with its data on the device and end to end. Before
// the sweeps it measures both backends' transfers and dispatch latency.
// Every case is verified; a case that fails ends its kernel's sweep,
// with a note. A backend that cannot open is an error; an interruption
// returns what finished, with the error.
func Crossover(ctx context.Context, xc CrossoverConfig) (*results.Report, error) {
	if err := xc.Check(); err != nil {
		return nil, err
	}
	if len(xc.Kernels) == 0 {
		return nil, fmt.Errorf("%w: crossover needs a kernel", compute.ErrUsage)
	}
	sides := []Side{xc.Base, xc.Challenger}
	bs := make([]compute.Backend, 0, 2)
	defer func() {
		for _, b := range bs {
			b.Close()
		}
	}()
	rep := results.NewReport(xc.probe(), nil)
	// Listed at the end: a probe the run started has answered by then,
	// and one it did not need is not waited for.
	defer func() { rep.Backends = xc.Env.registry().Known(xc.Base.Options) }()
	for _, s := range sides {
		b, err := xc.Env.registry().Open(s.Name, s.Options)
		if err != nil {
			return nil, fmt.Errorf("backend %s: %w", s.Name, err)
		}
		bs = append(bs, b)
		rep.Devices = append(rep.Devices, b.Device())
	}
	labels := sideLabels(sides, rep.Devices)
	for i, d := range rep.Devices {
		if !d.Supports(xc.DType) {
			return nil, fmt.Errorf("%w: %s has no %v", compute.ErrUnsupported, labels[i], xc.DType)
		}
	}
	avail := hwinfo.AvailableMemory()
	track := newTracker(xc.Progress)
	sizes := make([][]compute.Shape, len(xc.Kernels))
	for i, k := range xc.Kernels {
		sizes[i] = crossoverSizes(xc, k, rep.Devices, avail)
		if len(sizes[i]) == 0 {
			return nil, fmt.Errorf("%w: %s: not even its smallest size fits in memory here", compute.ErrTooLarge, k)
		}
		for _, s := range sizes[i] {
			track.planCases(xc.Config, []compute.Problem{NewProblem(k, s, xc.DType)}, 2)
		}
	}
	tc := TransferConfig{Config: xc.Config, MaxBytes: xc.TransferMax}
	for i, b := range bs {
		t, err := measureTransfer(ctx, tc, b, labels[i], track)
		rep.Transfers = append(rep.Transfers, t)
		if err != nil {
			rep.Complete = false
			return rep, err
		}
	}
	for i, k := range xc.Kernels {
		c, rs, err := sweep(ctx, xc, k, sizes[i], bs, labels, track)
		rep.Results = append(rep.Results, rs...)
		rep.Crossovers = append(rep.Crossovers, c)
		if err != nil {
			rep.Complete = false
			return rep, err
		}
	}
	return rep, nil
}

// sideLabels names the two sides in results: their backend names, and
// where both are the same backend, their worker counts too.
func sideLabels(sides []Side, devs []compute.Device) []string {
	labels := []string{sides[0].Name, sides[1].Name}
	if labels[0] == labels[1] {
		for i := range labels {
			labels[i] += fmt.Sprintf(" (%d workers)", devs[i].Workers)
		}
	}
	return labels
}

// sweep runs k over sizes on both backends, the challenger's cases also
// end to end where its buffers are not in host memory, and decides the
// crossover.
func sweep(ctx context.Context, xc CrossoverConfig, k compute.Kernel, sizes []compute.Shape, bs []compute.Backend, labels []string, track *tracker) (results.Crossover, []results.Result, error) {
	c := results.Crossover{Kernel: k, DType: xc.DType, Base: labels[0], Challenger: labels[1]}
	var out []results.Result
	var prev *results.CrossPoint
	for j, s := range sizes {
		p := NewProblem(k, s, xc.DType)
		if err := ctx.Err(); err != nil {
			return c, out, fmt.Errorf("crossover of %s interrupted: %w", k, err)
		}
		pt := results.CrossPoint{Shape: s.Format(k), Size: sizeOf(s), Work: work(p), Verified: true}
		for i, b := range bs {
			dev := b.Device()
			cfg := xc.Config
			cfg.EndToEnd = dev.GPU != nil
			track.start(p.String(), labels[i])
			if cfg.Journal != nil {
				cfg.Journal.Start(p, labels[i], dev)
			}
			r, err := runCase(ctx, b, dev, labels[i], p, cfg)
			track.finish(Cost(p, cfg))
			if errors.Is(err, errInterrupted) {
				return c, out, fmt.Errorf("crossover of %s interrupted: %w", k, context.Canceled)
			}
			if cfg.Journal != nil {
				cfg.Journal.End(p, labels[i], r)
			}
			out = append(out, r)
			if r.Failed() || r.Skipped != "" {
				pt.Verified = false
				c.Notes = append(c.Notes, fmt.Sprintf("%s on %s failed, and ends the sweep: %s%s", p, labels[i], r.Err, r.Mismatch))
			}
			e2e := r.EndToEndNs
			if !cfg.EndToEnd {
				e2e = r.MedianNs
			}
			if i == 0 {
				pt.BaseNs, pt.BaseE2ENs = r.MedianNs, e2e
			} else {
				pt.ChallengerNs, pt.ChallengerE2E = r.MedianNs, e2e
			}
		}
		c.Points = append(c.Points, pt)
		rest := sizes[j+1:]
		if !pt.Verified {
			skip(track, xc, k, rest)
			break
		}
		if len(rest) > 0 && xc.MaxRunTime > 0 {
			next := work(NewProblem(k, rest[0], xc.DType))
			if t := predictRun(prev, &pt, next); t > float64(xc.MaxRunTime.Nanoseconds()) {
				d := time.Duration(t)
				d = d.Round(max(d/100, time.Microsecond)) // two or three digits
				c.Notes = append(c.Notes, fmt.Sprintf("stopped before %s: a run would take about %s, beyond the %s a run may take",
					rest[0].Format(k), d, xc.MaxRunTime))
				skip(track, xc, k, rest)
				break
			}
		}
		prev = &c.Points[len(c.Points)-1]
	}
	c.Decide()
	return c, out, nil
}

// predictRun is the longest time a run at work next is expected to take,
// on either backend, kernel only or end to end, from the two sizes
// before it: a line through them, a fixed cost and a cost per unit of
// work, so that a GPU's start-up cost, which does not grow, does not end
// a sweep early. From last alone it is last's time: one size does not
// tell the fixed cost from the rest.
func predictRun(prev, last *results.CrossPoint, next float64) float64 {
	var t float64
	times := func(p *results.CrossPoint) [4]float64 {
		return [4]float64{p.BaseNs, p.BaseE2ENs, p.ChallengerNs, p.ChallengerE2E}
	}
	lt := times(last)
	for i, y := range lt {
		if prev == nil || last.Work <= prev.Work {
			t = max(t, y)
			continue
		}
		slope := max((y-times(prev)[i])/(last.Work-prev.Work), 0)
		t = max(t, y+slope*(next-last.Work))
	}
	return t
}

// work is what a run of p's time grows with: its FLOPs, or its bytes for
// a kernel that does none.
func work(p compute.Problem) float64 {
	if f := p.Flops(); f > 0 {
		return f
	}
	return p.Bytes()
}

// skip takes the sizes a sweep will not run out of the tracker's total.
func skip(t *tracker, xc CrossoverConfig, k compute.Kernel, sizes []compute.Shape) {
	for _, s := range sizes {
		t.plan(-2, -2*Cost(NewProblem(k, s, xc.DType), xc.Config))
	}
}
