package harness

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// caseEnd says how a case ended: it finished (passed or not), ctx cut it
// short, or Config.Abandon left it running.
type caseEnd int

const (
	caseDone caseEnd = iota
	caseInterrupted
	caseAbandoned
)

// errInterrupted is what measure returns where ctx stopped it.
var errInterrupted = errors.New("interrupted")

// runWatched runs one case (runCase) on a goroutine of its own and waits for
// it, or for cfg.Abandon: then it returns at once, the case left running
// (a kernel call or a check cannot be cut short) and its backend in use,
// so the caller must not close it. A case that ctx cut short, or that
// was abandoned, is not a result: the caller leaves it out. err is the
// case's own error, nil where it ran (whether or not it verified).
func runWatched(ctx context.Context, b compute.Backend, dev compute.Device, name string, p compute.Problem, cfg Config) (results.Result, caseEnd, error) {
	type outcome struct {
		r   results.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		r, err := runCase(ctx, b, dev, name, p, cfg)
		done <- outcome{r, err}
	}()
	select {
	case o := <-done:
		if errors.Is(o.err, errInterrupted) {
			return o.r, caseInterrupted, o.err
		}
		return o.r, caseDone, o.err
	case <-cfg.Abandon:
		return results.Result{}, caseAbandoned, errInterrupted
	}
}

// runCase measures one case on b, opened as the backend name (auto's
// choice for auto), turning a panic inside the backend into that case's
// error so that the run goes on. A case the backend does not
// run (compute.Registry.Runs, or its Run's compute.ErrUnsupported) or whose dtype
// its device lacks is unsupported: Skipped says why, and it neither
// passes nor fails. The error returned is the one that stopped the case
// (nil where it ran to its check), so that the caller can tell a lost
// device or an unwritable dump from a wrong result.
func runCase(ctx context.Context, b compute.Backend, dev compute.Device, name string, p compute.Problem, cfg Config) (r results.Result, err error) {
	r = results.NewResult(p, name, dev)
	switch {
	case !cfg.Env.registry().Runs(name, p.Kernel):
		r.Skipped = fmt.Sprintf("%s does not run %v", name, p.Kernel)
		return r, nil
	case !dev.Supports(p.DType):
		r.Skipped = fmt.Sprintf("%s has no %v support", dev.Name, p.DType)
		return r, nil
	}
	defer func() {
		if e := recover(); e != nil {
			r.Verified = false
			r.Err = fmt.Sprintf("panic: %v", e)
			err = errors.New(r.Err)
			if cfg.Debug {
				r.Err += "\n" + string(debug.Stack())
			}
		}
	}()
	stop := new(atomic.Bool)
	defer context.AfterFunc(ctx, func() { stop.Store(true) })()
	stop.Store(ctx.Err() != nil) // AfterFunc's f runs on a goroutine of its own
	r.Resident = Resident(p, dev, cfg.probe())
	cfg.Env.awaitSettled(name)
	err = measure(stop, b, dev, p, cfg, &r)
	cfg.Env.markBusy(name)
	if bw := bandwidthOf(cfg.Bandwidths, name, dev); bw > 0 {
		r.SetPeak(dev.PeakGFLOPS[p.DType], bw)
		r.ConfirmL3(bw)
	}
	switch {
	case errors.Is(err, compute.ErrUnsupported):
		r.Verified, r.Skipped = false, err.Error()
		err = nil
	case err != nil:
		r.Verified = false
		r.Err = err.Error()
	}
	r.CheckPhysics(dev.PeakGFLOPS[p.DType])
	if hostBytes(p, cfg) >= freeAfterBytes {
		debug.FreeOSMemory()
	}
	return r, err
}

// failed is the result of p on a backend that could not open.
func failed(p compute.Problem, backend string, err error) results.Result {
	r := results.NewResult(p, backend, compute.Device{})
	r.Err = err.Error()
	return r
}

// runLevel reports whether a case's error concerns the whole run, not
// the case alone: a device that was lost, or a dump that could not be
// written. Run returns such errors, so that a command can say so in its
// exit code.
func runLevel(err error) bool {
	return errors.Is(err, compute.ErrDeviceLost) || errors.Is(err, results.ErrWrite)
}

// Journal hears of the cases of a run as each starts and ends, so that a
// caller that must carry on after the process dies (cmd's supervisor)
// knows which case was in flight and what had finished. Its calls come
// one at a time, from the goroutine that runs the cases.
type Journal interface {
	// Start is called as case p starts on the backend opened as name
	// (Config.Backends'), whose device is dev.
	Start(p compute.Problem, name string, dev compute.Device)
	// End is called with the result of a case that finished, passed or
	// not; not for a case interrupted or abandoned.
	End(p compute.Problem, name string, r results.Result)
}

// resumed is the result of p on the backend name that cfg.Resume gives.
func resumed(cfg Config, p compute.Problem, name string) (results.Result, bool) {
	if cfg.Resume == nil {
		return results.Result{}, false
	}
	return cfg.Resume(p, name)
}

// resumedAll is the result of every case on the backend name that
// cfg.Resume gives, by case; nil where it lacks any.
func resumedAll(cfg Config, name string, cases []compute.Problem) []results.Result {
	if cfg.Resume == nil {
		return nil
	}
	rs := make([]results.Result, len(cases))
	for i, c := range cases {
		r, ok := cfg.Resume(c, name)
		if !ok {
			return nil
		}
		rs[i] = r
	}
	return rs
}
