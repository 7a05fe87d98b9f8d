package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/report"
	"github.com/gpubench/gpubench/results"
)

func newInfo(stdout io.Writer, o *runOptions) *cobra.Command {
	var measure bool
	format := report.FormatTable
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Describe the machine: CPU, caches, SIMD, memory, peak estimate, GPU",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := o.options()
			backends := o.g.env.Registry
			// gl's probe, which may take seconds, runs while the machine
			// is described.
			backends.StartProbes(opts)
			m := report.Machine{Probe: o.g.probe(), Build: results.BuildInfo(), Backends: available(backends, opts)}
			for _, a := range m.Backends {
				if !a.Available || a.Peer {
					continue
				}
				b, err := backends.Open(a.Name, opts)
				if err != nil {
					return fmt.Errorf("backend %s: %w", a.Name, err)
				}
				m.Devices = append(m.Devices, b.Device())
				b.Close()
			}
			if err := measureFMA(cmd.Context(), &m, measure, o); err != nil {
				return err
			}
			if measure {
				t, err := transferSummaries(cmd.Context(), m.Devices, o)
				if err != nil {
					return err
				}
				m.Transfers = t
				if m.Latency, err = measureLatency(cmd.Context(), m.Probe); err != nil {
					return err
				}
			}
			return writeStdout(stdout, func(w io.Writer) error {
				if format == report.FormatJSON {
					return report.JSON(w, m)
				}
				report.Info(w, &m)
				return nil
			})
		},
	}
	addFormat(cmd, &format, "output: table or json", true, report.FormatTable, report.FormatJSON)
	cmd.Flags().BoolVar(&measure, "measure", false, "measure the fma peak of each backend now, rather than show the last run's, its transfer rates and dispatch latency, and the CPU's load latency from L1 to memory (a few seconds)")
	return cmd
}

// measureLatency sweeps the CPU's load latency from L1 to memory, over
// buffers up to four times its largest cache within a quarter of the
// memory available.
func measureLatency(ctx context.Context, p *hwinfo.Info) (*hwinfo.Latency, error) {
	sizes := hwinfo.LatencySizes(&p.CPU, int(min(hwinfo.AvailableMemory()/4, math.MaxInt)))
	l, err := hwinfo.MeasureLatency(ctx, sizes, p.CPU.L2)
	if err != nil {
		return nil, fmt.Errorf("load latency: %w", err)
	}
	return l, nil
}

// measureFMA fills m's measured peaks: with now set, from a quick fma
// run (the quick suite's size, both dtypes) on every device; otherwise
// from the last run's fma results, where that run was on this CPU.
func measureFMA(ctx context.Context, m *report.Machine, now bool, o *runOptions) error {
	if !now {
		last, _ := results.ReadLastRun("", cacheDir())
		if last == nil || last.Probe == nil || last.Probe.CPU.Brand != m.Probe.CPU.Brand {
			return nil
		}
		last.DoubtReadBack("the last run")
		if p := report.FMAPeaks(last); len(p) > 0 {
			m.MeasuredFMA, m.MeasuredFrom = p, "the last run, "+last.Time.Local().Format(time.DateTime)
		}
		return nil
	}
	cases, err := harness.Plan([]compute.Kernel{compute.FMA}, nil, compute.DTypes())
	if err != nil {
		return err
	}
	cfg := harness.DefaultConfig()
	cfg.Env, cfg.Options, cfg.Probe = o.g.env, o.options(), o.g.probe()
	cfg.Reps, cfg.Warmup = 3, 1
	for _, d := range m.Devices {
		cfg.Backends = append(cfg.Backends, d.Backend)
	}
	rep, err := harness.Run(ctx, cfg, cases)
	if rep == nil {
		return err
	}
	m.MeasuredFMA, m.MeasuredFrom = report.FMAPeaks(rep), "now (--measure)"
	return nil
}
