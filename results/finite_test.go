package results

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// TestReportNonFinite: a report whose derived figures are NaN or ±Inf
// (a peak from a broken clock, a PEAK from a bandwidth of 1e-320) is
// still written, and read back: each such figure is null, a note names
// it, and the fields that may be non-finite by design (an error bound)
// keep "NaN" and "+Inf". The report itself is left as it was.
func TestReportNonFinite(t *testing.T) {
	probe := &hwinfo.Info{Peak: hwinfo.Peak{Cores: 2, ClockGHz: math.Inf(1), GFLOPS32: math.Inf(1)}}
	rep := NewReport(probe, nil)
	rep.Devices = []compute.Device{{Backend: "cpu", PeakGFLOPS: map[compute.DType]float64{compute.Float32: math.Inf(1)}}}
	rep.Results = []Result{
		{Kernel: compute.Saxpy, Backend: "cpu", Device: "-1.7976931348623157e+308", Shape: Shape{compute.Vec(16)}, DType: compute.Float32,
			Verified: true, GFLOPS: math.NaN(), PeakPct: math.Inf(1), MaxAbsErr: math.NaN(), Bound: math.Inf(1), Reps: 3},
		{Kernel: compute.Dot, Backend: "cpu", Shape: Shape{compute.Vec(16)}, DType: compute.Float64, Verified: true, GFLOPS: 2.5, Reps: 3},
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	for _, want := range []string{`"clock_ghz":null`, `"gflops_f32":null`, `"float32":null`, `"gflops":null`, `"peak_pct":null`,
		`"max_abs_err":"NaN"`, `"bound":"+Inf"`, `"gflops":2.5`, `"device":"-1.7976931348623157e+308"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the file lacks %s:\n%s", want, b)
		}
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("reading it back: %v", err)
	}
	if len(back.Notes) != 1 {
		t.Fatalf("notes %q, want one", back.Notes)
	}
	for _, path := range []string{"probe.peak.clock_ghz (+Inf)", "probe.peak.gflops_f32", "devices[0].peak_gflops[float32]",
		"results[0].gflops (NaN)", "results[0].peak_pct"} {
		if !strings.Contains(back.Notes[0], path) {
			t.Errorf("the note %q does not name %s", back.Notes[0], path)
		}
	}
	if r := back.Results[0]; r.GFLOPS != 0 || r.PeakPct != 0 || !math.IsNaN(r.MaxAbsErr) || !math.IsInf(r.Bound, 1) {
		t.Errorf("read back: %+v", r)
	}
	if !math.IsInf(rep.Results[0].PeakPct, 1) || !math.IsInf(rep.Probe.Peak.GFLOPS32, 1) || len(rep.Notes) != 0 {
		t.Errorf("the report was changed: %+v, %+v, %q", rep.Results[0], rep.Probe.Peak, rep.Notes)
	}

	// And the file is written.
	path := filepath.Join(t.TempDir(), "r.json")
	if err := WriteFileAtomic(path, b); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadReport(path); err != nil {
		t.Errorf("LoadReport: %v", err)
	}
}

// TestReportFiniteUnchanged: a report of finite figures is written as
// it always was, with no note.
func TestReportFiniteUnchanged(t *testing.T) {
	rep := NewReport(&hwinfo.Info{}, nil)
	rep.Results = []Result{{Kernel: compute.Dot, Backend: "cpu", Shape: Shape{compute.Vec(16)}, DType: compute.Float64, GFLOPS: 2.5}}
	a, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rep.marshalFile()
	if err != nil || string(a) != string(b) || strings.Contains(string(a), `"notes"`) {
		t.Errorf("%s\n%s (%v)", a, b, err)
	}
}

// TestScaleReportNonFinite: a sweep whose speedup is NaN or +Inf (a
// point that failed) is written all the same, the figure null and named.
func TestScaleReportNonFinite(t *testing.T) {
	sr := ScaleReport{Kernel: compute.Dot, DType: compute.Float32, Backend: "cpu", CPUs: 2, Points: []ScalePoint{
		{Workers: 1, Speedup: 1, Efficiency: 1, Result: Result{Kernel: compute.Dot, Backend: "cpu", Shape: Shape{compute.Vec(16)}, DType: compute.Float32}},
		{Workers: 2, Speedup: math.Inf(1), Efficiency: math.NaN(), Result: Result{Kernel: compute.Dot, Backend: "cpu", Shape: Shape{compute.Vec(16)}, DType: compute.Float32}},
	}}
	b, err := json.Marshal(sr)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if !strings.Contains(string(b), `"speedup":null`) || !strings.Contains(string(b), "points[1].speedup (+Inf)") {
		t.Errorf("the sweep: %s", b)
	}
}
