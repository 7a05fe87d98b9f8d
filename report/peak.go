package report

import (
	"fmt"
	"strings"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// FMAPeaks is the best verified fma rate of each backend and dtype in
// rep: the measured counterpart of the theoretical peak.
func FMAPeaks(rep *results.Report) map[string]map[compute.DType]float64 {
	out := map[string]map[compute.DType]float64{}
	if rep == nil {
		return out
	}
	for _, r := range rep.Results {
		if r.Kernel != compute.FMA || !r.Verified || r.GFLOPS <= 0 {
			continue
		}
		if out[r.Backend] == nil {
			out[r.Backend] = map[compute.DType]float64{}
		}
		out[r.Backend][r.DType] = max(out[r.Backend][r.DType], r.GFLOPS)
	}
	return out
}

// formatMeasured writes "fma measured 300 GFLOP/s f32 (78% of est.), …"
// for the dtypes in got, or "" where there are none.
func formatMeasured(got map[compute.DType]float64, est map[compute.DType]float64) string {
	var parts []string
	for _, dt := range compute.DTypes() {
		g, ok := got[dt]
		if !ok {
			continue
		}
		s := fmt.Sprintf("%s GFLOP/s %s", formatRate(g, 1), strings.Replace(dt.String(), "float", "f", 1))
		if e := est[dt]; e > 0 {
			s += " (" + fixed(100*g/e, 0) + "% of est.)"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return ""
	}
	return "fma measured " + strings.Join(parts, ", ")
}
