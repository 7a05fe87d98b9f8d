package main

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
)

func newScale(stdout, stderr io.Writer) *cobra.Command {
	o := defaultRunOptions()
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
With --weak the problem grows with the workers (Gustafson's view).`,
		Example: `  gpubench scale --kernel gemm --size 1024
  gpubench scale --kernel saxpy --size 16Mi --workers 1,2,4,8 --out scale.svg
  gpubench scale --kernel dot --size 4Mi --weak`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := compute.LookupKernel(kernel)
			if err != nil {
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
			sr, err := harness.Scale(cmd.Context(), cfg, o.backends[0], cases[0], ws, weak)
			if err != nil {
				return err
			}
			writeScale(stdout, k, sr)
			if plotOut != "" {
				return plotScale(plotOut, sr)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&kernel, "kernel", "gemm", "kernel to scale")
	f.StringVar(&size, "size", "", "problem size (default: the kernel's quick size)")
	f.StringVar(&workers, "workers", "", "worker counts: a list like 1,2,4, or max for 1…GOMAXPROCS (default: 1…GOMAXPROCS)")
	f.BoolVar(&weak, "weak", false, "grow the problem with the workers (Gustafson)")
	f.StringVar(&plotOut, "out", "", "plot speedup against workers to FILE (.svg or .png)")
	f.StringVar(&o.dtype, "dtype", o.dtype, "float32 or float64")
	f.IntVar(&o.reps, "reps", o.reps, "timed repetitions per worker count")
	f.StringSliceVar(&o.backends, "backend", o.backends, "a CPU backend (cpu, or cpu/<level>)")
	return cmd
}

// parseWorkers reads "1,2,4" or "max"; empty means 1…GOMAXPROCS. 1 is
// always included: it is the baseline.
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
		if err != nil || n < 1 || n > maxWorkers {
			return nil, fmt.Errorf("%w: --workers %q: give counts from 1 to %d, or max", compute.ErrUsage, p, maxWorkers)
		}
		if !seen[n] {
			seen[n] = true
			ws = append(ws, n)
		}
	}
	return ws, nil
}

func writeScale(w io.Writer, k *compute.Kernel, sr *harness.ScaleReport) {
	view := "strong scaling (fixed size)"
	if sr.Weak {
		view = "weak scaling (size grows with workers)"
	}
	fmt.Fprintf(w, "%s %s on %s, %s\n\n", k.Name, sr.DType, sr.Backend, view)
	rows := [][]string{{"WORKERS", "SHAPE", "TIME", "GFLOP/S", "GB/S", "SPEEDUP", "EFFICIENCY"}}
	for _, p := range sr.Points {
		r := p.Result
		t := formatDuration(r.MedianNs)
		if r.CV > noisyCV {
			t += "~"
		}
		rows = append(rows, []string{strconv.Itoa(p.Workers), p.Shape, t, formatRate(r.GFLOPS, r.Flops),
			formatRate(r.GBps, r.Bytes), fmt.Sprintf("%.2fx", p.Speedup), fmt.Sprintf("%.0f%%", 100*p.Efficiency)})
	}
	printAligned(w, rows, []bool{true, true, true, true, true, true, true})
	fmt.Fprintln(w)
	if a := sr.Amdahl; a != nil {
		fmt.Fprintf(w, "Amdahl fit: serial fraction p = %.3f (95%% interval %.3f–%.3f)\n", a.P, a.PLow, a.PHigh)
		c := float64(sr.CPUs)
		fmt.Fprintf(w, "predicted speedup: %.2fx at %d workers, %.2fx at %d, limit 1/p = %s\n",
			a.Speedup(2*c), 2*sr.CPUs, a.Speedup(4*c), 4*sr.CPUs, formatLimit(a.Limit()))
	}
	if g := sr.Gustafson; g != nil {
		fmt.Fprintf(w, "Gustafson fit: serial fraction α = %.3f; scaled speedup at N workers ≈ N − α·(N−1)\n", *g)
	}
	if sr.Oversubscribed {
		fmt.Fprintf(w, "note: more workers than the %d CPUs this process may use: beyond %d the workers share cores (over-subscription), so speedup cannot grow there\n", sr.CPUs, sr.CPUs)
	}
}

func formatLimit(x float64) string {
	if x > 1e6 {
		return "unbounded (p ≈ 0)"
	}
	return fmt.Sprintf("%.1fx", x)
}
