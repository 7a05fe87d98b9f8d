package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/report"
	"github.com/gpubench/gpubench/results"
)

// rooflineOptions are the flags of 'gpubench roofline'.
type rooflineOptions struct {
	run               *runOptions
	out               string
	last              string
	streamSize, sweep string
	maxIntensity      float64
	quick             bool
	// from names a roofline's results file to draw again.
	from string
}

func newRoofline(stdout, stderr io.Writer, g *globals) *cobra.Command {
	o := &rooflineOptions{run: defaultRunOptions(g)}
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

A full measurement takes about a minute and 4 GiB of memory on a
2-core machine with 1 GiB arrays, most of it making the inputs and
checking the results: --stream-size and --sweep-size trade that for
accuracy; --quick only checks that it works.`,
		Example: `  gpubench roofline --backend cpu --out roofline.svg
  gpubench roofline --backend all --format json
  gpubench roofline --quick --out r.png`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRoofline(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.run.backends, "backend", o.run.backends, "backends: cpu, gl, all, or a list")
	f.StringVar(&o.run.dtype, "dtype", o.run.dtype, "ceilings and sweeps in float32, float64 or all")
	f.StringVar(&o.out, "out", "", "draw the roofline plot to FILE (.svg or .png); the results go to stdout (--format json)")
	addFormat(cmd, &o.run.format, "output: table or json", false, report.FormatTable, report.FormatJSON)
	f.StringVar(&o.last, "last", "", "place the kernels of this results file (default: the last 'gpubench run', "+results.LastRunHelp(cacheDir())+")")
	f.StringVar(&o.streamSize, "stream-size", "", "bytes in each STREAM array, e.g. 256Mi (default: 4× the L3 on a CPU, capped at 1 GiB; the largest buffer on a GPU)")
	f.StringVar(&o.sweep, "sweep-size", "", "bytes in each array of the intensity sweep (default: the STREAM size)")
	f.Float64Var(&o.maxIntensity, "max-intensity", 256, "highest intensity of the sweep, FLOP/B")
	f.BoolVar(&o.quick, "quick", false, "small arrays and a short sweep: a check that it works, not a measurement")
	f.StringVar(&o.from, "from", "", "measure nothing: print and draw the roofline of a results file (from --format json, or "+lastRooflineHelp()+")")
	addTimingFlags(f, o.run)
	return cmd
}

// rooflineConfig turns the flags into the harness's configuration.
func (o *rooflineOptions) config() ([]string, harness.RooflineConfig, error) {
	var rc harness.RooflineConfig
	r := o.run
	if o.maxIntensity <= 0 || math.IsInf(o.maxIntensity, 0) || math.IsNaN(o.maxIntensity) {
		return nil, rc, fmt.Errorf("%w: --max-intensity %v must be a positive number of FLOP per byte", compute.ErrUsage, o.maxIntensity)
	}
	dtypes, cfg, err := r.harnessConfig()
	if err != nil {
		return nil, rc, err
	}
	backends, err := cfg.Env.Registry.ResolveBackends(r.backends, cfg.Options)
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
	if o.from != "" {
		return redrawRoofline(o, stdout)
	}
	if done, err := o.run.superviseCommand("roofline", stdout, stderr); done {
		return err
	}
	backends, rc, err := o.config()
	if err != nil {
		return err
	}
	if j, err := o.run.g.sup.commandChild(&rc.Config); err != nil {
		return err
	} else if j != nil {
		defer j.done()
	}
	if err := probeNamed(rc.Env.Registry, backends, rc.Options); err != nil {
		return err
	}
	if o.out != "" {
		if err := checkPlotPath(o.out); err != nil {
			return err
		}
	}
	last, lastNote := results.ReadLastRun(o.last, cacheDir())
	pr := o.run.progress(stderr)
	rc.Progress = pr.updater()
	rc.Abandon = abandonOf(ctx)
	rep, runErr := harness.RunRoofline(ctx, rc, backends)
	pr.stop()
	if rep == nil {
		return runErr
	}
	o.run.markLostGL(rep)
	points, dropped := report.KernelPoints(last, rep.Rooflines)
	lastNote += droppedNote(dropped)
	if err := writeRoofline(stdout, o, rep, points, lastNote); err != nil {
		return err
	}
	// Later runs take the PEAK of kernels bound by memory from this
	// bandwidth; a roofline that cannot be kept is still a roofline.
	if runErr == nil && len(rep.Rooflines) > 0 {
		if err := results.SaveLastRoofline(cacheDir(), rep); err != nil && !o.run.g.quiet {
			fmt.Fprintf(stderr, "gpubench: note: this roofline is not kept for later runs' PEAK: %v\n", err)
		}
	}
	return o.run.lostOutcome(measured(ctx, rep, runErr, "case(s) failed verification and are left out of the roofline"))
}

// droppedNote says that n of the last run's cases are not placed.
func droppedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d of its cases left out: their figures are not positive finite numbers a log scale can place", n)
}

// writeRoofline draws rep's rooflines with points placed to o.out, then
// prints them as table or JSON: the plot first, so that a closed pipe or
// a full disk on stdout loses nothing.
func writeRoofline(stdout io.Writer, o *rooflineOptions, rep *results.Report, points []report.KernelPoint, lastNote string) error {
	var plotErr error
	if o.out != "" && len(rep.Rooflines) > 0 {
		if err := report.PlotRoofline(o.out, rep.Rooflines, points); err != nil {
			plotErr = fmt.Errorf("--out %s: %w", o.out, err)
		}
	}
	if err := writeStdout(stdout, func(w io.Writer) error {
		if o.run.format == report.FormatJSON {
			return report.RooflineJSON(w, rep, points)
		}
		report.RooflineTable(w, rep, points, lastNote)
		return nil
	}); err != nil {
		return err
	}
	return plotErr
}

// redrawRoofline prints and draws the roofline of the results file
// o.from without measuring: "last" is the one the last 'gpubench
// roofline' kept. Its kernels are those it placed (its
// last_run_kernels) where it holds them, else those of --last or the
// last run.
func redrawRoofline(o *rooflineOptions, stdout io.Writer) error {
	if o.out != "" {
		if err := checkPlotPath(o.out); err != nil {
			return err
		}
	}
	path := o.from
	if path == "last" {
		p, err := results.LastRooflinePath(cacheDir())
		if err != nil {
			return fmt.Errorf("%w: no last roofline: %v", compute.ErrUsage, err)
		}
		path = p
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: --from: %v", compute.ErrUsage, err)
	}
	rep, b, err := results.ReadReportRaw(f, path)
	f.Close()
	if err != nil {
		return err
	}
	if len(rep.Rooflines) == 0 {
		return fmt.Errorf("%w: %s holds no roofline: write one with 'gpubench roofline --format json'", compute.ErrUsage, path)
	}
	var saved struct {
		Kernels []report.KernelPoint `json:"last_run_kernels"`
	}
	if err := json.Unmarshal(b, &saved); err != nil {
		return fmt.Errorf("%w: %s: its last_run_kernels: %v", compute.ErrUsage, path, err)
	}
	points, dropped := report.PlaceablePoints(saved.Kernels)
	note := fmt.Sprintf("kernels placed when %s was measured", path) + droppedNote(dropped)
	if len(saved.Kernels) == 0 || o.last != "" {
		last, lastNote := results.ReadLastRun(o.last, cacheDir())
		points, dropped = report.KernelPoints(last, rep.Rooflines)
		note = lastNote + droppedNote(dropped)
	}
	return writeRoofline(stdout, o, rep, points, note)
}

// lastRooflineHelp says where the last roofline is kept, for a flag's
// help.
func lastRooflineHelp() string {
	if p, err := results.LastRooflinePath(cacheDir()); err == nil {
		return "last: the last one measured, " + p
	}
	return "last: the last one measured"
}

// checkPlotPath refuses a plot file gonum/plot cannot write, or one that
// cannot be written, before any measuring starts.
func checkPlotPath(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".svg", ".png":
	default:
		return fmt.Errorf("%w: --out %s: plots are written as .svg or .png", compute.ErrUsage, path)
	}
	return checkWritable("--out", path)
}
