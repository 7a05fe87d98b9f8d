package report

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// TestKernelPointsOddValues: a last-run file holds whatever its writer
// put there. Cases whose figures are not positive finite numbers that
// log-log axes can place (0, negative, NaN, ±Inf, a subnormal that
// halves to 0, a rate that overflows ×4) are left out and counted;
// cases without arithmetic and unverified ones are not placed and not
// counted; the rest are placed, and the plot draws without a panic
// (gonum/plot's "Values must be greater than 0 for a log scale").
func TestKernelPointsOddValues(t *testing.T) {
	ok := results.Result{Kernel: compute.Gemv, Backend: "cpu", Shape: results.ShapeOf(compute.Vec(8)), DType: compute.Float32, Verified: true, Flops: 128, Bytes: 320, GFLOPS: 3}
	odd := func(f func(r *results.Result)) results.Result {
		r := ok
		f(&r)
		return r
	}
	rep := &results.Report{Results: []results.Result{
		ok,
		{Kernel: compute.Copy, Verified: true, Bytes: 64, GFLOPS: 0},        // no arithmetic
		odd(func(r *results.Result) { r.Verified = false }),                 // did not verify
		odd(func(r *results.Result) { r.Flops = 1e-320 }),                   // intensity halves to 0
		odd(func(r *results.Result) { r.GFLOPS = 1e308 }),                   // ×4 overflows
		odd(func(r *results.Result) { r.Flops = -8 }),                       // negative
		odd(func(r *results.Result) { r.Bytes = 0 }),                        // infinite intensity
		odd(func(r *results.Result) { r.GFLOPS = math.NaN() }),              // NaN
		odd(func(r *results.Result) { r.Flops, r.GFLOPS = math.Inf(1), 1 }), // Inf
	}}
	roofs := []results.Roofline{{Backend: "cpu", BandwidthGBps: 50,
		Ceilings: []results.Ceiling{{DType: compute.Float32, PeakGFLOPS: 400, Ridge: 8}}}}
	points, dropped := KernelPoints(rep, roofs)
	if len(points) != 1 || points[0].Kernel != compute.Gemv || dropped != 6 {
		t.Fatalf("KernelPoints placed %+v and dropped %d; want gemv alone and 6 dropped", points, dropped)
	}
	if err := PlotRoofline(filepath.Join(t.TempDir(), "r.svg"), roofs, points); err != nil {
		t.Errorf("PlotRoofline: %v", err)
	}
	// A point no check has seen: gonum/plot's panic is an error.
	bad := []KernelPoint{{Kernel: compute.Dot, Backend: "cpu", Intensity: 0, GFLOPS: 1}}
	if err := PlotRoofline(filepath.Join(t.TempDir(), "bad.svg"), roofs, bad); err == nil {
		t.Error("PlotRoofline of a point at intensity 0 succeeded")
	}
}
