package results

import "github.com/gpubench/gpubench/compute"

// Roofline is one backend's measured roofline: the memory bandwidth that
// bounds kernels of low arithmetic intensity (the slope), the FMA peak
// that bounds the rest (the ceiling), and the fma kernel swept across
// intensities between them. Every figure comes from a verified case.
type Roofline struct {
	Backend  string `json:"backend"`
	Device   string `json:"device"`
	Level    string `json:"level,omitempty"`
	Software bool   `json:"software,omitempty"`
	// BandwidthGBps is the best of STREAM's four (copy, scale, add,
	// triad, float32) with StreamBytes in each array; Stream holds each.
	BandwidthGBps float64            `json:"bandwidth_gbps"`
	Stream        map[string]float64 `json:"stream_gbps"`
	StreamBytes   float64            `json:"stream_array_bytes"`
	// Ceilings holds the compute ceiling and sweep of each dtype run.
	Ceilings []Ceiling `json:"ceilings"`
	// Notes says what a reader should know: a cap on the array size, a
	// case that failed and was left out.
	Notes []string `json:"notes,omitempty"`
}

// Ceiling is the compute side of a roofline for one dtype.
type Ceiling struct {
	DType compute.DType `json:"dtype"`
	// PeakGFLOPS is the best fma rate measured (PeakShape, or a sweep
	// point if one ran faster); TheoreticalGFLOPS the device's estimate
	// from its probe (0 where unknown).
	PeakGFLOPS        float64 `json:"peak_gflops"`
	PeakShape         string  `json:"peak_shape"`
	TheoreticalGFLOPS float64 `json:"theoretical_gflops,omitempty"`
	// Ridge is the intensity where the slope meets the ceiling,
	// PeakGFLOPS / BandwidthGBps FLOP per byte: kernels below it are
	// bound by memory, above it by arithmetic.
	Ridge float64      `json:"ridge_flop_per_byte"`
	Sweep []SweepPoint `json:"sweep"`
}

// SweepPoint is the fma kernel at one step count.
type SweepPoint struct {
	K         int     `json:"k"`
	Shape     string  `json:"shape"`
	Intensity float64 `json:"intensity"`
	GFLOPS    float64 `json:"gflops"`
	GBps      float64 `json:"gbps"`
	Verified  bool    `json:"verified"`
}

// Attainable is the roofline's bound at intensity i (FLOP/B) for c:
// min(bandwidth·i, peak), in GFLOP/s.
func (r *Roofline) Attainable(c Ceiling, i float64) float64 {
	return min(r.BandwidthGBps*i, c.PeakGFLOPS)
}
