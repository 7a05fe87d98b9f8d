package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
)

// rooflineOptions are the flags of 'gpubench roofline'.
type rooflineOptions struct {
	run               *runOptions
	out               string
	last              string
	streamSize, sweep string
	maxIntensity      float64
	quick             bool
}

func newRoofline(stdout, stderr io.Writer) *cobra.Command {
	o := &rooflineOptions{run: defaultRunOptions()}
	o.run.reps, o.run.warmup, o.run.dtype = 5, 1, "all"
	cmd := &cobra.Command{
		Use:   "roofline",
		Short: "Measure each backend's roofline (bandwidth, FMA peak, intensity sweep) and place the last run's kernels on it",
		Long: `roofline measures, on each backend, the memory bandwidth (the best of
STREAM's copy, scale, add and triad, on arrays 4× the last-level cache on
a CPU, capped at 1 GiB, or the largest buffer on a GPU), the compute
ceiling (the fma kernel at 1024 steps per element) and the fma kernel
swept from 1/8 to 256 FLOP per byte, each result verified. It prints the
bandwidth, the measured peak next to the theoretical estimate, and the
ridge point where the two meet; with --out it draws them on log-log axes
with the kernels of the last 'gpubench run' placed by arithmetic
intensity.

A full measurement takes about a minute on a CPU (69–73 s and 4.1 GiB
peak on a 2-core Xeon with 1 GiB arrays), most of it making the inputs
and checking the results: --stream-size and --sweep-size trade that for
accuracy; --quick only checks that it works.`,
		Example: `  gpubench roofline --backend cpu --out roofline.svg
  gpubench roofline --backend all --format json
  gpubench roofline --quick --out r.png`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRoofline(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.run.backends, "backend", o.run.backends, "backends: cpu, gl, all, or a list")
	f.StringVar(&o.run.dtype, "dtype", o.run.dtype, "ceilings and sweeps in float32, float64 or all")
	f.StringVar(&o.out, "out", "", "draw the roofline to FILE (.svg or .png)")
	f.StringVar(&o.run.format, "format", "table", "output: table or json")
	f.StringVar(&o.last, "last", "", "place the kernels of this results file (default: the last 'gpubench run', "+lastRunHelp()+")")
	f.StringVar(&o.streamSize, "stream-size", "", "bytes in each STREAM array, e.g. 256Mi (default: 4× the L3 on a CPU, capped at 1 GiB; the largest buffer on a GPU)")
	f.StringVar(&o.sweep, "sweep-size", "", "bytes in each array of the intensity sweep (default: the STREAM size)")
	f.Float64Var(&o.maxIntensity, "max-intensity", 256, "highest intensity of the sweep, FLOP/B")
	f.BoolVar(&o.quick, "quick", false, "small arrays and a short sweep: a check that it works, not a measurement")
	addTimingFlags(f, o.run)
	addGlobalFlags(f, o.run)
	return cmd
}

// rooflineConfig turns the flags into the harness's configuration.
func (o *rooflineOptions) config() ([]string, harness.RooflineConfig, error) {
	var rc harness.RooflineConfig
	r := o.run
	if r.format != "table" && r.format != "json" {
		return nil, rc, fmt.Errorf("%w: unknown --format %q: use table or json", compute.ErrUsage, r.format)
	}
	if o.maxIntensity <= 0 || math.IsInf(o.maxIntensity, 0) || math.IsNaN(o.maxIntensity) {
		return nil, rc, fmt.Errorf("%w: --max-intensity %v must be a positive number of FLOP per byte", compute.ErrUsage, o.maxIntensity)
	}
	dtypes, cfg, err := r.harnessConfig()
	if err != nil {
		return nil, rc, err
	}
	backends, err := compute.ResolveBackends(expandBackends(r.backends))
	if err != nil {
		return nil, rc, err
	}
	cfg.Backends = backends
	rc.Config = cfg
	if r.dtype != "all" { // nil: every dtype
		rc.DTypes = dtypes
	}
	rc.MaxIntensity = o.maxIntensity
	if o.quick {
		rc.StreamBytes, rc.SweepBytes, rc.PeakN, rc.PeakK = 4<<20, 256<<10, 16<<10, 256
	}
	for _, s := range []struct {
		flag, v string
		dst     *int
	}{{"--stream-size", o.streamSize, &rc.StreamBytes}, {"--sweep-size", o.sweep, &rc.SweepBytes}} {
		if s.v == "" {
			continue
		}
		n, err := compute.ParseDim(s.v)
		if err != nil {
			return nil, rc, fmt.Errorf("%s: %w", s.flag, err)
		}
		if n < 64 {
			return nil, rc, fmt.Errorf("%w: %s %s: at least 64 bytes", compute.ErrUsage, s.flag, s.v)
		}
		*s.dst = n
	}
	return backends, rc, nil
}

func runRoofline(ctx context.Context, o *rooflineOptions, stdout, stderr io.Writer) error {
	backends, rc, err := o.config()
	if err != nil {
		return err
	}
	if err := probeNamed(backends); err != nil {
		return err
	}
	if o.out != "" {
		if err := checkPlotPath(o.out); err != nil {
			return err
		}
	}
	last, lastNote := readLastRun(o.last)
	if !o.run.quiet {
		rc.Progress = progress(stderr)
	}
	rep, runErr := harness.RunRoofline(ctx, rc, backends)
	if rc.Progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if rep == nil {
		return runErr
	}
	points := kernelPoints(last, rep.Rooflines)
	if o.run.format == "json" {
		err = writeJSON(stdout, struct {
			*harness.Report
			Kernels []kernelPoint `json:"last_run_kernels"`
		}{rep, points})
	} else {
		writeRooflineTable(stdout, rep, points, lastNote)
	}
	if err != nil {
		return err
	}
	if o.out != "" && len(rep.Rooflines) > 0 {
		if err := plotRoofline(o.out, rep.Rooflines, points); err != nil {
			return fmt.Errorf("--out %s: %w", o.out, err)
		}
	}
	if runErr != nil {
		if ctx.Err() != nil {
			return &exitError{exitMismatch, errors.New("interrupted: the output holds what finished")}
		}
		return runErr
	}
	if bad := failedCases(rep); len(bad) > 0 {
		return &exitError{exitMismatch, fmt.Errorf("%d case(s) failed verification and are left out of the roofline: %s", len(bad), strings.Join(bad, ", "))}
	}
	return nil
}

// lastRunPath is where 'gpubench run' keeps its latest report for
// 'gpubench roofline': gpubench/last.json under the user's cache
// directory.
func lastRunPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "gpubench", "last.json"), nil
}

func lastRunHelp() string {
	if p, err := lastRunPath(); err == nil {
		return p
	}
	return "in the user cache directory"
}

// saveLastRun keeps rep as the last run, atomically, so that a roofline
// drawn while a run writes never reads half a file.
func saveLastRun(rep *harness.Report) error {
	path, err := lastRunPath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	return harness.WriteFileAtomic(path, b)
}

// readLastRun reads the report at path (the last run's where empty). No
// report is not an error: the roofline then has no kernel points, and
// note says why.
func readLastRun(path string) (*harness.Report, string) {
	explicit := path != ""
	if !explicit {
		p, err := lastRunPath()
		if err != nil {
			return nil, "no last run to place: " + err.Error()
		}
		path = p
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return nil, "no 'gpubench run' yet: run one to place its kernels on the roofline"
		}
		return nil, fmt.Sprintf("kernels not placed: %v", err)
	}
	var rep harness.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Sprintf("kernels not placed: %s is not a results file: %v", path, err)
	}
	return &rep, fmt.Sprintf("kernels from %s (%s)", path, rep.Time.Local().Format(time.DateTime))
}

// kernelPoint is one verified case of the last run placed on a roofline:
// its intensity, its rate, and the bound the roofline of its backend and
// dtype sets there.
type kernelPoint struct {
	Kernel    string        `json:"kernel"`
	Backend   string        `json:"backend"`
	Shape     string        `json:"shape"`
	DType     compute.DType `json:"dtype"`
	Intensity float64       `json:"intensity"`
	GFLOPS    float64       `json:"gflops"`
	// Bound is min(bandwidth·intensity, peak) of the matching roofline,
	// BoundBy "memory" or "compute", and Share GFLOPS/Bound; all zero
	// where no roofline of that backend and dtype was measured.
	Bound   float64 `json:"bound_gflops,omitempty"`
	BoundBy string  `json:"bound_by,omitempty"`
	Share   float64 `json:"share_of_bound,omitempty"`
}

// kernelPoints places every verified case of rep that does arithmetic.
func kernelPoints(rep *harness.Report, roofs []harness.Roofline) []kernelPoint {
	if rep == nil {
		return nil
	}
	var out []kernelPoint
	for _, r := range rep.Results {
		if !r.Verified || r.Flops <= 0 || r.Bytes <= 0 || r.GFLOPS <= 0 {
			continue
		}
		p := kernelPoint{Kernel: r.Kernel, Backend: r.Backend, Shape: r.Shape, DType: r.DType,
			Intensity: r.Flops / r.Bytes, GFLOPS: r.GFLOPS}
		for i := range roofs {
			rf := &roofs[i]
			if rf.Backend != r.Backend && !(rf.Backend == "cpu" && strings.HasPrefix(r.Backend, "cpu/")) {
				continue
			}
			for _, c := range rf.Ceilings {
				if c.DType == r.DType && c.PeakGFLOPS > 0 && rf.BandwidthGBps > 0 {
					p.Bound = rf.Attainable(c, p.Intensity)
					p.BoundBy = "memory"
					if p.Intensity >= c.Ridge {
						p.BoundBy = "compute"
					}
					p.Share = p.GFLOPS / p.Bound
				}
			}
		}
		out = append(out, p)
	}
	return out
}

func writeRooflineTable(w io.Writer, rep *harness.Report, points []kernelPoint, lastNote string) {
	rows := [][]string{{"BACKEND", "DTYPE", "BANDWIDTH", "PEAK (fma)", "THEORETICAL", "SHARE", "RIDGE"}}
	for _, r := range rep.Rooflines {
		name := r.Backend
		if r.Level != "" && strings.HasPrefix(r.Backend, "cpu") {
			name += "/" + r.Level
		}
		if r.Software {
			name += " (sw)"
		}
		for _, c := range r.Ceilings {
			theo, share := "-", "-"
			if c.TheoreticalGFLOPS > 0 {
				theo = fmt.Sprintf("%s GFLOP/s", formatRate(c.TheoreticalGFLOPS, 1))
				share = fmt.Sprintf("%.0f%%", 100*c.PeakGFLOPS/c.TheoreticalGFLOPS)
			}
			ridge := "-"
			if c.Ridge > 0 {
				ridge = fmt.Sprintf("%.3g FLOP/B", c.Ridge)
			}
			rows = append(rows, []string{name, c.DType.String(), fmt.Sprintf("%s GB/s", formatRate(r.BandwidthGBps, 1)),
				fmt.Sprintf("%s GFLOP/s", formatRate(c.PeakGFLOPS, 1)), theo, share, ridge})
		}
	}
	printAligned(w, rows, []bool{false, false, true, true, true, true, true})
	fmt.Fprintln(w)
	for _, r := range rep.Rooflines {
		var s []string
		for _, k := range harness.StreamKernels {
			if v, ok := r.Stream[k]; ok {
				s = append(s, fmt.Sprintf("%s %s", k, formatRate(v, 1)))
			}
		}
		fmt.Fprintf(w, "%s: %s; STREAM GB/s (%s arrays): %s\n", r.Backend, r.Device, harness.FormatBytes(r.StreamBytes), strings.Join(s, ", "))
		for _, c := range r.Ceilings {
			var pts []string
			for _, p := range c.Sweep {
				v := formatRate(p.GFLOPS, 1)
				if !p.Verified {
					v = "FAIL"
				}
				pts = append(pts, fmt.Sprintf("%g→%s", p.Intensity, v))
			}
			fmt.Fprintf(w, "  %v sweep, FLOP/B→GFLOP/s: %s\n", c.DType, strings.Join(pts, " "))
		}
		for _, n := range r.Notes {
			fmt.Fprintln(w, "  note: "+n)
		}
	}
	fmt.Fprintln(w, "PEAK is the fma kernel's best verified rate; THEORETICAL the probe's estimate; RIDGE = PEAK / BANDWIDTH.")
	if len(points) > 0 {
		fmt.Fprintln(w)
		rows = [][]string{{"KERNEL", "SHAPE", "DTYPE", "BACKEND", "FLOP/B", "GFLOP/S", "BOUND", "SHARE", "BOUND BY"}}
		for _, p := range points {
			row := []string{p.Kernel, p.Shape, p.DType.String(), p.Backend, fmt.Sprintf("%.3g", p.Intensity), formatRate(p.GFLOPS, 1), "-", "-", "-"}
			if p.Bound > 0 {
				row[6], row[7], row[8] = formatRate(p.Bound, 1), fmt.Sprintf("%.0f%%", 100*p.Share), p.BoundBy
			}
			rows = append(rows, row)
		}
		printAligned(w, rows, []bool{false, true, false, false, true, true, true, true, false})
		for _, p := range points {
			if p.Share > 1 {
				fmt.Fprintln(w, "SHARE over 100%: that case's data fit in a cache, which the memory roof (STREAM on arrays beyond the caches) does not describe.")
				break
			}
		}
	}
	if lastNote != "" {
		fmt.Fprintln(w, lastNote)
	}
}

// plotRoofline draws each roofline (bandwidth slope and compute ceiling
// per backend and dtype, the theoretical peak dashed, the sweep as
// points) on log-log axes, with the last run's kernels labelled.
func plotRoofline(path string, roofs []harness.Roofline, points []kernelPoint) error {
	p := plot.New()
	p.Title.Text = "Roofline"
	p.X.Label.Text = "arithmetic intensity (FLOP/byte)"
	p.Y.Label.Text = "GFLOP/s"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Add(plotter.NewGrid())

	lo, hi := 1.0/16, 512.0
	for _, k := range points {
		lo, hi = min(lo, k.Intensity/2), max(hi, k.Intensity*2)
	}
	ymin, ymax := math.Inf(1), 0.0
	see := func(y float64) {
		if y > 0 && !math.IsInf(y, 0) {
			ymin, ymax = min(ymin, y), max(ymax, y)
		}
	}
	i := 0
	for _, r := range roofs {
		for _, c := range r.Ceilings {
			if r.BandwidthGBps <= 0 || c.PeakGFLOPS <= 0 {
				continue
			}
			col := plotutil.Color(i)
			name := fmt.Sprintf("%s %v", r.Backend, c.DType)
			ridge := min(max(c.Ridge, lo), hi)
			roof, err := plotter.NewLine(plotter.XYs{{X: lo, Y: r.Attainable(c, lo)}, {X: ridge, Y: r.Attainable(c, ridge)}, {X: hi, Y: c.PeakGFLOPS}})
			if err != nil {
				return err
			}
			roof.Color, roof.Width = col, vg.Points(1.5)
			p.Add(roof)
			p.Legend.Add(fmt.Sprintf("%s: %s GB/s, %s GFLOP/s", name, formatRate(r.BandwidthGBps, 1), formatRate(c.PeakGFLOPS, 1)), roof)
			see(r.Attainable(c, lo))
			see(c.PeakGFLOPS)
			if t := c.TheoreticalGFLOPS; t > 0 {
				th, err := plotter.NewLine(plotter.XYs{{X: lo, Y: t}, {X: hi, Y: t}})
				if err != nil {
					return err
				}
				th.Color, th.Dashes = col, []vg.Length{vg.Points(4), vg.Points(3)}
				p.Add(th)
				p.Legend.Add(name+" theoretical peak", th)
				see(t)
			}
			var sweep plotter.XYs
			for _, s := range c.Sweep {
				if s.Verified && s.GFLOPS > 0 {
					sweep = append(sweep, plotter.XY{X: s.Intensity, Y: s.GFLOPS})
					see(s.GFLOPS)
				}
			}
			if len(sweep) > 0 {
				sc, err := plotter.NewScatter(sweep)
				if err != nil {
					return err
				}
				sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = col, vg.Points(2.5), draw.CircleGlyph{}
				p.Add(sc)
				p.Legend.Add(name+" fma sweep", sc)
			}
			i++
		}
	}
	if len(points) > 0 {
		var xy plotter.XYs
		var labels []string
		for _, k := range points {
			xy = append(xy, plotter.XY{X: k.Intensity, Y: k.GFLOPS})
			labels = append(labels, fmt.Sprintf("%s %s/%s", k.Kernel, k.Backend, strings.TrimPrefix(k.DType.String(), "float")))
			see(k.GFLOPS)
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = draw.CrossGlyph{}, vg.Points(3.5)
		p.Add(sc)
		p.Legend.Add("last run's kernels", sc)
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: labels})
		if err != nil {
			return err
		}
		for j := range lb.TextStyle {
			lb.TextStyle[j].Font.Size = vg.Points(7)
		}
		lb.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(2)}
		p.Add(lb)
	}
	if ymax == 0 {
		ymin, ymax = 0.1, 10
	}
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = ymin/2, ymax*4
	// Bottom right: under the ceiling and right of the slope, the one
	// corner a roofline leaves empty.
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	return savePlot(p, path)
}
