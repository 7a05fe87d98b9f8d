package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/report"
	"github.com/gpubench/gpubench/results"
)

// runOptions are the flags of a run.
type runOptions struct {
	g        *globals
	backends []string
	kernels  []string
	sizes    []string
	dtype    string
	reps     int
	warmup   int
	minRep   time.Duration
	minWarm  time.Duration
	seed     uint64
	format   report.Format
	out      string
	dump     string
	// interleave runs each case on every backend before the next case.
	interleave bool
	// verify is auto, full or sample (harness.VerifyMode).
	verify string
	// inputs is standard or special (see parseInputs).
	inputs string
	// lostGL is why gl was lost in a supervised child of this command
	// (roofline, transfer), which is measured again without it; "" where
	// it was not.
	lostGL string
}

func defaultRunOptions(g *globals) *runOptions {
	return &runOptions{
		g: g, backends: []string{"all"}, kernels: []string{"all"}, dtype: "float32",
		reps: 10, warmup: 2, minRep: time.Millisecond, minWarm: harness.DefaultMinWarmupTime, seed: 1, format: report.FormatTable,
		verify: string(harness.VerifyAuto), inputs: "standard",
	}
}

// addTimingFlags adds the flags that set how each case is timed, with
// o's values as their defaults: run and roofline take the same ones.
func addTimingFlags(f *pflag.FlagSet, o *runOptions) {
	f.IntVar(&o.reps, "reps", o.reps, "timed repetitions per case")
	f.IntVar(&o.warmup, "warmup", o.warmup, "untimed runs before the repetitions")
	f.DurationVar(&o.minRep, "min-rep-time", o.minRep, "shortest repetition: short kernels run several times per repetition")
	f.DurationVar(&o.minWarm, "min-warmup-time", o.minWarm, "shortest warm-up: untimed runs go on past --warmup until it has passed")
}

func newRun(stdout, stderr io.Writer, g *globals) *cobra.Command {
	o := defaultRunOptions(g)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run chosen kernels on chosen backends, verify, and report",
		Example: `  gpubench run --backend cpu --kernel gemm --size 1024
  gpubench run --backend all --kernel saxpy,dot --size 1000,16Mi --format json --out r.json
  gpubench run --kernel gemv,transpose --size 4096x512 --dtype all
  gpubench run --inputs special --backend cpu,gl`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSuite(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.backends, "backend", o.backends, "backends: cpu, gl, auto, all, cpu/all (every CPU SIMD level as its own row), or a list")
	f.StringSliceVar(&o.kernels, "kernel", o.kernels, "kernels: "+strings.Join(compute.KernelNames(), ", ")+", or all")
	f.StringSliceVar(&o.sizes, "size", nil, "sizes: N for vector kernels, MxN (or N) for gemv/transpose, MxNxK (or N) for gemm, NxK steps (or N) for fma; suffixes k, M, Ki, Mi (default: a quick size per kernel)")
	f.StringVar(&o.dtype, "dtype", o.dtype, "float32, float64 or all")
	addTimingFlags(f, o)
	f.Uint64Var(&o.seed, "seed", o.seed, "seed of the inputs (the same seed gives the same bytes on every machine)")
	addFormat(cmd, &o.format, "output: table, json, csv or benchfmt (Go benchmark format, for benchstat)", false, report.Formats()...)
	f.StringVar(&o.out, "out", "", "also write the results file to FILE (JSON; CSV if FILE ends in .csv): what 'gpubench compare' reads")
	f.StringVar(&o.dump, "dump", "", "write each case's inputs and output as .npy files and an index.json to DIR")
	f.StringVar(&o.verify, "verify", o.verify, "check every element (full), a seeded sample of 4096 (sample; a gemm's rows and columns by probes too), or every element but a costly gemm's, sampled and probed (auto)")
	f.StringVar(&o.inputs, "inputs", o.inputs, "input sets each result is verified on: standard (random; exact and positive where they apply) or special (standard, then NaN, ±Inf, ±0, subnormals and huge values, checked by IEEE rules)")
	f.BoolVar(&o.interleave, "interleave", false, "run each case on every backend before the next case (fairer against peers on a loaded machine)")
	return cmd
}

// plan turns the flags into backends, cases and a harness configuration,
// refusing anything malformed before a single buffer is allocated.
func (o *runOptions) plan() ([]string, []compute.Problem, harness.Config, error) {
	fail := func(err error) ([]string, []compute.Problem, harness.Config, error) {
		return nil, nil, harness.DefaultConfig(), err
	}
	dtypes, cfg, err := o.harnessConfig()
	if err != nil {
		return fail(err)
	}
	if cfg.Special, err = parseInputs(o.inputs); err != nil {
		return fail(err)
	}
	// An empty --kernel or --size ("") would run nothing, or the default
	// sizes, and pass: refuse it. pflag makes an empty list of "", nil of
	// an absent flag.
	kernels, err := parseKernels(o.kernels)
	if err != nil {
		return fail(err)
	}
	if o.sizes != nil && len(o.sizes) == 0 {
		return fail(fmt.Errorf("%w: --size is empty: give sizes, or leave the flag out for each kernel's quick size", compute.ErrUsage))
	}
	backends, err := cfg.Env.Registry.ResolveBackends(o.backends, cfg.Options)
	if err != nil {
		return fail(err)
	}
	// Memory is checked as the cases will be verified: a case checked on
	// a sample needs no full reference. A dump is checked as it would be
	// without one, and adds a few blocks of its own (results.NPYBlock).
	cases, err := harness.PlanFor(kernels, o.sizes, dtypes, harness.Config{Env: cfg.Env, Verify: cfg.Verify, Backends: backends, Options: cfg.Options})
	if err != nil {
		return fail(err)
	}
	cfg.Backends = backends
	return backends, cases, cfg, nil
}

// parseInputs reads --inputs: whether every case also runs the special
// values' pass (harness.Config.Special).
func parseInputs(s string) (special bool, err error) {
	switch s {
	case "standard":
		return false, nil
	case "special":
		return true, nil
	}
	return false, fmt.Errorf("%w: unknown --inputs %q: use standard, or special to add NaN, ±Inf, ±0, subnormals and huge values", compute.ErrUsage, s)
}

// harnessConfig reads the flags that say how cases run, which run and
// roofline share (repetitions, warm-up, workers, device, seed,
// verification, dtype, the global flags), into the dtypes and the
// harness configuration they make, without backends. The harness checks
// the configuration (harness.Config.Check) as a measurement starts,
// before anything is allocated; cmd does not check it again.
func (o *runOptions) harnessConfig() ([]compute.DType, harness.Config, error) {
	cfg := harness.DefaultConfig()
	cfg.Env = o.g.env
	verify, err := harness.ParseVerifyMode(o.verify)
	if err != nil {
		return nil, cfg, err
	}
	dtypes := compute.DTypes()
	if o.dtype != "all" {
		dt, err := compute.ParseDType(o.dtype)
		if err != nil {
			return nil, cfg, err
		}
		dtypes = []compute.DType{dt}
	}
	cfg.Options = o.options()
	cfg.Probe = o.g.probe()
	cfg.Reps, cfg.Warmup, cfg.MinRepTime, cfg.MinWarmupTime = o.reps, o.warmup, o.minRep, o.minWarm
	cfg.Seed, cfg.Debug, cfg.Long = o.seed, o.g.debug, o.g.long
	cfg.Verify = verify
	cfg.Interleave = o.interleave
	return dtypes, cfg, nil
}

// options are the backends' options the global flags give.
func (o *runOptions) options() compute.Options { return o.g.options() }

// probeNamed checks that every backend asked for by name is there, to
// say why not before anything runs ("auto" always is), and that
// --device picks a device the backends that have devices list (gl, also
// as auto's choice). A backend slow to probe (gl) named beside others is
// not waited for: its probe runs beside their cases, and a failure fails
// its own.
func probeNamed(r *compute.Registry, backends []string, opts compute.Options) error {
	for _, name := range backends {
		if len(backends) > 1 && opts.Device < 0 && r.SlowProbe(name) {
			continue
		}
		if name == "auto" {
			if opts.Device < 0 {
				continue
			}
			if name = autoChoice(r, opts); name == "" {
				continue
			}
		}
		if err := r.Probe(name, opts); err != nil {
			return fmt.Errorf("backend %s: %w", name, err)
		}
		if err := r.CheckDevice(name, opts); err != nil {
			return err
		}
	}
	return nil
}

func runSuite(ctx context.Context, o *runOptions, stdout, stderr io.Writer) error {
	if o.g.sup.supervises(o.backends) {
		return o.g.sup.supervise(stdout, stderr, o.redraws(stderr))
	}
	_, cases, cfg, err := o.plan()
	if err != nil {
		return err
	}
	// A supervised child journals its cases; one that resumes runs the
	// first child's backends, and does not probe those lost again.
	// asChild is nil where this process is not a supervised child.
	asChild, err := o.g.sup.child(&cfg)
	if err != nil {
		return err
	}
	if asChild != nil {
		defer asChild.done()
	}
	if err := probeNamed(cfg.Env.Registry, asChild.probed(cfg.Backends), cfg.Options); err != nil {
		return err
	}
	if o.out != "" {
		if err := checkWritable("--out", o.out); err != nil {
			return err
		}
	}
	if o.dump != "" {
		d, err := results.NewDumper(o.dump)
		if fe := (*compute.FieldError)(nil); errors.As(err, &fe) {
			return fmt.Errorf("%w: --dump %v: %s", fe.Err, fe.Value, fe.Msg)
		} else if err != nil {
			return err
		}
		if asChild != nil {
			// A child that resumes takes up the index of the cases the
			// one before it dumped; the first starts it, so that an
			// index an earlier run left is not taken up.
			start := d.Continue
			if asChild.state == nil {
				start = d.Start
			}
			if err := start(); err != nil {
				return fmt.Errorf("--dump: %w", err)
			}
		}
		cfg.Dump = d.Dump
	}
	cfg.KeepTimes = o.out != "" || o.format == report.FormatJSON || o.format == report.FormatBenchfmt
	cfg.Bandwidths = results.LastBandwidths(cacheDir())
	pr := o.progress(stderr)
	cfg.Progress = pr.updater()
	cfg.Abandon = abandonOf(ctx)
	rep, runErr := harness.Run(ctx, cfg, cases)
	pr.stop()
	if rep == nil {
		return runErr
	}
	rep.Bandwidths = usedBandwidths(rep, cfg.Bandwidths)
	if asChild == nil || asChild.state == nil {
		// A child that resumes says nothing: the first said it.
		noteLeftOut(stderr, o.backends, rep)
	}
	if asChild != nil && asChild.state != nil {
		asChild.state.addDevices(rep)
		if runErr == nil && rep.Complete {
			runErr = asChild.state.lostError(rep)
		}
	}
	// The files first: a closed pipe or a full disk on stdout then loses
	// nothing. A run that cannot be kept for 'gpubench roofline' is
	// still a run.
	var saveErr error
	if o.out != "" {
		if err := report.Save(o.out, rep); err != nil {
			saveErr = fmt.Errorf("--out %s: %w", o.out, err)
		}
	}
	if err := results.SaveLastRun(cacheDir(), rep); err != nil && !o.g.quiet {
		fmt.Fprintf(stderr, "gpubench: note: this run is not kept for 'gpubench roofline': %v\n", err)
	}
	if err := writeStdout(stdout, func(w io.Writer) error {
		if err := report.Write(w, rep, o.format); err != nil {
			return err
		}
		if o.format == report.FormatTable {
			report.PeerRatios(w, rep)
		}
		return nil
	}); err != nil {
		return err
	}
	if saveErr != nil {
		return saveErr
	}
	return outcome(rep, runErr)
}

// noteLeftOut notes on w, one line each, the backends that "all" in
// asked (the --backend list) left out of rep because they are
// unavailable here, and why (a GPU driver that crashed or hung while
// opening, no libEGL), as "auto" notes why it passed one over: the
// table has no row for them. A backend also named in asked has its
// rows; nothing is noted where "all" was not asked for.
func noteLeftOut(w io.Writer, asked []string, rep *results.Report) {
	named := func(name string) bool {
		return slices.ContainsFunc(asked, func(n string) bool { return strings.TrimSpace(n) == name })
	}
	if !named("all") {
		return
	}
	for _, a := range rep.Backends {
		if !a.Peer && !a.Available && !a.NotProbed && !named(a.Name) {
			note(w, fmt.Sprintf("--backend all left out %s: %s", a.Name, a.Reason))
		}
	}
}

// outcome is the verdict on a run whose results are written: runErr
// where the harness returned one (a backend that did not open, a lost
// device, a dump not written); an interruption; cases that failed; or
// no case that ran at all (every one unsupported, the reasons in the
// table). Only a run in which at least one case ran, and every case
// that ran verified, passes.
func outcome(rep *results.Report, runErr error) error {
	if runErr != nil {
		return runErr
	}
	if !rep.Complete {
		return &exitError{exitMismatch, errors.New("interrupted: the results hold the cases that finished")}
	}
	if bad := failedCases(rep); len(bad) > 0 {
		return &exitError{exitMismatch, fmt.Errorf("%d case(s) failed verification: %s", len(bad), strings.Join(bad, ", "))}
	}
	ran := 0
	for _, t := range rep.Transfers {
		ran += len(t.Cases)
	}
	why := ""
	for _, r := range rep.Results {
		if r.Skipped == "" {
			ran++
		} else if why == "" {
			why = r.Skipped
		}
	}
	if ran == 0 {
		return &exitError{exitUnavailable, fmt.Errorf("nothing ran: every case is unsupported (%s)", why)}
	}
	return nil
}

// usedBandwidths are those of bws that a result of rep's PEAK is a
// share of.
func usedBandwidths(rep *results.Report, bws []results.Bandwidth) []results.Bandwidth {
	var out []results.Bandwidth
	for _, b := range bws {
		for _, r := range rep.Results {
			same := r.Backend == b.Backend || b.Backend == "cpu" && strings.HasPrefix(r.Backend, "cpu/")
			if r.PeakOf == results.PeakOfBandwidth && same && r.Device == b.Device {
				out = append(out, b)
				break
			}
		}
	}
	return out
}

// writeStdout writes to stdout through write, and returns an error
// wrapping results.ErrWrite where stdout took less than it was given (a
// full disk; a closed pipe ends the process with SIGPIPE before that,
// as for any command in a pipeline).
func writeStdout(stdout io.Writer, write func(io.Writer) error) error {
	w := &errWriter{w: stdout}
	err := write(w)
	if w.err != nil {
		err = w.err
	}
	if err != nil {
		return fmt.Errorf("%w: standard output: %w", results.ErrWrite, err)
	}
	return nil
}

// errWriter keeps the first error of its writer and writes nothing after
// it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// failedCases names the cases of rep that did not verify, as
// kernel/backend/shape/dtype (results.Report.Failures).
func failedCases(rep *results.Report) []string { return rep.Failures() }

// checkWritable fails early, with the reason, where flag's file path
// cannot be written (results.CheckWritable, whose message names the file,
// the symlink's target where path is one).
func checkWritable(flag, path string) error {
	if err := results.CheckWritable(path); err != nil {
		return fmt.Errorf("%w: %s %v", compute.ErrUsage, flag, err)
	}
	return nil
}
