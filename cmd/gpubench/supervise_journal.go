package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/results"
)

// The journal is what a supervised child tells its supervisor, one JSON
// line (an event) per step, on the pipe of --journal-fd: each case as it
// starts and its result as it ends, the watchdog's verdict, and that the
// run came to its end. Should the child die, the supervisor knows from
// it which case was in flight and what had finished.
const (
	eventPlan  = "plan"  // the run's backends, resolved: Backends
	eventStart = "start" // a case starts: Case, Backend, Device
	eventEnd   = "end"   // a case ended with Result
	eventHang  = "hang"  // the watchdog ended the child: Case, Backend, Limit
	eventDone  = "done"  // the run returned; the child's exit code is its own
)

// event is one line of the journal.
type event struct {
	Kind string `json:"kind"`
	// Case is the case's compute.Problem.String; Backend its backend as
	// harness.Config.Backends names it (auto, not auto's choice).
	Case    string          `json:"case,omitempty"`
	Backend string          `json:"backend,omitempty"`
	Device  *compute.Device `json:"device,omitempty"`
	Result  *results.Result `json:"result,omitempty"`
	Limit   time.Duration   `json:"limit_ns,omitempty"`
	// Backends are harness.Config.Backends.
	Backends []string `json:"backends,omitempty"`
}

// exitWatchdog is the exit code of a child whose watchdog saw a gl case
// run past its limit (it says so in the journal first). The supervisor
// never passes it on: it goes on without gl.
const exitWatchdog = 97

// watchdogFactor and defaultWatchdogFloor bound a gl case's time: the
// watchdog ends the child after watchdogFactor times the case's expected
// time (harness.Cost), and never before the floor. Cost is a CPU core's
// order of magnitude and llvmpipe is slower still, so the bound is far
// from any case that is merely slow.
// Measurements: docs/methodology.md#why-these-constants.
const (
	watchdogFactor       = 20
	defaultWatchdogFloor = time.Minute
)

// journal is the child's side: it writes the events, and runs the
// watchdog on each gl case. It is a harness.Journal.
type journal struct {
	mu    sync.Mutex
	w     io.Writer
	limit func(compute.Problem) time.Duration
	exit  func(code int)
	timer *time.Timer
	gen   int // counts cases, so that a late timer knows its case ended
}

// write sends one event; a supervisor that is gone is no reason to stop
// the run, so errors are dropped. Call with j.mu held.
func (j *journal) write(e event) {
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	j.w.Write(append(b, '\n'))
}

// Start journals the case and, for a gl case, starts its watchdog.
func (j *journal) Start(p compute.Problem, name string, dev compute.Device) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.gen++
	j.write(event{Kind: eventStart, Case: p.String(), Backend: name, Device: &dev})
	if dev.Backend != "gl" {
		return
	}
	gen, limit := j.gen, j.limit(p)
	j.timer = time.AfterFunc(limit, func() {
		j.mu.Lock()
		defer j.mu.Unlock()
		if j.gen != gen {
			return
		}
		j.write(event{Kind: eventHang, Case: p.String(), Backend: name, Limit: limit})
		j.exit(exitWatchdog)
	})
}

// End journals the case's result and stops its watchdog.
func (j *journal) End(p compute.Problem, name string, r results.Result) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.gen++
	if j.timer != nil {
		j.timer.Stop()
		j.timer = nil
	}
	j.write(event{Kind: eventEnd, Case: p.String(), Backend: name, Result: &r})
}

// plan journals the run's backends, as the run resolved them.
func (j *journal) plan(backends []string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.write(event{Kind: eventPlan, Backends: backends})
}

// done journals that the run returned.
func (j *journal) done() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.gen++
	if j.timer != nil {
		j.timer.Stop()
	}
	j.write(event{Kind: eventDone})
}

// watchdogLimit is how long case p may run under cfg before the watchdog
// ends the child: watchdogFactor times its expected time, at least
// floor.
func watchdogLimit(cfg harness.Config, floor time.Duration) func(compute.Problem) time.Duration {
	return func(p compute.Problem) time.Duration {
		est := time.Duration(harness.Cost(p, cfg) * float64(time.Second))
		return max(floor, watchdogFactor*est)
	}
}

// resumeState is what the supervisor hands a child that goes on after
// another died (on the pipe of --resume-fd): the cases that finished,
// the devices they ran on, and the backends lost, each with why.
type resumeState struct {
	// Backends are the first child's, resolved: the children after it
	// run the same ones, whatever a probe now says.
	Backends []string         `json:"backends"`
	Finished []event          `json:"finished"`
	Devices  []compute.Device `json:"devices"`
	Lost     []lostBackend    `json:"lost"`
}

// lostBackend is a backend the run goes on without: Reason says what
// happened during Case (its compute.Problem.String; empty where no case
// was in flight), and Device is the device it had opened.
type lostBackend struct {
	Backend string         `json:"backend"`
	Case    string         `json:"case,omitempty"`
	Reason  string         `json:"reason"`
	Device  compute.Device `json:"device"`
}

// readResume reads the resume state from file descriptor fd.
func readResume(fd int) (*resumeState, error) {
	f := os.NewFile(uintptr(fd), "resume")
	if f == nil {
		return nil, fmt.Errorf("%w: --resume-fd %d: not an open file", compute.ErrUsage, fd)
	}
	defer f.Close()
	var s resumeState
	if err := json.NewDecoder(f).Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: --resume-fd %d: %v: it is for gpubench's own supervisor", compute.ErrUsage, fd, err)
	}
	return &s, nil
}

// result is harness.Config.Resume: a finished case's result; for a lost
// backend, the case in flight failed with the reason, and every other
// case not run, with it too.
func (s *resumeState) result(p compute.Problem, name string) (results.Result, bool) {
	key := p.String()
	for _, e := range s.Finished {
		if e.Case == key && e.Backend == name && e.Result != nil {
			return *e.Result, true
		}
	}
	for _, l := range s.Lost {
		if l.Backend != name {
			continue
		}
		label := l.Device.Backend
		if label == "" {
			label = name
		}
		r := results.NewResult(p, label, l.Device)
		r.Err = "not run: " + l.Reason
		if l.Case == key {
			r.Err = l.Reason
		}
		return r, true
	}
	return results.Result{}, false
}

// addDevices adds to rep the devices of s that it lacks: those of
// backends that were not opened again.
func (s *resumeState) addDevices(rep *results.Report) {
	for _, d := range s.Devices {
		if !hasDeviceOf(rep.Devices, d.Backend) {
			rep.Devices = append(rep.Devices, d)
		}
	}
}

// hasDeviceOf reports whether devs holds a device of the named backend.
func hasDeviceOf(devs []compute.Device, backend string) bool {
	return slices.ContainsFunc(devs, func(d compute.Device) bool { return d.Backend == backend })
}

// outsideAnyCase ends the reason of a backend lost with no case in
// flight: while it opened, between cases, or as it closed.
const outsideAnyCase = " outside any case"

// lostError is the run's outcome where backends were lost: a device lost
// (exit 4), naming what happened. rep is the run's report: where the
// backend was lost with no case in flight and none of its cases was
// left unrun (rep has no "not run" row of its), it crashed as it closed,
// and every case has its result.
func (s *resumeState) lostError(rep *results.Report) error {
	if len(s.Lost) == 0 {
		return nil
	}
	l := s.Lost[0]
	if l.Case == "" && !slices.ContainsFunc(rep.Results, func(r results.Result) bool { return r.Err == "not run: "+l.Reason }) {
		return fmt.Errorf("%w: %s while closing, after its cases finished; the results hold every case",
			compute.ErrDeviceLost, strings.TrimSuffix(l.Reason, outsideAnyCase))
	}
	return fmt.Errorf("%w: %s: %s's other cases were not run; the results hold every other case", compute.ErrDeviceLost, l.Reason, l.Backend)
}

// childRun is a supervised child's journal and the state it resumes
// from (nil where it is the first child).
type childRun struct {
	j     *journal
	state *resumeState
}

// child makes this process a supervised child where its hidden flags
// say it is one: cfg's cases are journalled, gl's under the watchdog,
// and those the state it resumes from holds are not run again; a fault
// in C code ends the process by its signal, without a Go stack trace
// (quietCrashes). nil where this process is not a child.
func (s *supervision) child(cfg *harness.Config) (*childRun, error) {
	j, err := s.openChild(cfg)
	if j == nil || err != nil {
		return nil, err
	}
	c := &childRun{j: j}
	if s.resumeFD >= 0 {
		if c.state, err = readResume(s.resumeFD); err != nil {
			return nil, err
		}
		cfg.Resume = c.state.result
		if c.state.Backends != nil {
			cfg.Backends = c.state.Backends
		}
	}
	j.plan(cfg.Backends)
	return c, nil
}

// openChild is the part of child and commandChild they share: where the
// hidden flags say this process is a supervised child, faults in C code
// end it quietly and cfg journals its cases to the supervisor, gl's
// under the watchdog. nil where this process is not a child.
func (s *supervision) openChild(cfg *harness.Config) (*journal, error) {
	if s == nil || s.journalFD < 0 {
		return nil, nil
	}
	quietCrashes()
	j, err := openJournal(s.journalFD, watchdogLimit(*cfg, s.watchdogFloor))
	if err != nil {
		return nil, err
	}
	cfg.Journal = j
	return j, nil
}

// lost reports whether the backend called name is lost already.
func (s *resumeState) lost(name string) bool {
	for _, l := range s.Lost {
		if l.Backend == name {
			return true
		}
	}
	return false
}

// done journals that the run returned.
func (c *childRun) done() { c.j.done() }

// probed are those of backends to probe before the run: all of them but
// the ones lost (c may be nil: not a child).
func (c *childRun) probed(backends []string) []string {
	if c == nil || c.state == nil {
		return backends
	}
	var out []string
	for _, b := range backends {
		if !c.state.lost(b) {
			out = append(out, b)
		}
	}
	return out
}
