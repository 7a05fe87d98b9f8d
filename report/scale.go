package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/gpubench/gpubench/results"
)

// ScaleTable prints a scaling sweep: each worker count's time, rates,
// speedup and efficiency, and the fit of Amdahl's or Gustafson's law.
func ScaleTable(w io.Writer, sr *results.ScaleReport) {
	w = PrintableTo(w)
	view := "strong scaling (fixed size)"
	if sr.Weak {
		view = "weak scaling (size grows with workers)"
	}
	fmt.Fprintf(w, "%s %s on %s, %s\n\n", sr.Kernel, sr.DType, sr.Backend, view)
	rows := [][]string{{"WORKERS", "SHAPE", "TIME", "GFLOP/S", "GB/S", "SPEEDUP", "EFFICIENCY"}}
	for _, p := range sr.Points {
		r := p.Result
		t := formatDuration(r.MedianNs)
		if r.CV > noisyCV {
			t += "~"
		}
		rows = append(rows, []string{strconv.Itoa(p.Workers), p.Shape, t, formatRate(r.GFLOPS, r.Flops),
			formatRate(r.GBps, r.Bytes), fixed(p.Speedup, 2) + "x", fixed(100*p.Efficiency, 0) + "%"})
	}
	Aligned(w, rows, []bool{true, true, true, true, true, true, true})
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
