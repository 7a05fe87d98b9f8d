package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/report"
	"github.com/gpubench/gpubench/results"
)

// crossoverOptions are the flags of 'gpubench crossover'.
type crossoverOptions struct {
	run                *runOptions
	out, from          string
	maxSize, maxSquare string
	maxTransfer        string
	maxRunTime         time.Duration
}

func newCrossover(stdout, stderr io.Writer, g *globals) *cobra.Command {
	o := &crossoverOptions{run: defaultRunOptions(g), maxSquare: "4096", maxRunTime: 2 * time.Second}
	o.run.backends, o.run.kernels = []string{"cpu", "gl"}, []string{"saxpy", "gemm"}
	o.run.reps, o.run.warmup, o.run.minWarm = 5, 1, 10*time.Millisecond
	cmd := &cobra.Command{
		Use:   "crossover",
		Short: "Find the size from which the GPU beats the CPU, with and without the copies",
		Long: `crossover sweeps each kernel over sizes (vector kernels from 1Ki growing
4× up to what memory and the GPU's largest buffer allow, gemm, gemv and
transpose squares from 16 growing 2× up to 4096) on a CPU backend and a
GPU backend, every case verified, and reports for each kernel the
smallest size from which the GPU wins at every size measured: with its
data already on the device (kernel only), and end to end, counting the
upload of the inputs and the download of the result. Where it never
wins it says "never up to N". It first measures both backends'
host↔device transfer rates and dispatch latency.

A sweep stops before a size whose run would take longer than
--max-run-time on either backend, judged from the sizes before it, and
says so. On a software renderer (llvmpipe) the answer is mostly
"never": it runs on the same CPU.`,
		Example: `  gpubench crossover --backend cpu,gl --kernel saxpy,gemm --out crossover.svg
  gpubench crossover --kernel dot --max-size 16Mi --format json > dot.json
  gpubench crossover --from dot.json --out dot.png`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCrossover(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.run.backends, "backend", o.run.backends, "two backends: the CPU one to beat, then the GPU one")
	f.StringSliceVar(&o.run.kernels, "kernel", o.run.kernels, "kernels: "+strings.Join(compute.KernelNames(), ", ")+", or all")
	f.StringVar(&o.run.dtype, "dtype", o.run.dtype, "float32 or float64")
	f.StringVar(&o.maxSize, "max-size", "", "longest vector, e.g. 16Mi (default: what memory and the GPU's largest buffer allow, up to 1 GiB an operand)")
	f.StringVar(&o.maxSquare, "max-square", o.maxSquare, "largest side of gemm, gemv and transpose")
	f.StringVar(&o.maxTransfer, "max-transfer", "256Mi", "largest copy of the transfer sweep, in bytes")
	f.DurationVar(&o.maxRunTime, "max-run-time", o.maxRunTime, "stop a kernel's sweep before a size whose run would take longer (0: no limit)")
	f.StringVar(&o.out, "out", "", "draw the plot of time against size, both backends, the crossover marked, to FILE (.svg or .png); the results go to stdout (--format json)")
	addFormat(cmd, &o.run.format, "output: table or json", false, report.FormatTable, report.FormatJSON)
	f.StringVar(&o.from, "from", "", "measure nothing: print and plot the crossover of a results file written by --format json")
	f.Uint64Var(&o.run.seed, "seed", o.run.seed, "seed of the inputs")
	f.StringVar(&o.run.verify, "verify", o.run.verify, "auto, full or sample (see run)")
	addTimingFlags(f, o.run)
	return cmd
}

// config turns the flags into the harness's configuration.
func (o *crossoverOptions) config() (harness.CrossoverConfig, error) {
	var xc harness.CrossoverConfig
	r := o.run
	if r.dtype == "all" {
		return xc, fmt.Errorf("%w: --dtype all: a crossover takes one dtype, float32 or float64", compute.ErrUsage)
	}
	if o.maxRunTime < 0 {
		return xc, fmt.Errorf("%w: --max-run-time %v: use 0 (no limit) or more", compute.ErrUsage, o.maxRunTime)
	}
	dtypes, cfg, err := r.harnessConfig()
	if err != nil {
		return xc, err
	}
	var names []string
	for _, b := range r.backends {
		if b = strings.TrimSpace(b); b != "" {
			names = append(names, b)
		}
	}
	if len(names) != 2 {
		return xc, fmt.Errorf("%w: --backend %s: name two backends, the CPU one to beat and the GPU one, e.g. cpu,gl", compute.ErrUsage, strings.Join(r.backends, ","))
	}
	backends, err := cfg.Env.Registry.ResolveBackends(names, cfg.Options)
	if err != nil {
		return xc, err
	}
	if len(backends) != 2 {
		return xc, fmt.Errorf("%w: --backend %s: name two backends, not a group or one twice", compute.ErrUsage, strings.Join(names, ","))
	}
	if xc.Kernels, err = parseKernels(r.kernels); err != nil {
		return xc, err
	}
	for _, s := range []struct {
		flag, v string
		dst     *int
	}{{"--max-size", o.maxSize, &xc.MaxVector}, {"--max-square", o.maxSquare, &xc.MaxSquare}, {"--max-transfer", o.maxTransfer, &xc.TransferMax}} {
		if s.v == "" {
			continue
		}
		n, err := compute.ParseDim(s.v)
		if err != nil {
			return xc, fmt.Errorf("%s: %w", s.flag, err)
		}
		*s.dst = n
	}
	if err := belowSmallest(xc); err != nil {
		return xc, err
	}
	xc.Config, xc.DType, xc.MaxRunTime = cfg, dtypes[0], o.maxRunTime
	xc.Base = harness.Side{Name: backends[0], Options: cfg.Options}
	xc.Challenger = harness.Side{Name: backends[1], Options: cfg.Options}
	return xc, nil
}

// belowSmallest refuses a --max-size or --max-square below the
// smallest size of a sweep of one of xc's kernels: nothing would be left
// to measure, and memory is not why.
func belowSmallest(xc harness.CrossoverConfig) error {
	for _, k := range xc.Kernels {
		switch k.Form() {
		case compute.VectorForm, compute.ChainForm:
			if xc.MaxVector > 0 && xc.MaxVector < harness.CrossoverMinVector {
				return fmt.Errorf("%w: --max-size %d is below the smallest size of %s's sweep, %d: use %[4]d or more",
					compute.ErrUsage, xc.MaxVector, k, harness.CrossoverMinVector)
			}
		default:
			if xc.MaxSquare > 0 && xc.MaxSquare < harness.CrossoverMinSquare {
				return fmt.Errorf("%w: --max-square %d is below the smallest side of %s's sweep, %d: use %[4]d or more",
					compute.ErrUsage, xc.MaxSquare, k, harness.CrossoverMinSquare)
			}
		}
	}
	return nil
}

// parseKernels reads a --kernel list: names of the catalogue, or all.
func parseKernels(names []string) ([]compute.Kernel, error) {
	var ks []compute.Kernel
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "all" {
			ks = append(ks, compute.Kernels()...)
			continue
		}
		k, err := compute.ParseKernel(name)
		if err != nil {
			return nil, err
		}
		ks = append(ks, k)
	}
	if len(ks) == 0 {
		return nil, fmt.Errorf("%w: --kernel names no kernel: use %s, or all", compute.ErrUsage, strings.Join(compute.KernelNames(), ", "))
	}
	return ks, nil
}

func runCrossover(ctx context.Context, o *crossoverOptions, stdout, stderr io.Writer) error {
	if o.out != "" {
		if err := checkPlotPath(o.out); err != nil {
			return err
		}
	}
	if o.from != "" {
		rep, err := results.LoadReport(o.from)
		if err != nil {
			return err
		}
		if len(rep.Crossovers) == 0 {
			return fmt.Errorf("%w: %s holds no crossover: write one with 'gpubench crossover --format json'", compute.ErrUsage, o.from)
		}
		return writeCrossover(stdout, o, rep)
	}
	if o.run.g.sup.supervises(o.run.backends) {
		lost, err := o.run.g.sup.superviseCommand("crossover", stdout, stderr)
		if lost != "" {
			return fmt.Errorf("%w: %s: a crossover needs both backends, so nothing is measured again", compute.ErrDeviceLost, lost)
		}
		return err
	}
	xc, err := o.config()
	if err != nil {
		return err
	}
	if j, err := o.run.g.sup.commandChild(&xc.Config); err != nil {
		return err
	} else if j != nil {
		defer j.done()
	}
	if err := probeNamed(xc.Env.Registry, []string{xc.Base.Name, xc.Challenger.Name}, xc.Options); err != nil {
		return err
	}
	pr := o.run.progress(stderr)
	xc.Progress = pr.updater()
	rep, runErr := harness.Crossover(ctx, xc)
	pr.stop()
	if rep == nil {
		return runErr
	}
	if err := writeCrossover(stdout, o, rep); err != nil {
		return err
	}
	return measured(ctx, rep, runErr, "case(s) failed verification")
}

// measured is the outcome of a measuring command that has printed what
// it got: the harness's error, an interruption (exit 1, the output
// holding what finished), or the cases of rep that did not verify
// (exit 1), named after failed, which says what they are.
func measured(ctx context.Context, rep *results.Report, runErr error, failed string) error {
	if runErr != nil {
		if ctx.Err() != nil {
			return &exitError{exitMismatch, errors.New("interrupted: the output holds what finished")}
		}
		return runErr
	}
	if bad := failedCases(rep); len(bad) > 0 {
		return &exitError{exitMismatch, fmt.Errorf("%d %s: %s", len(bad), failed, strings.Join(bad, ", "))}
	}
	return nil
}

// writeCrossover plots rep to o.out, then prints it as o.run.format
// asks: the plot first, so that a closed pipe or a full disk on stdout
// loses nothing.
func writeCrossover(stdout io.Writer, o *crossoverOptions, rep *results.Report) error {
	var plotErr error
	if o.out != "" && len(rep.Crossovers) > 0 {
		if err := report.PlotCrossover(o.out, rep.Crossovers); err != nil {
			plotErr = fmt.Errorf("--out %s: %w", o.out, err)
		}
	}
	if err := writeStdout(stdout, func(w io.Writer) error {
		if o.run.format == report.FormatJSON {
			return report.JSON(w, rep)
		}
		report.CrossoverTable(w, rep)
		return nil
	}); err != nil {
		return err
	}
	return plotErr
}
