package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// TestLostWhileClosing: a backend lost with no case in flight, none of
// whose cases was left unrun (the driver crashed as gl closed, after its
// cases), is said to have crashed while closing, the results holding
// every case; one lost with cases left unrun (it crashed while opening,
// or between cases) says its other cases were not run. Both are a device
// lost. The reports are crafted as a resumed child's run makes them.
func TestLostWhileClosing(t *testing.T) {
	reason := "the gl driver crashed (SIGSEGV)" + outsideAnyCase
	s := &resumeState{Lost: []lostBackend{{Backend: "gl", Reason: reason}}}
	saxpy := results.Result{Kernel: compute.Saxpy, Backend: "gl", Verified: true}
	dot := results.Result{Kernel: compute.Dot, Backend: "gl", Err: "not run: " + reason}
	for _, c := range []struct {
		name    string
		rows    []results.Result
		want    string
		wantNot string
	}{
		{"after its cases", []results.Result{saxpy},
			"the gl driver crashed (SIGSEGV) while closing, after its cases finished; the results hold every case", "not run"},
		{"with cases left", []results.Result{saxpy, dot},
			reason + ": gl's other cases were not run", "while closing"},
	} {
		err := s.lostError(&results.Report{Results: c.rows})
		if err == nil || !errors.Is(err, compute.ErrDeviceLost) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), c.wantNot) {
			t.Errorf("%s: %v; want a device lost saying %q", c.name, err, c.want)
		}
	}
}
