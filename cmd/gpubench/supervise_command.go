package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/results"
)

// roofline, transfer and crossover, where gl may be among their
// backends, run in a supervised child too, without a journal of cases:
// where the gl driver crashes, is killed or ends the process, roofline
// and transfer are measured again here without gl, the CPU's work too,
// and crossover, which needs both backends, ends. See
// docs/architecture.md#a-driver-that-crashes-mid-run.

// commandChild makes this process the supervised child of a command
// other than run, where its hidden flags say it is one: a fault in C
// code ends it by its signal without a word (quietCrashes), and it
// journals that its command started and, through the journal's done,
// that it returned, so that its supervisor tells an exit of the driver's
// from the command's own. The cases of cfg that the harness journals
// (roofline's and crossover's) run under the watchdog, gl's bounded as
// in a run. nil where this process is not a child.
func (s *supervision) commandChild(cfg *harness.Config) (*journal, error) {
	j, err := s.openChild(cfg)
	if j == nil || err != nil {
		return nil, err
	}
	j.plan(nil)
	return j, nil
}

// superviseCommand runs command (roofline or transfer) in a supervised
// child where o's backends may open gl. done says that the command has
// ended, with err. Where the gl driver ended the child, it says so on
// stderr, and o is left to measure again in this process without gl:
// its backends without gl (withoutGL), lostGL the reason; done is
// false. Where only gl was asked for, nothing is left: done, exit 4.
func (o *runOptions) superviseCommand(command string, stdout, stderr io.Writer) (done bool, err error) {
	if !o.g.sup.supervises(o.backends) {
		return false, nil
	}
	lost, err := o.g.sup.superviseCommand(command, stdout, stderr)
	if lost == "" {
		return true, err
	}
	left := withoutGL(o.backends)
	if len(left) == 0 {
		return true, fmt.Errorf("%w: %s: gl was the only backend, so nothing is measured again", compute.ErrDeviceLost, lost)
	}
	say := "gpubench: " + lost + "; measuring again without gl"
	if o.redraws(stderr) {
		say = "\r\x1b[K" + say // over the child's progress line
	}
	fmt.Fprintln(stderr, say)
	o.backends, o.lostGL = left, lost
	return false, nil
}

// withoutGL are the --backend names backends without gl: gl left out,
// and all and auto, which may open it, made cpu.
func withoutGL(backends []string) []string {
	var out []string
	add := func(n string) {
		for _, b := range out {
			if b == n {
				return
			}
		}
		out = append(out, n)
	}
	for _, b := range backends {
		switch b = strings.TrimSpace(b); b {
		case "gl", "":
		case "all", "auto":
			add("cpu")
		default:
			add(b)
		}
	}
	return out
}

// markLostGL marks gl unavailable in rep's backends, with the reason it
// was lost in an earlier attempt at the command (o.lostGL), if it was.
func (o *runOptions) markLostGL(rep *results.Report) {
	if o.lostGL == "" {
		return
	}
	for i, a := range rep.Backends {
		if a.Name == "gl" {
			rep.Backends[i] = compute.Availability{Name: a.Name, Doc: a.Doc, Reason: o.lostGL}
			return
		}
	}
	rep.Backends = append(rep.Backends, compute.Availability{Name: "gl", Reason: o.lostGL})
}

// lostOutcome is err, the outcome of a command measured again without
// gl, or where that passed, a device lost (exit 4), as for a run.
func (o *runOptions) lostOutcome(err error) error {
	if err != nil || o.lostGL == "" {
		return err
	}
	return fmt.Errorf("%w: %s: the output holds the other backends' results, measured again without gl", compute.ErrDeviceLost, o.lostGL)
}
