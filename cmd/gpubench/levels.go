package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/cpu"
)

// cpuAll is the --backend name that stands for every CPU level this
// machine runs, side by side as separate rows: cpu/avx512, cpu/avx2,
// cpu/generic (less any that --cpu-disable turned off).
const cpuAll = "cpu/all"

// addCPUDisable adds the persistent --cpu-disable flag to root and makes
// every command apply it before it runs: the CPU kernels drop to the best
// level left, and the probe (`gpubench info`) stops listing the disabled
// levels' features, as cpuid's own -cpu.disable does.
func addCPUDisable(root *cobra.Command) {
	var levels []string
	root.PersistentFlags().StringSliceVar(&levels, "cpu-disable", nil,
		"CPU SIMD levels to hold off, e.g. avx512 or avx512,avx2: the cpu backend runs the best level left")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		ls, err := cpu.ParseDisable(levels)
		if err != nil {
			return err
		}
		if len(ls) > 0 {
			cpu.Disable(ls...)
		}
		return nil
	}
}

// expandBackends replaces cpu/all in a --backend list by the per-level
// CPU backends, best level first.
func expandBackends(list []string) []string {
	var out []string
	for _, n := range list {
		if strings.TrimSpace(n) == cpuAll {
			out = append(out, cpu.LevelBackends()...)
			continue
		}
		out = append(out, n)
	}
	return out
}
