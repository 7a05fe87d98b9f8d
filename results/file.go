package results

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// reportFile is a Report as its file lays it out (schema_version 1):
// each transfer's cases are among the results, before the kernels'
// cases, as cases whose kernel is the direction's name ("upload",
// "download", "latency"). Its fields are Report's, in Report's order
// (TestReportFileFields keeps them so).
type reportFile struct {
	SchemaVersion int                    `json:"schema_version"`
	Time          time.Time              `json:"time"`
	Complete      bool                   `json:"complete"`
	Build         Build                  `json:"build"`
	Probe         *hwinfo.Info           `json:"probe"`
	Backends      []compute.Availability `json:"backends"`
	Devices       []compute.Device       `json:"devices"`
	Results       []json.RawMessage      `json:"results"`
	Rooflines     []Roofline             `json:"rooflines,omitempty"`
	Transfers     []Transfer             `json:"transfers,omitempty"`
	Crossovers    []Crossover            `json:"crossovers,omitempty"`
	Bandwidths    []Bandwidth            `json:"memory_bandwidths,omitempty"`
	Notes         []string               `json:"notes,omitempty"`
}

// MarshalJSON writes r as its file lays it out (reportFile). A figure
// that is NaN or ±Inf where a number belongs does not fail the write: it
// is written as null, and a note names it (marshalFinite).
func (r Report) MarshalJSON() ([]byte, error) { return marshalFinite(r) }

// marshalFile writes r as its file lays it out (reportFile), failing
// where a figure is not finite.
func (r Report) marshalFile() ([]byte, error) {
	f := reportFile{SchemaVersion: r.SchemaVersion, Time: r.Time, Complete: r.Complete, Build: r.Build, Probe: r.Probe,
		Backends: r.Backends, Devices: r.Devices, Rooflines: r.Rooflines, Transfers: r.Transfers, Crossovers: r.Crossovers,
		Bandwidths: r.Bandwidths, Notes: r.Notes, Results: []json.RawMessage{}}
	add := func(v any) error {
		b, err := json.Marshal(v)
		f.Results = append(f.Results, b)
		return err
	}
	for _, t := range r.Transfers {
		for _, c := range t.Cases {
			if err := add(c); err != nil {
				return nil, err
			}
		}
	}
	for _, res := range r.Results {
		if err := add(res); err != nil {
			return nil, err
		}
	}
	if r.Results == nil && len(f.Results) == 0 {
		f.Results = nil // "results": null, as Report's nil slice writes
	}
	return json.Marshal(f)
}

// schemaError is a results file of another schema_version.
type schemaError struct{ got int }

func (e schemaError) Error() string {
	return fmt.Sprintf("schema_version %d; this gpubench reads %d", e.got, SchemaVersion)
}

// UnmarshalJSON reads a report as its file lays it out (reportFile):
// a case whose kernel names a transfer direction joins the Cases of the
// transfer of its backend. It refuses a schema_version other than
// SchemaVersion (a schemaError), a kernel outside the catalogue, and a
// transfer case whose backend has no transfer.
func (r *Report) UnmarshalJSON(b []byte) error {
	var f reportFile
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if f.SchemaVersion != SchemaVersion {
		return schemaError{f.SchemaVersion}
	}
	*r = Report{SchemaVersion: f.SchemaVersion, Time: f.Time, Complete: f.Complete, Build: f.Build, Probe: f.Probe,
		Backends: f.Backends, Devices: f.Devices, Rooflines: f.Rooflines, Transfers: f.Transfers, Crossovers: f.Crossovers,
		Bandwidths: f.Bandwidths, Notes: f.Notes}
	if f.Results != nil {
		r.Results = []Result{}
	}
	for i, raw := range f.Results {
		var k struct {
			Kernel string `json:"kernel"`
		}
		if err := json.Unmarshal(raw, &k); err != nil {
			return fmt.Errorf("results[%d]: %w", i, err)
		}
		var d Direction
		if d.UnmarshalText([]byte(k.Kernel)) != nil {
			var res Result
			if err := json.Unmarshal(raw, &res); err != nil {
				return fmt.Errorf("results[%d]: %w", i, err)
			}
			r.Results = append(r.Results, res)
			continue
		}
		var c TransferCase
		if err := json.Unmarshal(raw, &c); err != nil {
			return fmt.Errorf("results[%d]: %w", i, err)
		}
		t := r.transfer(c.Backend)
		if t == nil {
			return fmt.Errorf("results[%d]: %v case of backend %q, which has no entry in transfers", i, d, c.Backend)
		}
		t.Cases = append(t.Cases, c)
	}
	return nil
}

// transfer is the transfer of backend in r, nil where it has none.
func (r *Report) transfer(backend string) *Transfer {
	for i := range r.Transfers {
		if r.Transfers[i].Backend == backend {
			return &r.Transfers[i]
		}
	}
	return nil
}

// topFields are the fields of raw, a JSON value that must be an object
// holding schema_version. Its error says what raw is instead, to follow
// the file's name: another of gpubench's outputs, recognised by its
// fields, or JSON of another shape.
func topFields(raw json.RawMessage) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fmt.Errorf("is not a gpubench results file: it holds %s, where a results file holds an object", jsonKindOf(raw))
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := m[n]; !ok {
				return false
			}
		}
		return true
	}
	if has("schema_version") {
		return m, nil
	}
	for _, o := range otherOutputs {
		if has(o.fields...) {
			return nil, &NotResultsError{Command: o.command}
		}
	}
	return nil, &NotResultsError{}
}

// NotResultsError says that a JSON object is not a results file: it is
// the JSON output of another of gpubench's commands (Command: "info",
// "list", "compare", "scale"), or, where Command is empty, an object
// without schema_version. The command line that makes either is cmd's
// to say.
type NotResultsError struct{ Command string }

func (e *NotResultsError) Error() string {
	if e.Command != "" {
		return "is the JSON output of gpubench " + e.Command + ", not a results file"
	}
	return "is not a gpubench results file: it has no schema_version"
}

// otherOutputs are the commands whose JSON output is not a results
// file, each known by fields that only it has at its top level.
var otherOutputs = []struct {
	command string
	fields  []string
}{
	{"info", []string{"probe", "measured_fma_gflops"}},
	{"info", []string{"probe", "devices"}},
	{"list", []string{"kernels", "backends"}},
	{"compare", []string{"files", "cases"}},
	{"scale", []string{"points", "workers"}},
	{"scale", []string{"points", "kernel", "weak"}},
}

// requiredFields are the fields of a results file without which it is
// not one: the cases.
var requiredFields = []string{"results"}

// missingFields are those of requiredFields that fields lacks, quoted.
// A null is no lack: a run that finished no case writes "results": null.
func missingFields(fields map[string]json.RawMessage) []string {
	var out []string
	for _, f := range requiredFields {
		if _, ok := fields[f]; !ok {
			out = append(out, fmt.Sprintf("%q", f))
		}
	}
	return out
}

// jsonKindOf names the kind of the JSON value raw, with its article:
// "a JSON array", "a JSON string", "JSON null" ("nothing" where raw is
// empty).
func jsonKindOf(raw json.RawMessage) string {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '[':
		return "a JSON array"
	case '"':
		return "a JSON string"
	case 't', 'f':
		return "a JSON boolean"
	case 'n':
		return "JSON null"
	case '{':
		return "a JSON object"
	}
	return "a JSON number"
}

// typeMismatch says which field of a results file holds a value of the
// wrong kind, e.g. `field "schema_version" holds a string where a
// results file has a number`.
func typeMismatch(te *json.UnmarshalTypeError) string {
	want := goKindAsJSON(te.Type)
	got := withArticle(te.Value)
	field := jsonPath(te.Field)
	if n, ok := strings.CutPrefix(te.Value, "number "); ok {
		if want == "number" {
			if v, err := strconv.ParseFloat(n, 64); err == nil && isWhole(te.Type) && math.Abs(v) < 1<<63 {
				return fmt.Sprintf("field %q holds the number %s where a results file has a whole number, in digits only", field, n)
			}
			return fmt.Sprintf("field %q holds the number %s, beyond what it can hold", field, n)
		}
		got = "a number"
	}
	if field == "" {
		return fmt.Sprintf("it holds %s where a results file has %s", got, withArticle(want))
	}
	return fmt.Sprintf("field %q holds %s where a results file has %s", field, got, withArticle(want))
}

// jsonPath is the path of a field in a results file as encoding/json
// names it, less the names of the Go types embedded to give a type its
// own JSON methods (plainResult), which are no part of the file.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if !strings.HasPrefix(p, "plain") {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

// isWhole reports whether t, a Go type a number decodes into, holds
// whole numbers only.
func isWhole(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// withArticle is kind, the name of a kind of JSON value, after "a" or
// "an".
func withArticle(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// goKindAsJSON is the kind of JSON value that decodes into t.
func goKindAsJSON(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
		return "string"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}
