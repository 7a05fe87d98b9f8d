package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// goldenResults are the results files in the repository's testdata:
// one valid, the others broken in the ways compare must refuse.
func goldenResults(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "results", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden results files in testdata/results: %v", err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// TestReadReportGolden: the valid file reads, each broken one is refused
// with a message that says what is wrong with it.
func TestReadReportGolden(t *testing.T) {
	want := map[string]string{
		"v1.json":         "",
		"truncated.json":  "truncated",
		"not-json.json":   "not JSON",
		"schema-v2.json":  "schema_version 2",
		"empty.json":      "empty",
		"wrong-type.json": "not a gpubench results file",
	}
	for name, b := range goldenResults(t) {
		msg, ok := want[name]
		if !ok {
			t.Errorf("testdata/results/%s: no expectation for it here", name)
			continue
		}
		rep, err := ReadReport(bytes.NewReader(b), name)
		switch {
		case msg == "" && (err != nil || len(rep.Results) == 0):
			t.Errorf("%s: %v", name, err)
		case msg != "" && (err == nil || !errors.Is(err, compute.ErrUsage) || !bytes.Contains([]byte(err.Error()), []byte(msg))):
			t.Errorf("%s: error %v, want ErrUsage mentioning %q", name, err, msg)
		}
	}
}

// FuzzReadReport: the results-file reader never panics on any bytes, and
// whatever it accepts has this schema_version and writes back as JSON
// that reads back as itself.
func FuzzReadReport(f *testing.F) {
	for _, b := range goldenResults(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"schema_version": 1, "results": [{"dtype": "float16"}]}`))
	f.Add([]byte(`{"schema_version": 1e400}`))
	f.Add([]byte(`[1, 2]`))
	f.Add([]byte(`{"schema_version": 1, "transfers": [{"backend": "gl"}], "results": [{"kernel": "upload", "backend": "gl", "shape": "4", "dtype": "float32"}, {"kernel": "fma", "shape": "8x3", "dtype": "float64"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := ReadReport(bytes.NewReader(b), "fuzz.json")
		if err != nil {
			if !errors.Is(err, compute.ErrUsage) {
				t.Fatalf("error %v is not ErrUsage", err)
			}
			return
		}
		if rep.SchemaVersion != SchemaVersion {
			t.Fatalf("accepted schema_version %d", rep.SchemaVersion)
		}
		b1, err := json.Marshal(rep)
		if err != nil {
			// NaN and Inf cannot come from JSON, so what was read writes.
			t.Fatalf("accepted report does not marshal: %v", err)
		}
		// What is written reads back as itself: typed kernels, shapes
		// and transfer cases lose nothing a second time round.
		again, err := ReadReport(bytes.NewReader(b1), "again.json")
		if err != nil {
			t.Fatalf("what was written does not read back: %v\n%s", err, b1)
		}
		if b2, err := json.Marshal(again); err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("a second round trip changed it (%v):\n%s\n%s", err, b1, b2)
		}
		Compare([]*Report{rep, rep})
	})
}

// TestReadReportByteOrderMark: a results file saved by an editor that
// starts it with a UTF-8 byte order mark still reads, as the same report.
func TestReadReportByteOrderMark(t *testing.T) {
	b := goldenResults(t)["v1.json"]
	want, err := ReadReport(bytes.NewReader(b), "v1.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadReport(bytes.NewReader(append([]byte("\xef\xbb\xbf"), b...)), "bom.json")
	if err != nil {
		t.Fatalf("with a byte order mark: %v", err)
	}
	if len(got.Results) != len(want.Results) || len(got.Results) == 0 {
		t.Errorf("with a byte order mark: %d results, want %d", len(got.Results), len(want.Results))
	}
}
