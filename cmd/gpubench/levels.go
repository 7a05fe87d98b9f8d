package main

import (
	"github.com/gpubench/gpubench/cpu"
	"github.com/gpubench/gpubench/hwinfo"
)

// probe is the machine as the kernels see it, its clock pinned
// (pinnedMachine): without the features of the levels --cpu-disable
// holds off. The first call notes on stderr, before the clock's note,
// what a cgroup CPU quota leaves the run where --workers leaves the
// workers to it (globals.options).
func (g *globals) probe() *hwinfo.Info {
	notes := g.notes()
	if g.workers == 0 {
		note(notes, hwinfo.Probe().CPU.QuotaNote())
	}
	m := pinnedMachine(notes)
	if len(g.disable) == 0 {
		return m
	}
	return m.Without(cpu.DisabledFeatures(g.disable)...)
}
