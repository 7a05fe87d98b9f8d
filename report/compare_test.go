package report

import (
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// TestComparisonLabels: the ratio column says it is a speed, a case
// missing from a file lists the files it is in plainly ("[0]", not Go's
// "[[0]]"), and the legend says which way the ratio reads.
func TestComparisonLabels(t *testing.T) {
	res := func(kernel compute.Kernel, ns float64) results.Result {
		return results.Result{Kernel: kernel, Backend: "cpu", Shape: results.ShapeOf(compute.Vec(8)), DType: compute.Float32, Verified: true,
			MedianNs: ns, MinNs: ns, MaxNs: ns}
	}
	a := &results.Report{Results: []results.Result{res(compute.Dot, 200), res(compute.Sum, 100)}}
	b := &results.Report{Results: []results.Result{res(compute.Dot, 100)}}
	reps := []*results.Report{a, b}
	var out strings.Builder
	Comparison(&out, []string{"a.json", "b.json"}, reps, results.Compare(reps))
	got := out.String()
	for _, want := range []string{"[1] SPEED", "2.00x", "sum/cpu/8/float32  only in [0]\n", "twice as fast"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "[[") {
		t.Errorf("a list printed as a Go slice:\n%s", got)
	}
}
