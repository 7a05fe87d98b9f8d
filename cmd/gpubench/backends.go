package main

import (
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu"
	"github.com/gpubench/gpubench/gl"
	"github.com/gpubench/gpubench/peer"
)

// glProbeCommand is the hidden command a child gpubench runs to open GL
// for its parent (gl.Isolation): a driver that crashes or hangs there
// costs the gl backend, not the run.
const glProbeCommand = "__glprobe"

// autoOrder is the order "auto" tries backends in: the GPU where one
// opens, else the CPU, which always does.
var autoOrder = []string{"gl", "cpu"}

// isolated makes gl open GL to probe it in a child gpubench
// (glProbeCommand).
var isolated = gl.Isolation{Args: []string{glProbeCommand}}

// newBackends is the registry of every backend built into gpubench: the
// CPU's, gl (unavailable, and saying why, in a build without cgo),
// opening GL as iso says (gpubench's own: isolated), and the peers;
// "auto" tries them in autoOrder.
func newBackends(iso gl.Isolation) *compute.Registry {
	r := compute.NewRegistry(cpu.Factories()...)
	r.Register(gl.Factory(iso))
	r.Register(peer.Factories()...)
	r.Auto(autoOrder...)
	return r
}

// autoChoice is the backend "auto" opens with opts where it is not the
// last of autoOrder (the one it falls back to), else "".
func autoChoice(r *compute.Registry, opts compute.Options) string {
	for _, n := range autoOrder[:len(autoOrder)-1] {
		if r.Probe(n, opts) == nil {
			return n
		}
	}
	return ""
}

// listProbeWait is how long list waits for a slow probe (gl's, which
// opens the GPU driver in a child process) before it lists the backend
// as not probed: a working driver answers well within it.
// Measurements: docs/methodology.md#why-these-constants.
const listProbeWait = 2 * time.Second

// available is r.Available(opts), each reason naming its setting by the
// flag (flagNamed).
func available(r *compute.Registry, opts compute.Options) []compute.Availability {
	return flagReasons(r, opts, r.Available(opts))
}

// availableWithin is r.AvailableWithin(opts, wait), each reason naming
// its setting by the flag, and a backend not probed in time saying which
// command waits for it.
func availableWithin(r *compute.Registry, opts compute.Options, wait time.Duration) []compute.Availability {
	as := flagReasons(r, opts, r.AvailableWithin(opts, wait))
	for i, a := range as {
		if a.NotProbed {
			as[i].Reason += "; 'gpubench list --wait' and 'gpubench info' wait for it"
		}
	}
	return as
}

// flagReasons rewrites the reasons of as, the availability of r's
// backends with opts, to name each setting by its flag (flagNamed).
func flagReasons(r *compute.Registry, opts compute.Options, as []compute.Availability) []compute.Availability {
	for i, a := range as {
		if a.Available || a.NotProbed {
			continue
		}
		if err := r.Probe(a.Name, opts); err != nil {
			as[i].Reason = flagNamed(err)
		}
	}
	return as
}
