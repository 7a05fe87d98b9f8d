package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gpubench/gpubench/compute"
)

// LoadReport reads a results file written by gpubench, refusing one that
// is truncated, is not JSON, or has another schema_version.
func LoadReport(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", compute.ErrUsage, err)
	}
	defer f.Close()
	return ReadReport(f, path)
}

// ReadReport decodes a results file; name is used in errors.
func ReadReport(r io.Reader, name string) (*Report, error) {
	var rep Report
	dec := json.NewDecoder(r)
	if err := dec.Decode(&rep); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("%w: %s is empty, not a results file", compute.ErrUsage, name)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("%w: %s ends early: a truncated results file", compute.ErrUsage, name)
		case errors.As(err, &se):
			return nil, fmt.Errorf("%w: %s is not JSON (offset %d: %v)", compute.ErrUsage, name, se.Offset, err)
		case errors.As(err, &te):
			return nil, fmt.Errorf("%w: %s is not a gpubench results file: field %s holds a %s", compute.ErrUsage, name, te.Field, te.Value)
		}
		return nil, fmt.Errorf("%w: %s: %v", compute.ErrUsage, name, err)
	}
	if rep.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("%w: %s has schema_version %d; this gpubench reads %d", compute.ErrUsage, name, rep.SchemaVersion, SchemaVersion)
	}
	return &rep, nil
}

// Key identifies a case across runs.
type Key struct {
	Kernel, Backend, Shape string
	DType                  compute.DType
}

func (k Key) String() string {
	return k.Kernel + "/" + k.Backend + "/" + k.Shape + "/" + k.DType.String()
}

// Row is one case across several reports: Results[i] is from report i,
// nil where that report lacks the case or it did not verify.
type Row struct {
	Key     Key
	Results []*Result
	// Ratio[i] is report i's speed over report 0's (median time of 0 over
	// median time of i): above 1 is faster. 0 where either is missing.
	Ratio []float64
	// Noise[i] is true where the difference from report 0 is within the
	// noise: their min–max ranges overlap.
	Noise []bool
}

// Comparison is the matched rows, and the cases that not every report has.
type Comparison struct {
	Rows    []Row
	Partial []Row
}

// Compare matches cases by kernel, backend, shape and dtype across
// reports, in the order of their first appearance.
func Compare(reps []*Report) Comparison {
	var order []Key
	found := map[Key][]*Result{}
	for i, rep := range reps {
		for j := range rep.Results {
			r := &rep.Results[j]
			k := Key{r.Kernel, r.Backend, r.Shape, r.DType}
			if _, ok := found[k]; !ok {
				order = append(order, k)
				found[k] = make([]*Result, len(reps))
			}
			if r.Verified && r.MedianNs > 0 {
				found[k][i] = r
			}
		}
	}
	var c Comparison
	for _, k := range order {
		row := Row{Key: k, Results: found[k], Ratio: make([]float64, len(reps)), Noise: make([]bool, len(reps))}
		complete := true
		base := row.Results[0]
		for i, r := range row.Results {
			if r == nil {
				complete = false
				continue
			}
			if base != nil {
				row.Ratio[i] = base.MedianNs / r.MedianNs
				row.Noise[i] = r.MinNs <= base.MaxNs && base.MinNs <= r.MaxNs
			}
		}
		if complete {
			c.Rows = append(c.Rows, row)
		} else {
			c.Partial = append(c.Partial, row)
		}
	}
	return c
}
