package results

import (
	"encoding/json"
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/stats"
)

// Direction says what a transfer case measured: a copy from host to
// device memory, one back, or the start of an empty kernel.
type Direction uint8

const (
	Upload Direction = iota + 1
	Download
	Latency
)

// directions are the names a results file gives each Direction, in the
// kernel field of its case.
var directions = [...]string{Upload: "upload", Download: "download", Latency: "latency"}

// String is the direction's name: "upload", "download" or "latency".
func (d Direction) String() string {
	if d < Upload || d > Latency {
		return fmt.Sprintf("Direction(%d)", uint8(d))
	}
	return directions[d]
}

// MarshalText writes the direction's name.
func (d Direction) MarshalText() ([]byte, error) {
	if d < Upload || d > Latency {
		return nil, fmt.Errorf("results: %v is not a transfer direction", d)
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads a direction's name.
func (d *Direction) UnmarshalText(b []byte) error {
	for v := Upload; v <= Latency; v++ {
		if string(b) == directions[v] {
			*d = v
			return nil
		}
	}
	return fmt.Errorf("%w: %q is not a transfer direction (upload, download, latency)", compute.ErrUsage, b)
}

// TransferCase is one case of a transfer measurement: a copy of
// Elements float32 elements up or down, verified bit for bit, or the
// dispatch latency. A results file holds it among the results, as a case
// whose kernel is its direction's name (see Report).
type TransferCase struct {
	Direction Direction
	Backend   string
	Device    string
	Level     string
	Software  bool
	// N is the number of elements copied, 1 for the latency.
	N     int
	DType compute.DType
	// Verified is true when what came back is what went up (for the
	// latency, where it ran a copy kernel, its one element); Checked
	// and Elements count the elements compared and copied.
	Verified bool
	Checked  int
	Elements int
	Mismatch string
	Err      string
	// Times of one copy or start, as Result's.
	Reps     int
	Inner    int
	MedianNs float64
	MinNs    float64
	MaxNs    float64
	CV       float64
	TimesNs  []float64
	Bytes    float64
	GBps     float64
}

// Failed reports whether the case did not verify, or could not run.
func (c *TransferCase) Failed() bool { return !c.Verified }

// Name is the case as one word: direction/backend/size/dtype, e.g.
// "upload/gl/1024/float32".
func (c *TransferCase) Name() string {
	return fmt.Sprintf("%v/%s/%d/%v", c.Direction, c.Backend, c.N, c.DType)
}

// Summarise sets c's time statistics and rate from times, one
// repetition's nanoseconds each.
func (c *TransferCase) Summarise(times []float64) {
	st := stats.Summarise(times)
	c.Reps, c.MedianNs, c.MinNs, c.MaxNs, c.CV = len(times), st.Median, st.Min, st.Max, st.CV
	c.GBps = Rate(c.Bytes, c.MedianNs)
}

// row is c as a results file's row: a Result of no kernel, whose kernel
// field the direction takes.
func (c *TransferCase) row() Result {
	return Result{Backend: c.Backend, Device: c.Device, Level: c.Level, Shape: Shape{compute.Vec(c.N)}, DType: c.DType,
		Software: c.Software, Verified: c.Verified, Checked: c.Checked, Elements: c.Elements, Mismatch: c.Mismatch, Err: c.Err,
		Reps: c.Reps, Inner: c.Inner, MedianNs: c.MedianNs, MinNs: c.MinNs, MaxNs: c.MaxNs, CV: c.CV, TimesNs: c.TimesNs,
		Bytes: c.Bytes, GBps: c.GBps}
}

// transferRow is a TransferCase as a results file holds it: a result's
// fields, whose kernel is shadowed by the direction (a shallower field
// wins in encoding/json), so that the fields keep their place.
type transferRow struct {
	Direction Direction `json:"kernel"`
	resultJSON
}

// MarshalJSON writes c as a result whose kernel is c's direction.
func (c TransferCase) MarshalJSON() ([]byte, error) {
	return json.Marshal(transferRow{c.Direction, resultJSON{plainResult: plainResult(c.row())}})
}

// UnmarshalJSON reads a result whose kernel is a direction.
func (c *TransferCase) UnmarshalJSON(b []byte) error {
	var j transferRow
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	r := j.plainResult
	if r.DType.Size() == 0 {
		return fmt.Errorf("%w: a transfer case (%v) names no dtype", compute.ErrUsage, j.Direction)
	}
	if r.Shape.M != 0 || r.Shape.K != 0 {
		return fmt.Errorf("%w: %v case of shape %q: a copy has a length", compute.ErrShape, j.Direction, r.Shape)
	}
	*c = TransferCase{Direction: j.Direction, Backend: r.Backend, Device: r.Device, Level: r.Level, Software: r.Software,
		N: r.Shape.N, DType: r.DType, Verified: r.Verified, Checked: r.Checked, Elements: r.Elements, Mismatch: r.Mismatch,
		Err: r.Err, Reps: r.Reps, Inner: r.Inner, MedianNs: r.MedianNs, MinNs: r.MinNs, MaxNs: r.MaxNs, CV: r.CV,
		TimesNs: r.TimesNs, Bytes: r.Bytes, GBps: r.GBps}
	return nil
}

// Transfer is what one backend's copies between host and device memory
// and the start of a kernel cost: host→device (upload) and device→host
// (download) bandwidth over a sweep of sizes, and the dispatch latency.
// Cases are its measurements: each size's upload and download, each
// verified (what came back matched what went up, bit for bit), then the
// latency.
type Transfer struct {
	Backend  string `json:"backend"`
	Device   string `json:"device"`
	Software bool   `json:"software,omitempty"`
	// HostMemory marks a backend whose buffers are in host memory (the
	// CPU): its transfers are copies within that memory (memcpy), not
	// over a bus.
	HostMemory bool `json:"host_memory,omitempty"`
	Upload     Link `json:"upload"`
	Download   Link `json:"download"`
	// LatencyNs is the median time to start a kernel and wait for it;
	// LatencyOf says of what: the empty kernel of a GPU backend, or the
	// smallest case of the copy kernel where a backend has no empty one.
	LatencyNs float64  `json:"latency_ns"`
	LatencyOf string   `json:"latency_of,omitempty"`
	Notes     []string `json:"notes,omitempty"`
	// Cases is written among the report's results (see Report).
	Cases []TransferCase `json:"-"`
}

// Link is one direction's sweep, summed up: the best rate measured, and
// the smallest size that reached half of it (Hockney's n½: below it a
// copy's fixed cost outweighs its bytes).
type Link struct {
	PeakGBps      float64 `json:"peak_gbps"`
	PeakBytes     float64 `json:"peak_bytes"`
	HalfPeakBytes float64 `json:"half_peak_bytes"`
}

// LinkOf sums up the verified cases of one direction, rs, in order of
// size.
func LinkOf(rs []TransferCase) Link {
	var l Link
	for _, r := range rs {
		if r.Verified && r.GBps > l.PeakGBps {
			l.PeakGBps, l.PeakBytes = r.GBps, r.Bytes
		}
	}
	for _, r := range rs {
		if r.Verified && l.PeakGBps > 0 && r.GBps >= l.PeakGBps/2 {
			l.HalfPeakBytes = r.Bytes
			break
		}
	}
	return l
}
