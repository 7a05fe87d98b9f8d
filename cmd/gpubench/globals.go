package main

import (
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/hwinfo"
)

// globals are the settings every command shares: bound once, on the
// root's persistent flags, and read by every command through the one
// value newRoot makes.
type globals struct {
	// env holds the backends (newBackends) and what the harness takes
	// from the process.
	env *harness.Env
	// workers and device are compute.Options' Workers and Device.
	workers, device int
	// quiet draws no progress line; debug keeps the stacks of recovered
	// panics in the results.
	quiet, debug bool
	// cpuDisable is --cpu-disable as given; disable, the levels it holds
	// off as compute.Options.Disable takes them (set by prepare).
	cpuDisable, disable []string
	// version is --version: print the version and do nothing else.
	version bool
	// long is --long: allow a measurement estimated to take more than
	// a day (harness.Config.Long).
	long bool
	// stderr is where notes go that no command's output holds (set by
	// prepare); noted is set once they have gone (notes).
	stderr io.Writer
	noted  bool
	// sup is how a run that may open gl is supervised (supervision); nil
	// for a command run inside another program (a test), which is never
	// supervised.
	sup *supervision
}

// bind adds the global flags to f (the root's persistent flags). With
// --cpu-disable every command opens the cpu backend at the best level
// left (through compute.Options.Disable), finds the disabled levels' own
// backends unavailable, and describes the machine without their
// features (globals.probe), as cpuid's own -cpu.disable does. Nothing
// global changes.
func (g *globals) bind(f *pflag.FlagSet) {
	f.IntVar(&g.workers, "workers", 0, "CPU worker threads (0: one per logical CPU, GOMAXPROCS, or under a cgroup CPU quota the quota rounded up)")
	f.IntVar(&g.device, "device", -1, "GPU to use, by index from 'gpubench list --devices' (-1: the backend's choice)")
	f.BoolVarP(&g.quiet, "quiet", "q", false, "print no progress")
	f.BoolVar(&g.debug, "debug", false, "keep stack traces of recovered panics in the results")
	f.BoolVar(&g.long, "long", false, "allow a measurement whose settings make it take more than a day (refused otherwise, with the estimate)")
	f.StringSliceVar(&g.cpuDisable, "cpu-disable", nil,
		"CPU SIMD levels to hold off, e.g. avx512 or avx512,avx2: the cpu backend runs the best level left")
}

// prepare reads the global flags before any command runs: the levels
// --cpu-disable names, and the options every backend opens with, checked
// where compute checks them (compute.Options.Check), so that every
// command refuses a bad --workers or --device alike.
func (g *globals) prepare(cmd *cobra.Command, _ []string) error {
	g.stderr = cmd.ErrOrStderr()
	if g.version {
		return nil // --version prints the version whatever else is given
	}
	ls, err := cpu.ParseDisable(g.cpuDisable)
	if err != nil {
		return err
	}
	g.disable = ls
	return g.options().Check()
}

// options are the backends' options the global flags give. Without
// --workers, a cgroup CPU quota below the CPUs sets the workers to the
// CPUs' worth it allows, rounded up (hwinfo.CPU.QuotaWorkers): Go's own
// GOMAXPROCS counts at least 2 under any quota.
func (g *globals) options() compute.Options {
	w := g.workers
	if w == 0 {
		cpu := hwinfo.DescribeCPU()
		w = cpu.QuotaWorkers()
	}
	return compute.Options{Workers: w, Device: g.device, Disable: g.disable}
}

// notes is stderr the first time it is asked for, then nil: notes about
// the machine go out once however often a command probes it.
func (g *globals) notes() io.Writer {
	if g.noted {
		return nil
	}
	g.noted = true
	return g.stderr
}
