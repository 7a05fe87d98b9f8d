package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// writeIndented writes rep as the CLI writes a results file.
func writeIndented(t *testing.T, rep *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCommittedFileRoundTrips: a results file of the current layout in
// docs/results reads into typed kernels and shapes and writes back byte
// for byte.
func TestCommittedFileRoundTrips(t *testing.T) {
	path := filepath.Join("..", "docs", "results", "zen5-2vcpu-2026-12-07", "quick-base-1.json")
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ReadReport(bytes.NewReader(want), path)
	if err != nil {
		t.Fatal(err)
	}
	kernels := map[compute.Kernel]bool{}
	for _, r := range rep.Results {
		kernels[r.Kernel] = true
		if r.Shape.Format(r.Kernel) != r.Shape.String() {
			t.Errorf("%s: shape %+v reads as %q", r.Name(), r.Shape.Shape, r.Shape.Format(r.Kernel))
		}
	}
	if len(kernels) < 5 {
		t.Errorf("%s holds %d kernels; the test wants a file of several forms", path, len(kernels))
	}
	if got := writeIndented(t, rep); !bytes.Equal(got, want) {
		t.Errorf("%s does not write back as it was read:\n%s", path, firstDiff(got, want))
	}
}

// firstDiff shows where a and b part.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(i-80, 0)
	return "got  …" + string(a[lo:min(i+80, len(a))]) + "\nwant …" + string(b[lo:min(i+80, len(b))])
}

// TestTransferFileReads: the committed transfer and crossover files of
// schema 1 read, each copy and latency case into its backend's
// Transfer.Cases as a TransferCase, and write their results in the
// order the file has them, each case's kernel field its direction.
func TestTransferFileReads(t *testing.T) {
	for _, name := range []string{"transfer.json", "crossover.json"} {
		path := filepath.Join("..", "docs", "results", "zen5-2vcpu-2026-12-04", name)
		rep, err := LoadReport(path)
		if err != nil {
			t.Fatal(err)
		}
		cases := 0
		for _, tr := range rep.Transfers {
			var ups, downs, lats int
			for _, c := range tr.Cases {
				if c.Backend != tr.Backend {
					t.Errorf("%s: %s case under transfer %s", name, c.Name(), tr.Backend)
				}
				switch c.Direction {
				case Upload:
					ups++
				case Download:
					downs++
				case Latency:
					lats++
				}
			}
			if ups == 0 || ups != downs || lats != 1 || tr.Cases[len(tr.Cases)-1].Direction != Latency {
				t.Errorf("%s: %s has %d uploads, %d downloads, %d latencies", name, tr.Backend, ups, downs, lats)
			}
			cases += len(tr.Cases)
		}
		// The rows, as the file holds them and as they are written again.
		rows := func(b []byte) []string {
			var f struct {
				Results []struct {
					Kernel, Backend, Shape string
				} `json:"results"`
			}
			if err := json.Unmarshal(b, &f); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range f.Results {
				out = append(out, r.Kernel+"/"+r.Backend+"/"+r.Shape)
			}
			return out
		}
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		written := writeIndented(t, rep)
		if got, want := rows(written), rows(orig); !reflect.DeepEqual(got, want) || len(want) != cases+len(rep.Results) {
			t.Errorf("%s: rows written %v\nwant %v", name, got, want)
		}
		// What is written reads back the same and writes the same again.
		again, err := ReadReport(bytes.NewReader(written), name)
		if err != nil {
			t.Fatal(err)
		}
		if w2 := writeIndented(t, again); !bytes.Equal(w2, written) {
			t.Errorf("%s: a second round trip changed it:\n%s", name, firstDiff(w2, written))
		}
	}
}

// TestReadReportRefusesCases: a case the types cannot hold is a clear
// error, never a panic: a kernel outside the catalogue, none at all, a
// shape its kernel does not take, a transfer case without its transfer.
func TestReadReportRefusesCases(t *testing.T) {
	for src, want := range map[string]string{
		`{"schema_version": 1, "results": [{"kernel": "gemmm", "shape": "8x8x8", "dtype": "float32"}]}`:                                                    `unknown kernel "gemmm": known kernels are copy,`,
		`{"schema_version": 1, "results": [{"shape": "8", "dtype": "float32"}]}`:                                                                           "names no kernel",
		`{"schema_version": 1, "results": [{"kernel": 7}]}`:                                                                                                `results[0]: field "kernel" holds a number where a results file has a string`,
		`{"schema_version": 1, "results": [{"kernel": "dot", "shape": "8"}]}`:                                                                              "a case of kernel dot names no dtype",
		`{"schema_version": 1, "results": [{"kernel": "gemm", "shape": "8x8", "dtype": "float32"}]}`:                                                       `a case of kernel gemm: shape does not fit the kernel: gemm takes`,
		`{"schema_version": 1, "results": [{"kernel": "dot", "shape": "8x8", "dtype": "float32"}]}`:                                                        `a case of kernel dot: shape does not fit`,
		`{"schema_version": 1, "results": [{"kernel": "dot", "dtype": "float32"}]}`:                                                                        `a case of kernel dot: bad usage: size "0" must be positive`,
		`{"schema_version": 1, "results": [{"kernel": "dot", "shape": "x", "dtype": "float32"}]}`:                                                          `malformed size "x"`,
		`{"schema_version": 1, "results": [{"kernel": "upload", "backend": "gl", "shape": "8", "dtype": "float32"}]}`:                                      `upload case of backend "gl", which has no entry in transfers`,
		`{"schema_version": 1, "results": [{"kernel": "upload", "backend": "gl", "shape": "8"}]}`:                                                          `a transfer case (upload) names no dtype`,
		`{"schema_version": 1, "transfers": [{"backend": "gl"}], "results": [{"kernel": "latency", "backend": "gl", "shape": "8x8", "dtype": "float32"}]}`: `latency case of shape "8x8"`,
	} {
		_, err := ReadReport(strings.NewReader(src), "case.json")
		if !errors.Is(err, compute.ErrUsage) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "case.json") {
			t.Errorf("%s: %v, want ErrUsage naming the file and saying %q", src, err, want)
		}
	}
}

// TestReadReportAbbreviatedShape: a shape a hand-written file gives as a
// flag would (one dimension for gemv's square, gemm's cube, fma's
// default steps) reads as that flag's size does.
func TestReadReportAbbreviatedShape(t *testing.T) {
	src := `{"schema_version": 1, "results": [{"kernel": "gemv", "shape": "8", "dtype": "float32"},
		{"kernel": "gemm", "shape": "4", "dtype": "float64"}, {"kernel": "fma", "shape": "16", "dtype": "float32"}]}`
	rep, err := ReadReport(strings.NewReader(src), "short.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []compute.Shape{compute.Mat(8, 8), compute.MNK(4, 4, 4), compute.Chain(16, compute.FMASteps)}
	for i, r := range rep.Results {
		if r.Shape.Shape != want[i] {
			t.Errorf("%s read as %+v, want %+v", r.Kernel, r.Shape.Shape, want[i])
		}
	}
}

// TestShapeText: for every kernel, the shape a flag gives writes as
// compute.Shape.Format writes it and reads back, fitted to the kernel,
// as the same shape.
func TestShapeText(t *testing.T) {
	for _, k := range compute.Kernels() {
		for _, size := range []string{"7", "5x3", "2x3x4"} {
			s, err := k.ParseShape(size)
			if err != nil {
				continue
			}
			text := ShapeOf(s).String()
			if text != s.Format(k) {
				t.Errorf("%s %s: writes %q, Format %q", k, size, text, s.Format(k))
			}
			var back Shape
			if err := back.UnmarshalText([]byte(text)); err != nil {
				t.Fatalf("%s %q: %v", k, text, err)
			}
			if fit, err := back.fit(k); err != nil || fit.Shape != s {
				t.Errorf("%s %q: read back as %+v, %v; want %+v", k, text, fit.Shape, err, s)
			}
		}
	}
}

// TestReportFileFields: reportFile, the file's layout, has Report's JSON
// fields in Report's order, so that a field added to one is not lost by
// the other.
func TestReportFileFields(t *testing.T) {
	tags := func(v any) []string {
		var out []string
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			out = append(out, ty.Field(i).Name+" "+ty.Field(i).Tag.Get("json"))
		}
		return out
	}
	if a, b := tags(Report{}), tags(reportFile{}); !reflect.DeepEqual(a, b) {
		t.Errorf("Report %v\nreportFile %v", a, b)
	}
}

// TestReportResultsNull: a report without results writes "results":
// null, one with an empty list "[]", as before transfer cases moved out
// of Results; transfer cases alone make a list.
func TestReportResultsNull(t *testing.T) {
	for want, rep := range map[string]Report{
		`"results":null`: {},
		`"results":[]`:   {Results: []Result{}},
		`"results":[{"kernel":"latency"`: {Transfers: []Transfer{{Backend: "gl",
			Cases: []TransferCase{{Direction: Latency, Backend: "gl", N: 1, DType: compute.Float32}}}}},
	} {
		b, err := json.Marshal(rep)
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s, %v: want %s", b, err, want)
		}
	}
}

// TestDirectionText: each direction writes its name and reads back;
// another name is refused.
func TestDirectionText(t *testing.T) {
	for d := Upload; d <= Latency; d++ {
		b, err := d.MarshalText()
		var back Direction
		if err != nil || back.UnmarshalText(b) != nil || back != d {
			t.Errorf("%v: %q %v, back %v", d, b, err, back)
		}
	}
	if _, err := Direction(0).MarshalText(); err == nil {
		t.Error("Direction(0) marshalled")
	}
	var d Direction
	if err := d.UnmarshalText([]byte("gemm")); err == nil {
		t.Error(`"gemm" read as a direction`)
	}
}
