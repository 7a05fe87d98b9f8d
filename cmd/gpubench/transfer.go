package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/report"
	"github.com/gpubench/gpubench/results"
)

func newTransfer(stdout, stderr io.Writer, g *globals) *cobra.Command {
	o := defaultRunOptions(g)
	o.reps, o.warmup, o.minWarm = 5, 1, 0
	var maxSize string
	cmd := &cobra.Command{
		Use:   "transfer",
		Short: "Measure host↔device copy rates over a sweep of sizes, and the dispatch latency",
		Long: `transfer copies arrays from 4 KiB growing 4× up to --max-size (capped by
the GPU's largest buffer and free memory) into each backend's memory and
back, checks that what came back is what went up, bit for bit, and
reports the rate of each size, each direction's peak and the size that
reaches half of it, and the latency of starting an empty kernel and
waiting for it. On the cpu backend a transfer is a copy within host
memory (memcpy), and it says so. Every format of run is available: the
cases are the kernels upload, download and latency.`,
		Example: `  gpubench transfer --backend gl
  gpubench transfer --format benchfmt > transfer.txt`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTransfer(cmd.Context(), o, maxSize, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.backends, "backend", o.backends, "backends: cpu, gl, all, or a list")
	f.StringVar(&maxSize, "max-size", "256Mi", "largest copy, in bytes")
	addFormat(cmd, &o.format, "output: table, json, csv or benchfmt", false, report.Formats()...)
	f.StringVar(&o.out, "out", "", "also write the results file to FILE (JSON; CSV if FILE ends in .csv)")
	addTimingFlags(f, o)
	return cmd
}

func runTransfer(ctx context.Context, o *runOptions, maxSize string, stdout, stderr io.Writer) error {
	if done, err := o.superviseCommand("transfer", stdout, stderr); done {
		return err
	}
	_, cfg, err := o.harnessConfig()
	if err != nil {
		return err
	}
	if j, err := o.g.sup.commandChild(&cfg); err != nil {
		return err
	} else if j != nil {
		defer j.done()
	}
	backends, err := cfg.Env.Registry.ResolveBackends(o.backends, cfg.Options)
	if err != nil {
		return err
	}
	if err := probeNamed(cfg.Env.Registry, backends, cfg.Options); err != nil {
		return err
	}
	cfg.KeepTimes = o.out != "" || o.format == report.FormatJSON || o.format == report.FormatBenchfmt
	tc := harness.TransferConfig{Config: cfg}
	if tc.MaxBytes, err = compute.ParseDim(maxSize); err != nil {
		return fmt.Errorf("--max-size: %w", err)
	}
	if o.out != "" {
		if err := checkWritable("--out", o.out); err != nil {
			return err
		}
	}
	pr := o.progress(stderr)
	tc.Progress = pr.updater()
	rep, runErr := harness.MeasureTransfers(ctx, tc, backends)
	pr.stop()
	if rep == nil {
		return runErr
	}
	o.markLostGL(rep)
	// The file first: a closed pipe or a full disk on stdout then loses
	// nothing.
	var saveErr error
	if o.out != "" {
		if err := report.Save(o.out, rep); err != nil {
			saveErr = fmt.Errorf("--out %s: %w", o.out, err)
		}
	}
	if err := writeStdout(stdout, func(w io.Writer) error {
		if o.format == report.FormatTable {
			report.TransferTable(w, rep)
			return nil
		}
		return report.Write(w, rep, o.format)
	}); err != nil {
		return err
	}
	if saveErr != nil {
		return saveErr
	}
	return o.lostOutcome(measured(ctx, rep, runErr, "copies did not come back as they went"))
}

// transferSummaries measures a short transfer sweep (up to 64 MiB) on
// each of devices, for 'info --measure'.
func transferSummaries(ctx context.Context, devices []compute.Device, o *runOptions) ([]results.Transfer, error) {
	cfg := harness.DefaultConfig()
	cfg.Env, cfg.Options, cfg.Probe = o.g.env, o.options(), o.g.probe()
	cfg.Reps, cfg.Warmup, cfg.MinWarmupTime = 3, 1, 0
	var names []string
	for _, d := range devices {
		names = append(names, d.Backend)
	}
	rep, err := harness.MeasureTransfers(ctx, harness.TransferConfig{Config: cfg, MaxBytes: 64 << 20}, names)
	if rep == nil {
		return nil, err
	}
	return rep.Transfers, err
}
