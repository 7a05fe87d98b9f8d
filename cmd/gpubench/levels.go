package main

import (
	"github.com/gpubench/gpubench/cpu"
	"github.com/gpubench/gpubench/hwinfo"
)

// probe is the machine as the kernels see it: without the features of
// the levels --cpu-disable holds off; nil where none is (the harness
// then probes itself).
func (g *globals) probe() *hwinfo.Info {
	if len(g.disable) == 0 {
		return nil
	}
	return hwinfo.Probe().Without(cpu.DisabledFeatures(g.disable)...)
}

// machine is g.probe, or the whole probe.
func (g *globals) machine() *hwinfo.Info {
	if p := g.probe(); p != nil {
		return p
	}
	return hwinfo.Probe()
}
