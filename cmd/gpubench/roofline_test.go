package main

import (
	"encoding/json"
	"errors"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/gl"
	"github.com/gpubench/gpubench/harness"
)

// rooflineEnv gives a test its own cache directory, so that the last
// run it reads is the one it made.
func rooflineEnv(t *testing.T) []string {
	t.Helper()
	return []string{"XDG_CACHE_HOME=" + t.TempDir(), "GPUBENCH_GL=none"}
}

// TestRunFMA: the fma kernel runs and verifies in both dtypes, and the
// table shows its measured peak next to the estimate.
func TestRunFMA(t *testing.T) {
	t.Parallel()
	env := rooflineEnv(t)
	stdout, stderr, code := gpubench(t, env, "run", "--backend", "cpu", "--kernel", "fma", "--size", "1000x300,17x1", "--dtype", "all", "--reps", "2")
	if code != 0 || strings.Count(stdout, " ok") != 4 || !strings.Contains(stdout, "1000x300") {
		t.Fatalf("run --kernel fma: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "fma measured") || !strings.Contains(stdout, "of est.") {
		t.Errorf("the device line does not show the measured fma peak:\n%s", stdout)
	}
	if _, stderr, code := gpubench(t, env, "run", "--backend", "cpu", "--kernel", "fma", "--size", "2x3x4"); code != 2 || !strings.Contains(stderr, "fma takes NxK") {
		t.Errorf("fma --size 1000: exit %d, %s", code, stderr)
	}
	stdout, _, code = gpubench(t, env, "info")
	if code != 0 || !strings.Contains(stdout, "Measured   cpu: fma measured") {
		t.Errorf("info after an fma run does not show the measured peak:\n%s", stdout)
	}
}

// TestRoofline measures a quick roofline on the CPU after a run, and
// checks the table, the SVG and PNG plots, and the JSON.
func TestRoofline(t *testing.T) {
	t.Parallel()
	env := rooflineEnv(t)
	dir := t.TempDir()
	if _, stderr, code := gpubench(t, env, "run", "--backend", "cpu", "--kernel", "triad,dot,gemv", "--reps", "2", "-q"); code != 0 {
		t.Fatalf("run: exit %d %s", code, stderr)
	}
	svg := filepath.Join(dir, "r.svg")
	stdout, stderr, code := gpubench(t, env, "roofline", "--backend", "cpu", "--quick", "--reps", "2", "--out", svg)
	if code != 0 {
		t.Fatalf("roofline: exit %d %s\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"BANDWIDTH", "PEAK (fma)", "THEORETICAL", "RIDGE", "FLOP/B", "float32", "float64", "STREAM GB/s",
		"triad", "dot", "gemv", "BOUND BY", "memory"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("roofline table lacks %q:\n%s", want, stdout)
		}
	}
	checkSVG(t, svg, "Roofline", "arithmetic intensity", "cpu float32", "cpu float64", "fma sweep", "last run's kernels", "triad cpu/32")

	png := filepath.Join(dir, "r.png")
	if _, stderr, code := gpubench(t, env, "roofline", "--backend", "cpu", "--quick", "--reps", "1", "--dtype", "float32", "--out", png, "-q"); code != 0 {
		t.Fatalf("roofline --out png: exit %d %s", code, stderr)
	}
	f, err := os.Open(png)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, format, err := image.Decode(f)
	if err != nil || format != "png" || img.Bounds().Dx() < 100 {
		t.Fatalf("%s: %v, format %q", png, err, format)
	}

	stdout, stderr, code = gpubench(t, env, "roofline", "--backend", "cpu", "--quick", "--reps", "1", "--format", "json", "--max-intensity", "8")
	if code != 0 {
		t.Fatalf("roofline --format json: exit %d %s", code, stderr)
	}
	var r struct {
		SchemaVersion int `json:"schema_version"`
		Results       []struct {
			Kernel   string `json:"kernel"`
			Verified bool   `json:"verified"`
		} `json:"results"`
		Rooflines []struct {
			Backend       string             `json:"backend"`
			BandwidthGBps float64            `json:"bandwidth_gbps"`
			Stream        map[string]float64 `json:"stream_gbps"`
			Ceilings      []struct {
				DType       string  `json:"dtype"`
				Peak        float64 `json:"peak_gflops"`
				Theoretical float64 `json:"theoretical_gflops"`
				Ridge       float64 `json:"ridge_flop_per_byte"`
				Sweep       []struct {
					K         int     `json:"k"`
					Intensity float64 `json:"intensity"`
					GFLOPS    float64 `json:"gflops"`
					Verified  bool    `json:"verified"`
				} `json:"sweep"`
			} `json:"ceilings"`
		} `json:"rooflines"`
		Kernels []struct {
			Kernel    string  `json:"kernel"`
			Intensity float64 `json:"intensity"`
			Bound     float64 `json:"bound_gflops"`
			BoundBy   string  `json:"bound_by"`
		} `json:"last_run_kernels"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("roofline JSON: %v\n%s", err, stdout)
	}
	if r.SchemaVersion != 1 || len(r.Rooflines) != 1 || len(r.Results) == 0 || len(r.Kernels) != 3 {
		t.Fatalf("roofline JSON: schema %d, %d rooflines, %d results, %d kernels", r.SchemaVersion, len(r.Rooflines), len(r.Results), len(r.Kernels))
	}
	rf := r.Rooflines[0]
	if rf.Backend != "cpu" || rf.BandwidthGBps <= 0 || len(rf.Stream) != 4 || len(rf.Ceilings) != 2 {
		t.Errorf("roofline %+v", rf)
	}
	for _, c := range rf.Ceilings {
		// float32: K = 1…32 (1/4…8 FLOP/B); float64: K = 1…64 (1/8…8).
		want := map[string]int{"float32": 6, "float64": 7}[c.DType]
		if c.Peak <= 0 || c.Theoretical <= 0 || c.Ridge <= 0 || len(c.Sweep) != want {
			t.Errorf("%s ceiling: %+v", c.DType, c)
		}
		for _, p := range c.Sweep {
			if !p.Verified || p.GFLOPS <= 0 || p.Intensity > 8 {
				t.Errorf("%s sweep point %+v", c.DType, p)
			}
		}
	}
	for _, k := range r.Kernels {
		if k.Intensity <= 0 || k.Bound <= 0 || k.BoundBy != "memory" {
			t.Errorf("kernel point %+v", k)
		}
	}
	for _, res := range r.Results {
		if !res.Verified {
			t.Errorf("%s did not verify", res.Kernel)
		}
	}

	// The roofline is kept: it is drawn again without measuring, and a
	// later run's PEAK of a kernel bound by memory is a share of its
	// bandwidth, of one bound by arithmetic a share of the FLOP peak.
	again := filepath.Join(dir, "again.png")
	stdout, stderr, code = gpubench(t, env, "roofline", "--from", "last", "--out", again)
	if code != 0 || !strings.Contains(stdout, "BANDWIDTH") || !strings.Contains(stdout, "cpu") {
		t.Errorf("roofline --from last: exit %d %s\n%s", code, stderr, stdout)
	}
	checkPNGWidth(t, again, 1600)
	// triad at 1/6 FLOP/B is bound by memory on any machine, fma at 64
	// (256 steps) by arithmetic unless the bandwidth were under a 64th
	// of the peak.
	stdout, stderr, code = gpubench(t, env, "run", "--backend", "cpu", "--kernel", "triad,fma", "--size", "64", "--reps", "2")
	if code != 0 || !strings.Contains(stdout, "% bw") || !strings.Contains(stdout, " L1 ") || !strings.Contains(stdout, "from the roofline of") {
		t.Errorf("run after a roofline: exit %d %s\n%s", code, stderr, stdout)
	}
	stdout, _, _ = gpubench(t, env, "run", "--backend", "cpu", "--kernel", "triad,fma", "--size", "64", "--reps", "2", "--format", "json")
	var run struct {
		Results []struct {
			Kernel   string
			PeakOf   string  `json:"peak_of"`
			PeakPct  float64 `json:"peak_pct"`
			Resident string
		}
		Bandwidths []struct{ GBps float64 } `json:"memory_bandwidths"`
	}
	if err := json.Unmarshal([]byte(stdout), &run); err != nil || len(run.Results) != 2 || len(run.Bandwidths) != 1 {
		t.Fatalf("run JSON: %v\n%s", err, stdout)
	}
	for _, res := range run.Results {
		want := map[string]string{"triad": "bandwidth", "fma": "flops"}[res.Kernel]
		if res.PeakOf != want || res.PeakPct <= 0 || res.Resident == "" {
			t.Errorf("%s: peak %.0f%% of %q, resident %q: want a share of %s, in a cache", res.Kernel, res.PeakPct, res.PeakOf, res.Resident, want)
		}
	}
}

// TestRooflineWithoutLastRun: no run yet is fine, just no kernel points;
// bad flags are usage errors.
func TestRooflineWithoutLastRun(t *testing.T) {
	t.Parallel()
	env := rooflineEnv(t)
	stdout, stderr, code := gpubench(t, env, "roofline", "--backend", "cpu", "--quick", "--reps", "1", "--dtype", "float64", "--max-intensity", "1", "-q")
	if code != 0 || !strings.Contains(stdout, "no 'gpubench run' yet") || strings.Contains(stdout, "BOUND BY") {
		t.Errorf("roofline without a run: exit %d %s\n%s", code, stderr, stdout)
	}
	for _, c := range []struct{ args []string }{
		{[]string{"roofline", "--format", "csv"}},
		{[]string{"roofline", "--out", "r.pdf"}},
		{[]string{"roofline", "--max-intensity", "0"}},
		{[]string{"roofline", "--stream-size", "abc"}},
		{[]string{"roofline", "--reps", "0"}},
		{[]string{"roofline", "--from", "none.json"}},
		{[]string{"roofline", "--from", golden("v1.json")}},
	} {
		if _, stderr, code := gpubench(t, env, c.args...); code != 2 {
			t.Errorf("gpubench %s: exit %d, %s; want 2", strings.Join(c.args, " "), code, stderr)
		}
	}
	if _, stderr, code := gpubench(t, env, "roofline", "--backend", "gl", "--quick"); code != 3 {
		t.Errorf("roofline --backend gl with GPUBENCH_GL=none: exit %d %s", code, stderr)
	}
}

// TestRooflineConfig: roofline reads the shared flags as run does and
// makes the same harness configuration, reading run's options without
// changing them.
func TestRooflineConfig(t *testing.T) {
	t.Parallel()
	g := &globals{env: harness.NewEnv(newBackends(gl.Isolation{})), workers: 2, device: -1, disable: []string{"avx512"}}
	o := &rooflineOptions{run: defaultRunOptions(g), maxIntensity: 256}
	o.run.backends, o.run.dtype, o.run.reps, o.run.seed = []string{"cpu"}, "float64", 3, 7
	o.run.kernels, o.run.sizes = []string{"gemm"}, []string{"17"}
	backends, rc, err := o.config()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.run.kernels, ",") != "gemm" || strings.Join(o.run.sizes, ",") != "17" {
		t.Errorf("config changed run's options: kernels %v, sizes %v", o.run.kernels, o.run.sizes)
	}
	_, _, runCfg, err := o.run.plan()
	if err != nil {
		t.Fatal(err)
	}
	c := rc.Config
	if strings.Join(backends, ",") != "cpu" || len(rc.DTypes) != 1 || rc.DTypes[0].String() != "float64" ||
		c.Reps != runCfg.Reps || c.Warmup != runCfg.Warmup || c.Seed != runCfg.Seed || !reflect.DeepEqual(c.Options, runCfg.Options) ||
		c.Options.Workers != 2 || strings.Join(c.Options.Disable, ",") != "avx512" ||
		c.Verify != runCfg.Verify || strings.Join(c.Backends, ",") != strings.Join(runCfg.Backends, ",") {
		t.Errorf("roofline config %v %+v, run's %+v", backends, rc, runCfg)
	}
	// The harness checks the configuration as the roofline starts
	// (RunRoofline), once: the one roofline makes of --warmup -1 fails it.
	o.run.warmup = -1
	if _, rc, err := o.config(); err != nil || !errors.Is(rc.Check(), compute.ErrUsage) {
		t.Errorf("--warmup -1: config %v, check %v; want a configuration the harness refuses as a usage error", err, rc.Check())
	}
}

// TestRooflineOddLastRun: a last-run file whose figures a log scale
// cannot place (a subnormal FLOP count, a rate that overflows, a negative
// count) draws the roofline all the same, with those cases left out and
// counted; it used to panic in gonum/plot.
func TestRooflineOddLastRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	last := filepath.Join(dir, "odd.json")
	odd := `{"schema_version":1,"time":"2026-12-04T10:00:00Z","complete":true,"results":[
{"kernel":"dot","backend":"cpu","shape":"8","dtype":"float32","verified":true,"flops":1e-320,"bytes":64,"gflops":1},
{"kernel":"saxpy","backend":"cpu","shape":"8","dtype":"float32","verified":true,"flops":16,"bytes":96,"gflops":1e308},
{"kernel":"sum","backend":"cpu","shape":"8","dtype":"float32","verified":true,"flops":-8,"bytes":32,"gflops":2},
{"kernel":"gemv","backend":"cpu","shape":"8","dtype":"float32","verified":true,"flops":128,"bytes":320,"gflops":3}]}`
	if err := os.WriteFile(last, []byte(odd), 0o644); err != nil {
		t.Fatal(err)
	}
	svg := filepath.Join(dir, "r.svg")
	stdout, stderr, code := gpubench(t, rooflineEnv(t), "roofline", "--backend", "cpu", "--quick", "--reps", "1", "--dtype", "float32",
		"--last", last, "--out", svg, "-q")
	if code != 0 || !strings.Contains(stdout, "3 of its cases left out") {
		t.Fatalf("roofline --last odd.json: exit %d, stderr %q:\n%s", code, stderr, stdout)
	}
	checkSVG(t, svg, "Roofline", "gemv cpu/32")
}
