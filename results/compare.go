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
		var sv schemaError
		switch {
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("%w: %s is empty, not a results file", compute.ErrUsage, name)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("%w: %s ends early: a truncated results file", compute.ErrUsage, name)
		case errors.As(err, &se):
			return nil, fmt.Errorf("%w: %s is not JSON (offset %d: %v)", compute.ErrUsage, name, se.Offset, err)
		case errors.As(err, &te):
			return nil, fmt.Errorf("%w: %s is not a gpubench results file: field %s holds a %s", compute.ErrUsage, name, te.Field, te.Value)
		case errors.As(err, &sv):
			return nil, fmt.Errorf("%w: %s has %v", compute.ErrUsage, name, sv)
		}
		return nil, fmt.Errorf("%w: %s: %v", compute.ErrUsage, name, err)
	}
	return &rep, nil
}

// Key identifies a case across runs: a kernel's case, or a transfer's
// (Kernel 0).
type Key struct {
	Kernel   compute.Kernel
	Transfer Direction
	Backend  string
	Shape    Shape
	DType    compute.DType
}

// String is kernel/backend/shape/dtype, e.g. "dot/cpu/4096/float32",
// with the direction for the kernel of a transfer's case.
func (k Key) String() string {
	name := k.Kernel.String()
	if k.Transfer != 0 {
		name = k.Transfer.String()
	}
	return name + "/" + k.Backend + "/" + k.Shape.String() + "/" + k.DType.String()
}

// Timing is what a comparison reads of a case: its median time per run
// and the range of its repetitions.
type Timing struct {
	MedianNs, MinNs, MaxNs float64
}

// Row is one case across several reports: Times[i] is from report i,
// nil where that report lacks the case or it did not verify.
type Row struct {
	Key   Key
	Times []*Timing
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

// Compare matches cases by kernel (or transfer direction), backend,
// shape and dtype across reports, in the order of their first
// appearance in the reports' files: transfers' cases, then kernels'.
func Compare(reps []*Report) Comparison {
	var order []Key
	found := map[Key][]*Timing{}
	add := func(i int, k Key, verified bool, t Timing) {
		if _, ok := found[k]; !ok {
			order = append(order, k)
			found[k] = make([]*Timing, len(reps))
		}
		if verified && t.MedianNs > 0 {
			found[k][i] = &t
		}
	}
	for i, rep := range reps {
		for _, t := range rep.Transfers {
			for _, c := range t.Cases {
				add(i, Key{Transfer: c.Direction, Backend: c.Backend, Shape: Shape{compute.Vec(c.N)}, DType: c.DType},
					c.Verified, Timing{c.MedianNs, c.MinNs, c.MaxNs})
			}
		}
		for _, r := range rep.Results {
			add(i, Key{Kernel: r.Kernel, Backend: r.Backend, Shape: r.Shape, DType: r.DType}, r.Verified, Timing{r.MedianNs, r.MinNs, r.MaxNs})
		}
	}
	var c Comparison
	for _, k := range order {
		row := Row{Key: k, Times: found[k], Ratio: make([]float64, len(reps)), Noise: make([]bool, len(reps))}
		complete := true
		base := row.Times[0]
		for i, r := range row.Times {
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
