package results

import (
	"runtime"
	"runtime/debug"
	"strings"
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
	// Transfers holds each backend's transfer rates and dispatch
	// latency where they were measured, with their cases; the file
	// lists those cases first among its results (see MarshalJSON).
	Transfers []Transfer `json:"transfers,omitempty"`
	// Crossovers holds each kernel's CPU against GPU sweep (gpubench
	// crossover); their cases are among Results.
	Crossovers []Crossover `json:"crossovers,omitempty"`
	// Bandwidths are the memory bandwidths that the PEAK of cases bound
	// by memory is a share of (Result.PeakOf).
	Bandwidths []Bandwidth `json:"memory_bandwidths,omitempty"`
	// Notes says what the file could not hold as measured: a figure
	// that was not a number, written as null (see MarshalJSON).
	Notes []string `json:"notes,omitempty"`
}

// NewReport starts a report of a run made now on the machine probe
// describes, with the backends it could open.
func NewReport(probe *hwinfo.Info, backends []compute.Availability) *Report {
	return &Report{
		SchemaVersion: SchemaVersion, Time: time.Now().UTC(), Complete: true,
		Build: BuildInfo(), Probe: probe, Backends: backends,
	}
}

// Failures names the cases of r that did not verify or could not run,
// each as its Name: the transfers' cases first, as the file lists them.
func (r *Report) Failures() []string {
	var bad []string
	for _, t := range r.Transfers {
		for _, c := range t.Cases {
			if c.Failed() {
				bad = append(bad, c.Name())
			}
		}
	}
	for _, res := range r.Results {
		if res.Failed() {
			bad = append(bad, res.Name())
		}
	}
	return bad
}

// Build says which binary produced a report.
type Build struct {
	// Version is the module's version: a release tag for a binary built
	// by 'go install …@version', "(devel)" for one built in a checkout.
	Version   string `json:"version"`
	GoVersion string `json:"go_version"`
	Commit    string `json:"commit,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	Tags      string `json:"tags,omitempty"`
	CGO       bool   `json:"cgo"`
}

// Result is one case on one backend.
type Result struct {
	Kernel  compute.Kernel `json:"kernel"`
	Backend string         `json:"backend"`
	Device  string         `json:"device"`
	Level   string         `json:"level,omitempty"`
	Shape   Shape          `json:"shape"`
	DType   compute.DType  `json:"dtype"`
	Alpha   float64        `json:"alpha"`
	Beta    float64        `json:"beta"`
	// Software marks a software GPU: the figures check correctness only.
	Software bool `json:"software,omitempty"`

	// Verified is true when every element of the result is within its
	// bound; Err says why a case could not run at all, Skipped why it
	// was not attempted: it is unsupported (a kernel the backend does not
	// run, a dtype its device lacks), which neither passes nor fails.
	Verified  bool    `json:"verified"`
	MaxAbsErr float64 `json:"max_abs_err" nonfinite:"ok"`
	MaxRelErr float64 `json:"max_rel_err" nonfinite:"ok"`
	Bound     float64 `json:"bound" nonfinite:"ok"`
	// ErrRatio is the largest error over its element's bound: ≤ 1 passes.
	ErrRatio float64 `json:"err_over_bound" nonfinite:"ok"`
	Mismatch string  `json:"mismatch,omitempty"`
	// Checked is how many of the result's Elements were compared with
	// the reference: all of them, or a sample (Config.Verify). Both are
	// 0 in results files from before sampling, which checked all.
	Checked  int `json:"checked"`
	Elements int `json:"elements"`
	// Passes names the input sets the result was verified on, each in a
	// run of its own on poisoned buffers: "random" (the inputs it was
	// timed on), "exact", for dot and sum "positive", and "special" last
	// where the run asked for it (see ref.InputSet). PassNote says why a pass could not run, e.g. no
	// exact pass where the terms outgrow the dtype's significand.
	Passes   []string `json:"passes,omitempty"`
	PassNote string   `json:"pass_note,omitempty"`
	Err      string   `json:"error,omitempty"`
	Skipped  string   `json:"skipped,omitempty"`

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
	// PeakPct is the share of its bound that the case reached: for a
	// case bound by memory (PeakOf "bandwidth") its GB/s over the
	// device's measured memory bandwidth, for the others (PeakOf
	// "flops") its GFLOP/s over the device's theoretical peak. 0 where
	// that bound is unknown. See SetPeak.
	PeakPct float64 `json:"peak_pct,omitempty"`
	PeakOf  string  `json:"peak_of,omitempty"`
	// Resident names the smallest CPU cache that holds the case's
	// operands ("L1", "L2", "L3"), where one does: its GB/s is that
	// cache's, not memory's.
	Resident string `json:"resident,omitempty"`

	// Transfers, timed apart from the kernel: all inputs up, out down.
	UploadNs     float64 `json:"upload_ns"`
	UploadGBps   float64 `json:"upload_gbps"`
	DownloadNs   float64 `json:"download_ns"`
	DownloadGBps float64 `json:"download_gbps"`
	// EndToEndNs is the median time of a run with its copies: every
	// input uploaded, the kernel run, the result downloaded. 0 where it
	// was not measured.
	EndToEndNs float64 `json:"end_to_end_ns,omitempty"`
}

// Failed reports whether the case ran and did not verify, or could not run.
func (r *Result) Failed() bool { return r.Skipped == "" && !r.Verified }

// Name is the case as one word: kernel/backend/shape/dtype, e.g.
// "gemm/cpu/512x512x512/float32".
func (r *Result) Name() string {
	return r.Kernel.String() + "/" + r.Backend + "/" + r.Shape.String() + "/" + r.DType.String()
}

// NewResult is the result of p on backend, run on dev, before it is
// measured.
func NewResult(p compute.Problem, backend string, dev compute.Device) Result {
	return Result{
		Kernel: p.Kernel, Backend: backend, Device: dev.Name, Level: dev.Level, Software: dev.Software,
		Shape: Shape{p.Shape}, DType: p.DType, Alpha: p.Alpha, Beta: p.Beta,
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
	r.SetPeak(peak, 0)
}

// Values of Result.PeakOf.
const (
	PeakOfFlops     = "flops"
	PeakOfBandwidth = "bandwidth"
)

// minRidge is the ridge point, in FLOP per byte, assumed where a
// device's memory bandwidth is unknown: every CPU and GPU seen has its
// ridge (peak FLOP/s over memory bytes/s) above it, so that a kernel
// below it is bound by memory anywhere.
// Measurements: docs/methodology.md#why-these-constants.
const minRidge = 1.0

// SetPeak sets PeakPct and PeakOf from the device's theoretical peak in
// r's dtype and its measured memory bandwidth (0 where either is
// unknown). A case whose arithmetic intensity lies below the ridge point
// (peak over bandwidth, or minRidge) is bound by memory, and its share
// is of the bandwidth: a share of the FLOP peak would say a STREAM
// kernel runs at 2 % when it saturates the memory. A case resident in a
// cache can pass 100 %. Without the bound it needs, PeakPct is 0.
func (r *Result) SetPeak(peakGFLOPS, bandwidthGBps float64) {
	r.PeakPct, r.PeakOf = 0, ""
	switch memory := r.BoundByMemory(peakGFLOPS, bandwidthGBps); {
	case memory && bandwidthGBps > 0:
		r.PeakPct, r.PeakOf = 100*r.GBps/bandwidthGBps, PeakOfBandwidth
	case !memory && peakGFLOPS > 0:
		r.PeakPct, r.PeakOf = 100*r.GFLOPS/peakGFLOPS, PeakOfFlops
	}
}

// L3Evidence is how far past memory's measured bandwidth a case bound
// by memory must run for its "L3" to stand: operands that fit in the L3
// by the probe's size but stream at memory's speed are in memory, and a
// VM's CPUID may report its host's L3; kernels in memory run near the
// best STREAM kernel, well under this.
// Measurements: docs/methodology.md#why-these-constants.
const L3Evidence = 1.5

// ConfirmL3, given r's peak set (SetPeak) from the measured memory
// bandwidth bw of its device, drops r's "L3" where r is bound by memory
// and its GB/s stays under L3Evidence × bw: the probe's L3 can be
// larger than what the case's cores get (a VM's CPUID describes its
// host's), and a cache label on a case that ran at memory's speed would
// misread it. L1 and L2, per core, are left as they are.
func (r *Result) ConfirmL3(bw float64) {
	if r.Resident == "L3" && r.PeakOf == PeakOfBandwidth && r.GBps < L3Evidence*bw {
		r.Resident = ""
	}
}

// BoundByMemory reports whether r's arithmetic intensity lies below the
// ridge point of a device of that peak and memory bandwidth (minRidge
// where either is 0): memory, not arithmetic, bounds its speed there.
func (r *Result) BoundByMemory(peakGFLOPS, bandwidthGBps float64) bool {
	ridge := minRidge
	if peakGFLOPS > 0 && bandwidthGBps > 0 {
		ridge = peakGFLOPS / bandwidthGBps
	}
	return r.Bytes > 0 && r.Flops < ridge*r.Bytes
}

// Bandwidth is a device's measured memory bandwidth and where it came
// from.
type Bandwidth struct {
	Backend string  `json:"backend"`
	Device  string  `json:"device"`
	GBps    float64 `json:"gbps"`
	// From says what measured it, e.g. "roofline of 2026-12-04 10:31".
	From string `json:"from"`
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
	b.Version = info.Main.Version
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

// String is the build in one line: version, revision (with "-dirty"
// where the checkout had changes) and Go, e.g. "v0.3.0 (a1b2c3d4e5f6,
// go1.26.0)".
func (b Build) String() string {
	v := b.Version
	if v == "" {
		v = "unknown version"
	}
	var rev []string
	if b.Commit != "" {
		c := b.Commit[:min(len(b.Commit), 12)]
		if b.Modified {
			c += "-dirty"
		}
		rev = append(rev, c)
	}
	rev = append(rev, b.GoVersion)
	if b.Tags != "" {
		rev = append(rev, "tags "+b.Tags)
	}
	if !b.CGO {
		rev = append(rev, "no cgo")
	}
	return v + " (" + strings.Join(rev, ", ") + ")"
}

// FormatBytes writes n with a binary unit: "512 B", "1.5 KiB", "3.0 GiB"
// (hwinfo.FormatBytes, which the memory limits' messages use too).
func FormatBytes(n float64) string { return hwinfo.FormatBytes(n) }
