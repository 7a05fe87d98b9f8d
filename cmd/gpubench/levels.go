package main

import (
	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/cpu"
	"github.com/gpubench/gpubench/hwinfo"
)

// addCPUDisable adds the persistent --cpu-disable flag to root: every
// command then opens the cpu backend at the best level left (through
// compute.Options.Disable), finds the disabled levels' own backends
// unavailable, and describes the machine without their features, as
// cpuid's own -cpu.disable does. Nothing global changes.
func addCPUDisable(root *cobra.Command, g *globals) {
	var levels []string
	root.PersistentFlags().StringSliceVar(&levels, "cpu-disable", nil,
		"CPU SIMD levels to hold off, e.g. avx512 or avx512,avx2: the cpu backend runs the best level left")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		ls, err := cpu.ParseDisable(levels) // a FieldError that printError names as --cpu-disable
		if err != nil {
			return err
		}
		g.disable = ls
		return nil
	}
}

// probe is the machine as the kernels see it, its clock pinned
// (pinnedMachine): without the features of the levels --cpu-disable
// holds off.
func (g *globals) probe() *hwinfo.Info {
	m := pinnedMachine()
	if len(g.disable) == 0 {
		return m
	}
	return m.Without(cpu.DisabledFeatures(g.disable)...)
}
