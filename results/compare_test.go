package results

import (
	"errors"
	"io"
	"runtime"
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
	if _, err := ReadReport(strings.NewReader(`{"schema_version": 1, "results": []}`), "ok.json"); err != nil {
		t.Errorf("a minimal report: %v", err)
	}
}

// TestReadReportRefusesWhatIsNotOneReport: a good file with more after
// it, two files joined, an object without results, another of
// gpubench's outputs and JSON of another shape are refused, each with a
// message that says which it is.
func TestReadReportRefusesWhatIsNotOneReport(t *testing.T) {
	good := string(goldenResults(t)["v1.json"])
	cases := []struct{ name, src, want string }{
		{"garbage after", good + "garbage\n", "holds more after its JSON object"},
		{"brace after", good + "}", "holds more after its JSON object"},
		{"two joined", good + good, "two files joined"},
		{"two on a line", `{"schema_version":1,"results":[]}{"schema_version":1,"results":[]}`, "at offset 33"},
		{"no results", `{"schema_version":1}`, `it has no "results"`},
		{"info", `{"probe":{"cpu":{}},"build":{},"backends":[],"devices":[],"measured_fma_gflops":{}}`, "info.json is the JSON output of gpubench info, not a results file"},
		{"list", `{"kernels":[],"backends":[]}`, "is the JSON output of gpubench list"},
		{"compare", `{"files":[],"cases":[],"partial":[]}`, "is the JSON output of gpubench compare"},
		{"scale", `{"kernel":"dot","dtype":"float32","backend":"cpu","weak":false,"points":[]}`, "is the JSON output of gpubench scale"},
		{"other object", `{"name":"x"}`, "it has no schema_version"},
		{"array", `[1, 2]`, "it holds a JSON array, where a results file holds an object"},
		{"null", `null`, "it holds JSON null"},
		{"number", `42`, "it holds a JSON number"},
		{"wrong type", `{"schema_version": "one"}`, `field "schema_version" holds a string where a results file has a number`},
		{"kernel a number", `{"schema_version": 1, "results": [{"kernel": 3}]}`, `field "kernel" holds a number where a results file has a string`},
		{"huge version", `{"schema_version": 1e400, "results": []}`, `field "schema_version" holds the number 1e400, beyond what it can hold`},
		{"fraction version", `{"schema_version": 1.5, "results": []}`, `field "schema_version" holds the number 1.5 where a results file has a whole number, in digits only`},
		{"shape an array", `{"schema_version": 1, "results": [{"kernel": "dot", "shape": [1]}]}`, `field "shape" holds an array where a results file has a string`},
	}
	for _, c := range cases {
		_, err := ReadReport(strings.NewReader(c.src), c.name+".json")
		if !errors.Is(err, compute.ErrUsage) || !strings.Contains(err.Error(), c.name+".json") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want ErrUsage saying %q", c.name, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "  ") || strings.Contains(err.Error(), " a array") || strings.Contains(err.Error(), " a object") || strings.Contains(err.Error(), "field \"\"")) {
			t.Errorf("%s: %q: a double space or a wrong article", c.name, err)
		}
	}
	for name, src := range map[string]string{
		"white space after the object": good + "\n\n  \n",
		"a run that finished no case":  `{"schema_version":1,"results":null}`,
	} {
		if _, err := ReadReport(strings.NewReader(src), "ok.json"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
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

// spaces is a reader of n spaces, made as they are read.
type spaces struct{ n int64 }

func (s *spaces) Read(p []byte) (int, error) {
	if s.n == 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), s.n)
	for i := range p[:k] {
		p[i] = ' '
	}
	s.n -= k
	return int(k), nil
}

// TestReadReportWhiteSpaceInLittleMemory: white space before or after a
// results file's object, however much, is read through, not held: a file
// of 256 MiB of spaces is refused as empty, and a good file followed by
// as much is read, each with a few MiB allocated (it was the file's size
// several times over, and a Go fatal error under a memory limit).
func TestReadReportWhiteSpaceInLittleMemory(t *testing.T) {
	const n = 256 << 20
	good := string(goldenResults(t)["v1.json"])
	for name, r := range map[string]func() io.Reader{
		"spaces":           func() io.Reader { return &spaces{n} },
		"spaces before":    func() io.Reader { return io.MultiReader(&spaces{n}, strings.NewReader(good)) },
		"a file and after": func() io.Reader { return io.MultiReader(strings.NewReader(good), &spaces{n}) },
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ReadReport(r(), "ws.json")
		runtime.ReadMemStats(&after)
		if name == "spaces" && (err == nil || !strings.Contains(err.Error(), "is empty")) {
			t.Errorf("%s: %v, want it empty", name, err)
		} else if name != "spaces" && err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
			t.Errorf("%s: %d MiB allocated to read 256 MiB of white space", name, got>>20)
		}
	}
}
