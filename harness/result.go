// Package bench is the harness: it plans cases (kernel × shape × dtype ×
// backend), makes deterministic inputs and a float64 reference, times
// warm-up and repetitions, verifies each result against its derived
// bound, and returns the measurements. It never prints.
package harness

import (
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// SchemaVersion is the version of the results file's layout. Bump it on
// any change a reader would notice.
const SchemaVersion = 1

// Report is everything one run measured: the machine, the backends, and
// every case.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Time          time.Time `json:"time"`
	// Complete is false when the run was interrupted: Results then holds
	// only the cases that finished.
	Complete bool                   `json:"complete"`
	Build    Build                  `json:"build"`
	Probe    *hwinfo.Info           `json:"probe"`
	Backends []compute.Availability `json:"backends"`
	Devices  []compute.Device       `json:"devices"`
	Results  []Result               `json:"results"`
	// Rooflines holds each backend's roofline where one was measured
	// (gpubench roofline); its cases are among Results.
	Rooflines []Roofline `json:"rooflines,omitempty"`
}

// Build says which binary produced a report.
type Build struct {
	GoVersion string `json:"go_version"`
	Commit    string `json:"commit,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	Tags      string `json:"tags,omitempty"`
	CGO       bool   `json:"cgo"`
}

// Result is one case on one backend.
type Result struct {
	Kernel  string        `json:"kernel"`
	Backend string        `json:"backend"`
	Device  string        `json:"device"`
	Level   string        `json:"level,omitempty"`
	Shape   string        `json:"shape"`
	DType   compute.DType `json:"dtype"`
	Alpha   float64       `json:"alpha"`
	Beta    float64       `json:"beta"`
	// Software marks a software GPU: the figures check correctness only.
	Software bool `json:"software,omitempty"`

	// Verified is true when every element of the result is within its
	// bound; Err says why a case could not run at all, Skipped why it
	// was not attempted (a dtype the device lacks).
	Verified  bool    `json:"verified"`
	MaxAbsErr float64 `json:"max_abs_err"`
	MaxRelErr float64 `json:"max_rel_err"`
	Bound     float64 `json:"bound"`
	// ErrRatio is the largest error over its element's bound: ≤ 1 passes.
	ErrRatio float64 `json:"err_over_bound"`
	Mismatch string  `json:"mismatch,omitempty"`
	// Checked is how many of the result's Elements were compared with
	// the reference: all of them, or a sample (Config.Verify). Both are
	// 0 in results files from before sampling, which checked all.
	Checked  int    `json:"checked"`
	Elements int    `json:"elements"`
	Err      string `json:"error,omitempty"`
	Skipped  string `json:"skipped,omitempty"`

	// Times of the kernel alone, per run, from the host clock around a
	// synchronised run (several runs per repetition for short kernels:
	// Inner of them).
	Reps     int     `json:"reps"`
	Inner    int     `json:"inner"`
	MedianNs float64 `json:"median_ns"`
	MinNs    float64 `json:"min_ns"`
	MaxNs    float64 `json:"max_ns"`
	// CV is the coefficient of variation of the repetitions.
	CV      float64   `json:"cv"`
	TimesNs []float64 `json:"times_ns,omitempty"`
	// GPUMedianNs is the device's own timer (GL_TIME_ELAPSED) where it
	// gave plausible values, else 0.
	GPUMedianNs float64 `json:"gpu_median_ns,omitempty"`

	Flops  float64 `json:"flops"`
	Bytes  float64 `json:"bytes"`
	GFLOPS float64 `json:"gflops"`
	GBps   float64 `json:"gbps"`
	// PeakPct is GFLOPS as a share of the device's theoretical peak.
	PeakPct float64 `json:"peak_pct,omitempty"`

	// Transfers, timed apart from the kernel: all inputs up, out down.
	UploadNs     float64 `json:"upload_ns"`
	UploadGBps   float64 `json:"upload_gbps"`
	DownloadNs   float64 `json:"download_ns"`
	DownloadGBps float64 `json:"download_gbps"`
}

// Failed reports whether the case ran and did not verify, or could not run.
func (r *Result) Failed() bool { return r.Skipped == "" && !r.Verified }
