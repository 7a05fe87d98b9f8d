package results

import (
	"encoding/json"
	"fmt"
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
