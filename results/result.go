// Package results is what a run leaves behind: the results file's types
// (Report, one Result per case, rooflines and scaling sweeps), reading
// and comparing such files, writing them atomically, the last run kept
// for 'gpubench roofline', and the .npy dumps of a case's operands.
package results

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/stats"
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

// NewReport starts a report of a run made now on the machine probe
// describes, with the backends it could open.
func NewReport(probe *hwinfo.Info, backends []compute.Availability) *Report {
	return &Report{
		SchemaVersion: SchemaVersion, Time: time.Now().UTC(), Complete: true,
		Build: BuildInfo(), Probe: probe, Backends: backends,
	}
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
	// was not attempted: it is unsupported (a kernel the backend does not
	// run, a dtype its device lacks), which neither passes nor fails.
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

// NewResult is the result of p on backend, run on dev, before it is
// measured.
func NewResult(p compute.Problem, backend string, dev compute.Device) Result {
	return Result{
		Kernel: p.Kernel.String(), Backend: backend, Device: dev.Name, Level: dev.Level, Software: dev.Software,
		Shape: p.Shape.Format(p.Kernel), DType: p.DType, Alpha: p.Alpha, Beta: p.Beta,
		Flops: p.Flops(), Bytes: p.Bytes(),
	}
}

// Summarise sets r's time statistics and rates from times, one
// repetition's nanoseconds each; peak is the device's theoretical GFLOP/s
// in r's dtype, 0 where it has none.
func (r *Result) Summarise(times []float64, peak float64) {
	st := stats.Summarise(times)
	r.Reps, r.MedianNs, r.MinNs, r.MaxNs, r.CV = len(times), st.Median, st.Min, st.Max, st.CV
	r.GFLOPS = Rate(r.Flops, r.MedianNs)
	r.GBps = Rate(r.Bytes, r.MedianNs)
	if peak > 0 {
		r.PeakPct = 100 * r.GFLOPS / peak
	}
}

// Rate is amount per second in units of 10⁹, given nanoseconds.
func Rate(amount, ns float64) float64 {
	if ns <= 0 {
		return 0
	}
	return amount / ns
}

// BuildInfo describes the running binary.
func BuildInfo() Build {
	b := Build{GoVersion: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "-tags":
			b.Tags = s.Value
		case "CGO_ENABLED":
			b.CGO = s.Value == "1"
		}
	}
	return b
}

// FormatBytes writes n with a binary unit: "512 B", "1.5 KiB", "3.0 GiB".
func FormatBytes(n float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for n >= 1024 && i < len(units)-1 {
		n /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f %s", n, units[i])
	}
	return fmt.Sprintf("%.1f %s", n, units[i])
}
