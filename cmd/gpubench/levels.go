package main

import (
	"github.com/gpubench/gpubench/cpu"
	"github.com/gpubench/gpubench/hwinfo"
)

// probe is the machine as the kernels see it, its clock pinned
// (pinnedMachine): without the features of the levels --cpu-disable
// holds off.
func (g *globals) probe() *hwinfo.Info {
	m := pinnedMachine(g.notes(), g.workers)
	if len(g.disable) == 0 {
		return m
	}
	return m.Without(cpu.DisabledFeatures(g.disable)...)
}
