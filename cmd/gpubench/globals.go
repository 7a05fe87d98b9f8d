package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu"
	"github.com/gpubench/gpubench/harness"
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
	f.IntVar(&g.workers, "workers", 0, "CPU worker threads (0: one per logical CPU, GOMAXPROCS)")
	f.IntVar(&g.device, "device", -1, "GPU to use, by index from 'gpubench list --devices' (-1: the backend's choice)")
	f.BoolVarP(&g.quiet, "quiet", "q", false, "print no progress")
	f.BoolVar(&g.debug, "debug", false, "keep stack traces of recovered panics in the results")
	f.StringSliceVar(&g.cpuDisable, "cpu-disable", nil,
		"CPU SIMD levels to hold off, e.g. avx512 or avx512,avx2: the cpu backend runs the best level left")
}

// prepare reads the global flags before any command runs: the levels
// --cpu-disable names, and the options every backend opens with, checked
// where compute checks them (compute.Options.Check), so that every
// command refuses a bad --workers or --device alike.
func (g *globals) prepare(*cobra.Command, []string) error {
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

// options are the backends' options the global flags give.
func (g *globals) options() compute.Options {
	return compute.Options{Workers: g.workers, Device: g.device, Disable: g.disable}
}
