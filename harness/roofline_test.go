package harness

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

func quickRoofline(current **fake) RooflineConfig {
	cfg := DefaultConfig()
	cfg.Env = testEnv(current)
	cfg.Reps, cfg.Warmup, cfg.MinRepTime = 2, 1, 0
	return RooflineConfig{Config: cfg, StreamBytes: 64 << 10, SweepBytes: 16 << 10, PeakN: 1000, PeakK: 64, MaxIntensity: 4}
}

func TestSweepSteps(t *testing.T) {
	t.Parallel()
	if got, want := SweepSteps(compute.Float32, 1.0/8, 256), []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}; !slices.Equal(got, want) {
		t.Errorf("float32 sweep K = %v, want %v", got, want)
	}
	if got, want := SweepSteps(compute.Float64, 1.0/8, 256), []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}; !slices.Equal(got, want) {
		t.Errorf("float64 sweep K = %v, want %v", got, want)
	}
	fma := mustKernel("fma")
	for _, dt := range compute.DTypes() {
		ks := SweepSteps(dt, 1.0/8, 256)
		if i := fma.Intensity(compute.Chain(10, ks[len(ks)-1]), dt); i != 256 {
			t.Errorf("%v sweep ends at %v FLOP/B, want 256", dt, i)
		}
	}
}

// TestRooflineSizes: the STREAM arrays are 4× the L3 within their
// limits, capped by free memory with a note, and a GPU's follow its
// largest buffer.
func TestRooflineSizes(t *testing.T) {
	t.Parallel()
	info := &hwinfo.Info{}
	info.CPU.L3 = 32 << 20
	cpu := compute.Device{Backend: "cpu"}
	rc, notes := RooflineSizes(RooflineConfig{}, cpu, info, 64<<30)
	if rc.StreamBytes != 128<<20 || rc.SweepBytes != rc.StreamBytes || len(notes) != 0 || rc.PeakK != 1024 || rc.MaxIntensity != 256 {
		t.Errorf("32 MiB L3: %+v, notes %q", rc, notes)
	}
	info.CPU.L3 = 260 << 20
	rc, notes = RooflineSizes(RooflineConfig{}, cpu, info, 64<<30)
	if rc.StreamBytes != 1<<30 || len(notes) != 1 || !strings.Contains(notes[0], "under 4×") {
		t.Errorf("260 MiB L3: %s, notes %q", results.FormatBytes(float64(rc.StreamBytes)), notes)
	}
	// 1 GiB free: a triad case as auto checks it (streamed) must take at
	// most half, so each array gets about an eighth of it, less the
	// check's chunks; in a MiB.
	rc, notes = RooflineSizes(RooflineConfig{}, cpu, info, 1<<30)
	triad := compute.Problem{Kernel: mustKernel("triad"), Shape: compute.Vec(rc.StreamBytes / 4), DType: compute.Float32}
	if need := hostBytes(triad, rc.Config); need > 1<<30/2 || rc.StreamBytes < 1<<30/8-(4<<20+1<<20) || len(notes) != 2 || !strings.Contains(notes[1], "free memory") {
		t.Errorf("1 GiB free: %s (triad needs %s), notes %q", results.FormatBytes(float64(rc.StreamBytes)), results.FormatBytes(need), notes)
	}
	gpu := compute.Device{Backend: "gl", Software: true, GPU: &compute.GPU{MaxSSBOSize: 128 << 20}}
	rc, _ = RooflineSizes(RooflineConfig{}, gpu, info, 64<<30)
	if rc.StreamBytes != 128<<20 || rc.SweepBytes != softwareSweepBytes {
		t.Errorf("llvmpipe: stream %d, sweep %d", rc.StreamBytes, rc.SweepBytes)
	}
	// Sizes asked for beyond the GPU's largest buffer are capped there.
	rc, notes = RooflineSizes(RooflineConfig{StreamBytes: 256 << 20, SweepBytes: 64 << 20}, gpu, info, 0)
	if rc.StreamBytes != 128<<20 || rc.SweepBytes != 64<<20 || len(notes) != 1 || !strings.Contains(notes[0], "largest storage buffer") {
		t.Errorf("256 MiB asked of a 128 MiB GPU: stream %d, sweep %d, notes %q", rc.StreamBytes, rc.SweepBytes, notes)
	}
	rc, _ = RooflineSizes(RooflineConfig{StreamBytes: 5 << 20, PeakN: 7}, cpu, info, 0)
	if rc.StreamBytes != 5<<20 || rc.PeakN != 7 || rc.FullIntensity != 16 {
		t.Errorf("given sizes were not kept: %+v", rc)
	}
}

// TestSweepShrinks: past FullIntensity the sweep keeps N·K, down to PeakN.
func TestSweepShrinks(t *testing.T) {
	t.Parallel()
	current := &fake{}
	rc := quickRoofline(&current)
	rc.SweepBytes, rc.PeakN, rc.MaxIntensity, rc.FullIntensity = 64<<10, 2000, 64, 4
	_, _, done, err := MeasureRoofline(context.Background(), rc, "fake")
	if err != nil {
		t.Fatal(err)
	}
	var shapes []string
	for _, r := range done[5:] { // after STREAM and the peak
		shapes = append(shapes, r.Shape.String())
	}
	// 16384 float32 elements up to K = 16 (4 FLOP/B), then N·K = 2¹⁸ down to 2000.
	want := []string{"16384x1", "16384x2", "16384x4", "16384x8", "16384x16", "8192x32", "4096x64", "2048x128", "2000x256"}
	if !slices.Equal(shapes, want) {
		t.Errorf("sweep shapes %v, want %v", shapes, want)
	}
}

func TestMeasureRoofline(t *testing.T) {
	t.Parallel()
	current := &fake{}
	rc := quickRoofline(&current)
	r, dev, done, err := MeasureRoofline(context.Background(), rc, "fake")
	if err != nil {
		t.Fatal(err)
	}
	if dev.Name != "reference" || r.Backend != "fake" {
		t.Errorf("device %+v, roofline of %q", dev, r.Backend)
	}
	// 4 STREAM + peak + K = 1, 2, 4, 8, 16 (float32 only: the fake has no float64).
	if len(done) != 4+1+5 {
		t.Fatalf("%d results", len(done))
	}
	for _, res := range done {
		if !res.Verified {
			t.Errorf("%s/%s: not verified: %s%s", res.Kernel, res.Shape, res.Err, res.Mismatch)
		}
	}
	if len(r.Stream) != 4 || r.BandwidthGBps <= 0 || r.BandwidthGBps != max(r.Stream["copy"], r.Stream["scale"], r.Stream["add"], r.Stream["triad"]) {
		t.Errorf("bandwidth %v, stream %v", r.BandwidthGBps, r.Stream)
	}
	if len(r.Ceilings) != 1 {
		t.Fatalf("ceilings %+v", r.Ceilings)
	}
	c := r.Ceilings[0]
	if c.DType != compute.Float32 || c.PeakGFLOPS <= 0 || c.Ridge != c.PeakGFLOPS/r.BandwidthGBps || len(c.Sweep) != 5 {
		t.Errorf("ceiling %+v", c)
	}
	for i, p := range c.Sweep {
		if p.K != 1<<i || p.Intensity != float64(p.K)/4 || !p.Verified || p.GFLOPS > c.PeakGFLOPS {
			t.Errorf("sweep point %+v", p)
		}
	}
	if !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "no float64") }) {
		t.Errorf("notes %q do not say float64 is missing", r.Notes)
	}
	if a := r.Attainable(c, 1e-9); a != r.BandwidthGBps*1e-9 {
		t.Errorf("attainable at low intensity %v", a)
	}
	if a := r.Attainable(c, 1e9); a != c.PeakGFLOPS {
		t.Errorf("attainable at high intensity %v", a)
	}
}

// TestRooflineLeavesOutFailures: a wrong result's speed does not count.
func TestRooflineLeavesOutFailures(t *testing.T) {
	t.Parallel()
	current := &fake{corrupt: "fma"}
	defer func() { current = &fake{} }()
	r, _, _, err := MeasureRoofline(context.Background(), quickRoofline(&current), "fake")
	if err != nil {
		t.Fatal(err)
	}
	c := r.Ceilings[0]
	if c.PeakGFLOPS != 0 || c.Ridge != 0 || c.Sweep[0].Verified {
		t.Errorf("a corrupt fma counted: %+v", c)
	}
	if !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "left out") }) {
		t.Errorf("notes %q", r.Notes)
	}
}

func TestRunRooflineReport(t *testing.T) {
	t.Parallel()
	current := &fake{}
	ctx, cancel := context.WithCancel(context.Background())
	rep, err := RunRoofline(ctx, quickRoofline(&current), []string{"fake"})
	if err != nil || len(rep.Rooflines) != 1 || len(rep.Devices) != 1 || len(rep.Results) != 10 || !rep.Complete {
		t.Fatalf("report %+v, %v", rep, err)
	}
	b, err := json.Marshal(rep)
	if err != nil || !strings.Contains(string(b), `"rooflines"`) || !strings.Contains(string(b), `"ridge_flop_per_byte"`) {
		t.Errorf("JSON lacks the roofline: %v", err)
	}
	cancel()
	rep, err = RunRoofline(ctx, quickRoofline(&current), []string{"fake"})
	if err == nil || rep.Complete {
		t.Errorf("a cancelled roofline: complete %v, error %v", rep.Complete, err)
	}
}
