package results

import (
	"errors"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

func TestReadReportRefuses(t *testing.T) {
	cases := map[string]string{
		"empty":     "",
		"truncated": `{"schema_version": 1, "results": [{"kernel": "dot"`,
		"not json":  "kernel,backend\ndot,cpu\n",
		"schema":    `{"schema_version": 99, "results": []}`,
		"wrong":     `{"schema_version": "one"}`,
	}
	for name, src := range cases {
		if _, err := ReadReport(strings.NewReader(src), name+".json"); !errors.Is(err, compute.ErrUsage) || !strings.Contains(err.Error(), name+".json") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ReadReport(strings.NewReader(`{"schema_version": 1}`), "ok.json"); err != nil {
		t.Errorf("a minimal report: %v", err)
	}
}

func TestCompare(t *testing.T) {
	r := func(kernel compute.Kernel, med, lo, hi float64) Result {
		return Result{Kernel: kernel, Backend: "cpu", Shape: ShapeOf(compute.Vec(8)), DType: compute.Float32, Verified: true, MedianNs: med, MinNs: lo, MaxNs: hi}
	}
	a := &Report{Results: []Result{r(compute.Dot, 100, 90, 110), r(compute.Sum, 100, 95, 105), r(compute.Copy, 10, 10, 10)}}
	b := &Report{Results: []Result{r(compute.Dot, 50, 45, 55), r(compute.Sum, 98, 90, 101), r(compute.Add, 1, 1, 1)}}
	c := Compare([]*Report{a, b})
	if len(c.Rows) != 2 || len(c.Partial) != 2 {
		t.Fatalf("rows %d partial %d, want 2 and 2", len(c.Rows), len(c.Partial))
	}
	dot, sum := c.Rows[0], c.Rows[1]
	if dot.Key.Kernel != compute.Dot || dot.Key.String() != "dot/cpu/8/float32" || dot.Ratio[1] != 2 || dot.Noise[1] {
		t.Errorf("dot: %+v", dot)
	}
	if sum.Ratio[1] != 100.0/98 || !sum.Noise[1] {
		t.Errorf("sum within noise: %+v", sum)
	}
	if c.Partial[0].Key.Kernel != compute.Copy || c.Partial[0].Times[1] != nil || c.Partial[1].Times[0] != nil {
		t.Errorf("partial: %+v", c.Partial)
	}
}
