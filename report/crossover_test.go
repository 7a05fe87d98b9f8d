package report

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// sampleCrossover is a sweep whose challenger wins from 64Ki with its
// data on the device and from 256Ki end to end.
func sampleCrossover() results.Crossover {
	c := results.Crossover{Kernel: compute.Saxpy, DType: compute.Float32, Base: "cpu", Challenger: "gl"}
	for n := 1 << 10; n <= 4<<20; n *= 4 {
		x := float64(n)
		c.Points = append(c.Points, results.CrossPoint{Shape: formatCount(n), Size: n, Work: 2 * x, Verified: true,
			BaseNs: 2 * x, BaseE2ENs: 2 * x, ChallengerNs: 50e3 + 0.2*x, ChallengerE2E: 60e3 + 1.5*x})
	}
	c.Decide()
	return c
}

// TestCrossoverTable: each size's times and speeds, and the verdicts in
// words, with sizes as a reader writes them.
func TestCrossoverTable(t *testing.T) {
	c := sampleCrossover()
	never := c
	never.Kernel, never.KernelOnly, never.EndToEnd = compute.Gemm, results.Verdict{UpTo: "4096x4096x4096", UpToSize: 4096, Speedup: 0.25},
		results.Verdict{UpTo: "4096x4096x4096", UpToSize: 4096, Speedup: 0.125}
	rep := &results.Report{Crossovers: []results.Crossover{c, never},
		Transfers: []results.Transfer{{Backend: "gl", Upload: results.Link{PeakGBps: 12, HalfPeakBytes: 1 << 20},
			Download: results.Link{PeakGBps: 6, HalfPeakBytes: 4 << 20}, LatencyNs: 35e3, LatencyOf: "empty kernel"}}}
	var b strings.Builder
	CrossoverTable(&b, rep)
	got := b.String()
	for _, want := range []string{
		"gl: upload 12.0 GB/s (half of it from 1.0 MiB), download 6.00 GB/s (half of it from 4.0 MiB), dispatch latency 35.0 µs (empty kernel)",
		"saxpy float32: gl against cpu", "  1Ki", "  4Mi", "gl wins, kernel only: from 64Ki on (9.4x as fast at 4Mi)",
		"gl wins, end to end:  from 256Ki on",
		"gl wins, kernel only: never up to 4096³ (0.25x as fast there)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}

// TestPlotCrossover: an SVG carries its fonts, a PNG is 1600 pixels
// wide, whether the crossover is found or not.
func TestPlotCrossover(t *testing.T) {
	dir := t.TempDir()
	c := sampleCrossover()
	never := c
	never.KernelOnly, never.EndToEnd = results.Verdict{UpTo: "4Mi", UpToSize: 4 << 20}, results.Verdict{}
	for _, name := range []string{"c.svg", "c.png"} {
		path := filepath.Join(dir, name)
		if err := PlotCrossover(path, []results.Crossover{c, never}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".svg") {
			if !strings.Contains(string(b), "@font-face") || !strings.Contains(string(b), "base64,") {
				t.Errorf("%s embeds no font", name)
			}
			continue
		}
		img, err := png.Decode(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		if w := img.Bounds().Dx(); w != 1600 {
			t.Errorf("%s is %d pixels wide, want 1600", name, w)
		}
	}
	if err := PlotCrossover(filepath.Join(dir, "none.svg"), nil); err == nil {
		t.Error("a plot of no crossover")
	}
}

// TestThinTicks: no two ticks closer than 1/n of the log axis; the last
// kept in place of a close one before it.
func TestThinTicks(t *testing.T) {
	values := func(ticks []plot.Tick) string {
		var v []float64
		for _, tk := range ticks {
			v = append(v, tk.Value)
		}
		return fmt.Sprint(v)
	}
	var sweep, squares []plot.Tick
	for v := 1.0; v <= 1<<14; v *= 4 {
		sweep = append(sweep, plot.Tick{Value: v})
	}
	sweep = append(sweep, plot.Tick{Value: 1 << 15})
	for v := 16.0; v <= 1024; v *= 2 {
		squares = append(squares, plot.Tick{Value: v})
	}
	// 1…2¹⁵ over 10: at least 2^1.5 apart, so 16384 gives way to 32768.
	if got := values(thin(sweep, 10)); got != "[1 4 16 64 256 1024 4096 32768]" {
		t.Errorf("sweep ticks %s", got)
	}
	if got := values(thin(squares, 10)); got != "[16 32 64 128 256 512 1024]" {
		t.Errorf("square ticks %s", got)
	}
}
