package results

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

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

// ReadReport decodes a results file; name is used in errors. It takes
// one JSON object of a results file and nothing after it: it refuses
// data after the object (two files joined, garbage appended), JSON of
// another of gpubench's outputs (info, list, compare, scale) or of
// another shape, an object without results, and what Report's
// UnmarshalJSON refuses. Every error wraps compute.ErrUsage.
func ReadReport(r io.Reader, name string) (*Report, error) {
	rep, _, err := ReadReportRaw(r, name)
	return rep, err
}

// ReadReportRaw is ReadReport that also returns the file's object as it
// is, for fields of its own that a command reads beside the Report.
func ReadReportRaw(r io.Reader, name string) (*Report, json.RawMessage, error) {
	// White space around the object is read through here, not by the
	// decoder, which holds all it has read of a value: a file of a
	// gigabyte of spaces would take gigabytes.
	br := bufio.NewReader(r)
	lead := skipByteOrderMark(br)
	lead += skipSpace(br)
	dec := json.NewDecoder(br)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, decodeError(err, name)
	}
	end := lead + dec.InputOffset()
	if !onlySpace(io.MultiReader(dec.Buffered(), br)) {
		return nil, nil, fmt.Errorf("%w: %s holds more after its JSON object (at offset %d): two files joined, or data appended to one; a results file is one object",
			compute.ErrUsage, name, end)
	}
	fields, err := topFields(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s %w", compute.ErrUsage, name, err)
	}
	var rep Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, nil, decodeError(err, name)
	}
	if missing := missingFields(fields); len(missing) > 0 {
		return nil, nil, fmt.Errorf("%w: %s is not a complete results file: it has no %s", compute.ErrUsage, name, strings.Join(missing, ", "))
	}
	return &rep, raw, nil
}

// skipByteOrderMark reads a UTF-8 byte order mark at the start of r,
// which editors on Windows write and JSON does not allow, and says how
// many bytes it was (3 or 0).
func skipByteOrderMark(r *bufio.Reader) int64 {
	if b, err := r.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		r.Discard(3)
		return 3
	}
	return 0
}

// isSpace reports whether c is JSON's white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace reads the white space at the start of r, and says how many
// bytes it was.
func skipSpace(r *bufio.Reader) int64 {
	var n int64
	for {
		c, err := r.ReadByte()
		if err != nil {
			return n
		}
		if !isSpace(c) {
			r.UnreadByte()
			return n
		}
		n++
	}
}

// onlySpace reports whether r holds nothing but white space to its end,
// reading it a piece at a time.
func onlySpace(r io.Reader) bool {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			if !isSpace(c) {
				return false
			}
		}
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// decodeError says what is wrong with the file name whose decoding
// failed with err.
func decodeError(err error, name string) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var sv schemaError
	switch {
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: %s is empty, not a results file", compute.ErrUsage, name)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: %s ends early: a truncated results file", compute.ErrUsage, name)
	case errors.As(err, &se):
		return fmt.Errorf("%w: %s is not JSON (offset %d: %v)", compute.ErrUsage, name, se.Offset, err)
	case errors.As(err, &te):
		// Where the field is a case's, err says which first: "results[3]: ".
		at := strings.TrimSuffix(err.Error(), te.Error())
		return fmt.Errorf("%w: %s is not a gpubench results file: %s%s", compute.ErrUsage, name, at, typeMismatch(te))
	case errors.As(err, &sv):
		return fmt.Errorf("%w: %s has %v", compute.ErrUsage, name, sv)
	}
	return fmt.Errorf("%w: %s: %v", compute.ErrUsage, name, err)
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
