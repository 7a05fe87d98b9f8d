package report

import (
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

func sampleReport() *results.Report {
	return &results.Report{
		SchemaVersion: results.SchemaVersion, Complete: true,
		Probe: &hwinfo.Info{OS: "linux", Arch: "amd64", GOMAXPROCS: 2},
		Results: []results.Result{
			{Kernel: compute.Gemm, Backend: "cpu", Shape: results.ShapeOf(compute.MNK(64, 64, 64)), DType: compute.Float32, Verified: true, Reps: 3, Inner: 4,
				MedianNs: 2000, Flops: 2 * 64 * 64 * 64, Bytes: 4 * 4 * 64 * 64, TimesNs: []float64{2000, 2100, 1900}},
			{Kernel: compute.Copy, Backend: "gl", Shape: results.ShapeOf(compute.Vec(1000)), DType: compute.Float64, Verified: true, Reps: 1, Inner: 1,
				MedianNs: 500, Bytes: 16000},
			{Kernel: compute.Dot, Backend: "cpu", Shape: results.ShapeOf(compute.Vec(7)), DType: compute.Float32, Err: "broken"},
		},
	}
}

// TestBenchfmtParses: the output is what benchstat reads, checked with
// the parser benchstat itself uses.
func TestBenchfmtParses(t *testing.T) {
	var b strings.Builder
	if err := writeBenchfmt(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	r := benchfmt.NewReader(strings.NewReader(b.String()), "out.txt")
	type row struct {
		name  string
		iters int
		units map[string]float64
	}
	var rows []row
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			if e, isErr := r.Result().(*benchfmt.SyntaxError); isErr {
				t.Fatalf("benchfmt syntax error: %v", e)
			}
			continue
		}
		units := map[string]float64{}
		for _, v := range res.Values {
			units[v.Unit] = v.Value
		}
		rows = append(rows, row{string(res.Name.Full()), res.Iters, units})
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("parsed %d results, want 3 gemm repetitions and 1 copy:\n%s", len(rows), b.String())
	}
	g := rows[1]
	if g.name != "Gemm/backend=cpu/m=64/n=64/k=64/dtype=float32-2" || g.iters != 4 || abs(g.units["sec/op"]-2100e-9) > 1e-15 {
		t.Errorf("gemm row: %+v", g)
	}
	if want := float64(2*64*64*64) / 2100; abs(g.units["GFLOP/s"]-want)/want > 1e-3 {
		t.Errorf("GFLOP/s = %v, want %v", g.units["GFLOP/s"], want)
	}
	if c := rows[3]; c.name != "Copy/backend=gl/n=1000/dtype=float64-2" || c.units["GB/s"] != 32 || c.units["GFLOP/s"] != 0 {
		t.Errorf("copy row: %+v", c)
	}
}

// TestBenchfmtPivotsBackends: projected as 'benchstat -col /backend'
// projects them (its default table and row being .config and
// .fullname), a case on the CPU and on the GPU fall in one table and one
// row, in two columns; the configuration names the CPU and the GPU.
func TestBenchfmtPivotsBackends(t *testing.T) {
	rep := sampleReport()
	rep.Probe.CPU.Brand = "Some CPU"
	rep.Devices = []compute.Device{{Backend: "cpu", Name: "Some CPU"}, {Backend: "gl", Name: "Some GPU", GPU: &compute.GPU{}}}
	gl := rep.Results[0]
	gl.Backend = "gl"
	rep.Results = append(rep.Results, gl)
	var b strings.Builder
	if err := writeBenchfmt(&b, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cpu: Some CPU\n", "gpu: Some GPU\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no config line %q in\n%s", want, b.String())
		}
	}
	var parser benchproc.ProjectionParser
	table, err := parser.Parse(".config", nil)
	if err != nil {
		t.Fatal(err)
	}
	col, err := parser.Parse("/backend", nil)
	if err != nil {
		t.Fatal(err)
	}
	row, err := parser.Parse(".fullname", nil)
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]map[string]bool{} // table+row → columns
	r := benchfmt.NewReader(strings.NewReader(b.String()), "out.txt")
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		k := table.Project(res).String() + " | " + row.Project(res).String()
		if cells[k] == nil {
			cells[k] = map[string]bool{}
		}
		cells[k][col.Project(res).String()] = true
	}
	gemm := ""
	for k, cols := range cells {
		if strings.Contains(k, "Gemm") {
			if gemm != "" {
				t.Errorf("gemm falls in two rows: %q and %q", gemm, k)
			}
			gemm = k
			if !cols["/backend:cpu"] || !cols["/backend:gl"] || len(cols) != 2 {
				t.Errorf("gemm's row %q has columns %v, want /backend:cpu and /backend:gl", k, cols)
			}
		}
	}
	if gemm == "" {
		t.Errorf("no gemm row in %v", cells)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestTableFits100Columns(t *testing.T) {
	var b strings.Builder
	rep := sampleReport()
	rep.Devices = []compute.Device{{Backend: "cpu", Name: "Some CPU", Level: "avx512", Workers: 2}}
	// A sampled gemm 4096 on a named level, the widest row a run makes.
	rep.Results = append(rep.Results, results.Result{Kernel: compute.Gemm, Backend: "cpu", Level: "avx512", Shape: results.ShapeOf(compute.MNK(4096, 4096, 4096)),
		DType: compute.Float32, Verified: true, Reps: 3, Inner: 1, MedianNs: 1.63e9, Flops: 2 << 36, Bytes: 1 << 28,
		GFLOPS: 84.2, GBps: 0.16, PeakPct: 22, ErrRatio: 1.7e-4, Checked: 4096, Elements: 4096 * 4096},
		results.Result{Kernel: compute.Transpose, Backend: "cpu", Shape: results.ShapeOf(compute.Mat(8192, 8192)), DType: compute.Float32, MedianNs: 1.5e5,
			Bytes: 1 << 29, GBps: 3579, Checked: 4096, Elements: 8192 * 8192, Mismatch: "element 7: got 1, want 2"})
	writeTable(&b, rep)
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "gemm") || strings.HasPrefix(line, "KERNEL") || strings.HasPrefix(line, "transpose") {
			if n := len([]rune(line)); n > 100 {
				t.Errorf("row of %d columns: %q", n, line)
			}
		}
	}
	if !strings.Contains(b.String(), "ERROR") || !strings.Contains(b.String(), "! dot/cpu 7: broken") {
		t.Errorf("a failed case is not shown:\n%s", b.String())
	}
	for _, want := range []string{"  ok*\n", "  FAIL*\n", "* checked on a sample of 4096 elements", "(in a sample of 4096 of 67108864 elements)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in the table:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "--") {
		t.Errorf("the table names a flag; only the CLI knows them:\n%s", b.String())
	}
	if strings.Count(b.String(), "*") != 3 {
		t.Errorf("a check of every element is marked as sampled:\n%s", b.String())
	}
}

func TestUnits(t *testing.T) {
	for ns, want := range map[float64]string{1.44: "1.4 ns", 12: "12 ns", 1500: "1.5 µs", 2.5e6: "2.50 ms", 3e9: "3.00 s"} {
		if got := formatDuration(ns); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", ns, got, want)
		}
	}
}

// TestCSVUnknownIsEmpty: a figure the table leaves blank or marks "-"
// is an empty CSV field, never 0: PEAK where no bound is known, GFLOP/s
// of a kernel without arithmetic, every figure of a case that could not
// run, ERR/BOUND where the bound is infinite, copies not measured.
func TestCSVUnknownIsEmpty(t *testing.T) {
	rep := sampleReport()
	rep.Results = append(rep.Results,
		results.Result{Kernel: compute.Sum, Backend: "cpu", Shape: results.ShapeOf(compute.Vec(8)), DType: compute.Float32, Verified: true,
			Reps: 2, Inner: 1, MedianNs: 10, MinNs: 9, MaxNs: 11, Flops: 8, Bytes: 32, GFLOPS: 0.8, GBps: 3.2, Bound: math.Inf(1)},
		results.Result{Kernel: compute.Saxpy, Backend: "cpu", Shape: results.ShapeOf(compute.Vec(8)), DType: compute.Float32, Verified: true,
			Reps: 2, Inner: 1, MedianNs: 10, Flops: 16, Bytes: 96, GFLOPS: 1.6, GBps: 9.6, PeakPct: 42, PeakOf: results.PeakOfBandwidth, UploadGBps: 3},
		results.Result{Kernel: compute.Gemv, Backend: "gonum", Shape: results.ShapeOf(compute.Mat(4, 4)), DType: compute.Float32, Skipped: "gonum does not run it"},
		results.Result{Kernel: compute.Gemm, Backend: "gl", Shape: results.ShapeOf(compute.MNK(8, 8, 8)), DType: compute.Float32,
			Err: "the gl driver crashed (SIGSEGV) in this case"},
		results.Result{Kernel: compute.Saxpy, Backend: "gl", Shape: results.ShapeOf(compute.Vec(65536)), DType: compute.Float32,
			Checked: 4096, Elements: 65536, Mismatch: "element 3: 1 != 2"})
	var b strings.Builder
	if err := writeCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, c := range []struct {
		row   int
		empty []string
		set   map[string]string
	}{
		// gemm: no peak known, no copies.
		{1, []string{"peak_pct", "upload_gbps", "download_gbps"}, map[string]string{"gflops": "0", "median_ns": "2000"}},
		// copy: no arithmetic.
		{2, []string{"gflops", "peak_pct"}, map[string]string{"gbps": "0"}},
		// dot: could not run.
		{3, []string{"max_abs_err", "bound", "err_over_bound", "median_ns", "min_ns", "max_ns", "cv", "gflops", "gbps", "peak_pct", "checked", "elements"}, map[string]string{"error": "broken", "reps": "0"}},
		// sum: an infinite bound.
		{4, []string{"err_over_bound", "peak_pct"}, map[string]string{"bound": "+Inf", "gflops": "0.8"}},
		// saxpy: a share of the bandwidth, one copy measured.
		{5, []string{"download_gbps"}, map[string]string{"peak_pct": "42", "upload_gbps": "3"}},
		// gemv: unsupported.
		{6, []string{"max_abs_err", "median_ns", "gflops", "gbps", "peak_pct", "checked", "elements"}, map[string]string{"error": "gonum does not run it"}},
		// gemm on gl: the driver crashed in it.
		{7, []string{"max_abs_err", "median_ns", "gflops", "checked", "elements"}, map[string]string{"error": "the gl driver crashed (SIGSEGV) in this case", "reps": "0"}},
		// saxpy on gl, checked on a sample, and failed.
		{8, []string{"median_ns"}, map[string]string{"checked": "4096", "elements": "65536", "verified": "false"}},
	} {
		r := rows[c.row]
		for _, name := range c.empty {
			if r[col[name]] != "" {
				t.Errorf("row %d (%s) %s = %q, want empty", c.row, r[0], name, r[col[name]])
			}
		}
		for name, want := range c.set {
			if r[col[name]] != want {
				t.Errorf("row %d (%s) %s = %q, want %q", c.row, r[0], name, r[col[name]], want)
			}
		}
	}
}

// TestOneWorker: one worker is "1 worker", in the run's device line and
// in info's kernels line, not "1 workers".
func TestOneWorker(t *testing.T) {
	rep := sampleReport()
	rep.Devices = []compute.Device{{Backend: "cpu", Name: "AMD EPYC", Level: "avx512", Workers: 1}}
	var b strings.Builder
	Write(&b, rep, FormatTable)
	Info(&b, &Machine{Probe: &hwinfo.Info{}, Devices: rep.Devices})
	if out := b.String(); strings.Contains(out, "1 workers") || !strings.Contains(out, "avx512, 1 worker") || !strings.Contains(out, "code, 1 worker") {
		t.Errorf("one worker:\n%s", out)
	}
}
