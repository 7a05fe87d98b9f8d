package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/report"
)

func newScale(stdout io.Writer, g *globals) *cobra.Command {
	o := defaultRunOptions(g)
	o.backends = []string{"cpu"}
	var kernel, size, workers, plotOut string
	var weak bool
	cmd := &cobra.Command{
		Use:   "scale",
		Short: "Measure how a CPU kernel speeds up with workers, and fit Amdahl's law",
		Long: `scale runs one kernel with 1, 2, … N workers and reports time, speedup
and efficiency for each, then fits Amdahl's law T(N) = T₁·(p + (1−p)/N):
the serial fraction p (with a 95 % interval from the repetitions), the
speedup it predicts at 2× and 4× this machine's cores, and the limit 1/p.
With --weak the problem grows with the workers (Gustafson's view).

--format json prints the same as JSON: each point's time, speedup and
efficiency, and the fit. --out draws a plot of speedup against workers;
scale writes no results file.`,
		Example: `  gpubench scale --kernel gemm --size 1024
  gpubench scale --kernel saxpy --size 16Mi --workers 1,2,4,8 --out scale.svg
  gpubench scale --kernel dot --size 4Mi --weak --format json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := compute.ParseKernel(kernel); err != nil {
				return err
			}
			ws, err := parseWorkers(workers)
			if err != nil {
				return err
			}
			o.kernels, o.sizes = []string{kernel}, []string{size}
			if size == "" {
				o.sizes = nil
			}
			_, cases, cfg, err := o.plan()
			if err != nil {
				return err
			}
			if len(cases) != 1 {
				return fmt.Errorf("%w: scale takes one size and one dtype", compute.ErrUsage)
			}
			if plotOut != "" {
				if err := checkPlotPath(plotOut); err != nil {
					return err
				}
			}
			// harness.Scale does not check its configuration as the
			// other measurements do.
			if err := cfg.Check(); err != nil {
				return err
			}
			cfg.Abandon = abandonOf(cmd.Context())
			sr, err := harness.Scale(cmd.Context(), cfg, o.backends[0], cases[0], ws, weak)
			interrupted := err != nil && cmd.Context().Err() != nil && sr != nil
			if err != nil && !interrupted {
				return err
			}
			// The plot first: a closed pipe or a full disk on stdout then
			// loses nothing.
			var plotErr error
			if plotOut != "" {
				if err := report.PlotScale(plotOut, sr); err != nil {
					plotErr = fmt.Errorf("--out %s: %w", plotOut, err)
				}
			}
			if err := writeStdout(stdout, func(w io.Writer) error {
				if o.format == report.FormatJSON {
					return report.JSON(w, sr)
				}
				report.ScaleTable(w, sr)
				return nil
			}); err != nil {
				return err
			}
			if interrupted {
				// The worker counts that finished are printed.
				return &exitError{exitMismatch, errors.New("interrupted: the output holds what finished")}
			}
			return plotErr
		},
	}
	f := cmd.Flags()
	f.StringVar(&kernel, "kernel", compute.Gemm.String(), "kernel to scale")
	f.StringVar(&size, "size", "", "problem size (default: the kernel's quick size)")
	f.StringVar(&workers, "workers", "", "worker counts to sweep (in place of the global --workers): a list like 1,2,4, or max for 1…GOMAXPROCS (default: 1…GOMAXPROCS)")
	f.BoolVar(&weak, "weak", false, "grow the problem with the workers (Gustafson)")
	f.StringVar(&plotOut, "out", "", "draw the plot of speedup against workers to FILE (.svg or .png); the results go to stdout (--format json)")
	addFormat(cmd, &o.format, "output: table or json", false, report.FormatTable, report.FormatJSON)
	f.StringVar(&o.dtype, "dtype", o.dtype, "float32 or float64")
	f.IntVar(&o.reps, "reps", o.reps, "timed repetitions per worker count")
	f.StringSliceVar(&o.backends, "backend", o.backends, "a CPU backend (cpu, or cpu/<level>)")
	return cmd
}

// parseWorkers reads "1,2,4" or "max"; empty means 1…GOMAXPROCS. 1 is
// always included: it is the baseline. Each count is a point of the
// sweep, so at least 1; the upper bound is compute.Options.Check's.
func parseWorkers(s string) ([]int, error) {
	procs := runtime.GOMAXPROCS(0)
	if s == "" || s == "max" {
		ws := make([]int, procs)
		for i := range ws {
			ws[i] = i + 1
		}
		if len(ws) == 1 {
			ws = append(ws, 2)
		}
		return ws, nil
	}
	ws := []int{1}
	seen := map[int]bool{1: true}
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		n, err := strconv.Atoi(p)
		if p == "max" {
			n, err = procs, nil
		}
		// Options.Check's range starts at 0 (one per CPU), which a sweep's
		// point cannot take: the sweep says its own.
		if err != nil || n < 1 || n > compute.MaxWorkers {
			return nil, fmt.Errorf("%w: --workers %s: give counts from 1 to %d, or max", compute.ErrUsage, p, compute.MaxWorkers)
		}
		if !seen[n] {
			seen[n] = true
			ws = append(ws, n)
		}
	}
	return ws, nil
}
