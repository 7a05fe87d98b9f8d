package report

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// caseRow is one case of a report as the table, CSV and benchfmt list
// it: a kernel's, or a transfer's (upload, download, latency), named
// and sized from its typed fields.
type caseRow struct {
	// name is the kernel's or the direction's: "gemm", "upload".
	name string
	// shape is the size as the results file writes it, keys as the
	// key=value parts of a benchmark name.
	shape, keys string
	transfer    bool
	// r is the measurement; its Kernel and Shape are not read.
	r results.Result
}

// caseRows lists rep's cases in the order its file does: each
// transfer's cases, then the kernels'.
func caseRows(rep *results.Report) []caseRow {
	var out []caseRow
	for _, t := range rep.Transfers {
		for _, c := range t.Cases {
			out = append(out, caseRow{name: c.Direction.String(), shape: fmt.Sprint(c.N), keys: fmt.Sprintf("n=%d", c.N), transfer: true,
				r: results.Result{Backend: c.Backend, Device: c.Device, Level: c.Level, DType: c.DType, Software: c.Software,
					Verified: c.Verified, Checked: c.Checked, Elements: c.Elements, Mismatch: c.Mismatch, Err: c.Err,
					Reps: c.Reps, Inner: c.Inner, MedianNs: c.MedianNs, MinNs: c.MinNs, MaxNs: c.MaxNs, CV: c.CV,
					TimesNs: c.TimesNs, Bytes: c.Bytes, GBps: c.GBps}})
		}
	}
	for _, r := range rep.Results {
		out = append(out, caseRow{name: r.Kernel.String(), shape: r.Shape.String(), keys: shapeKeys(r.Kernel, r.Shape.Shape), r: r})
	}
	return out
}

// shapeKeys writes s, a shape of kernel k, as the key=value parts of a
// benchmark name: n= for a vector, m=/n= for gemv and transpose,
// m=/n=/k= for gemm, n=/k= for fma.
func shapeKeys(k compute.Kernel, s compute.Shape) string {
	switch k.Form() {
	case compute.VectorForm:
		return fmt.Sprintf("n=%d", s.N)
	case compute.MatrixForm:
		return fmt.Sprintf("m=%d/n=%d", s.M, s.N)
	case compute.ChainForm:
		return fmt.Sprintf("n=%d/k=%d", s.N, s.K)
	}
	return fmt.Sprintf("m=%d/n=%d/k=%d", s.M, s.N, s.K)
}
