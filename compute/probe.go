package compute

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// probeCall is one backend's probe with one set of options: started
// once, answered once, its answer kept.
type probeCall struct {
	done chan struct{} // closed when err is set
	err  error
}

// answered reports whether the probe has answered, and its answer.
func (c *probeCall) answered() (bool, error) {
	select {
	case <-c.done:
		return true, c.err
	default:
		return false, nil
	}
}

// call returns the probe of the named backend with o, and whether this
// caller made it (and so must run it): the first caller makes it, every
// other one, at once or later, gets the same call, so that a probe runs
// once however many ask for it together.
func (r *Registry) call(name string, o Options) (*probeCall, bool) {
	key := o.probeKey(name)
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.probes[key]; ok {
		return c, false
	}
	c := &probeCall{done: make(chan struct{})}
	r.probes[key] = c
	return c, true
}

// runProbe runs f's probe with o as c's answer. A probe that panics
// still ends the call, so that no caller waits on it for ever.
func runProbe(c *probeCall, f *Factory, o Options) {
	defer close(c.done)
	if f.Probe != nil {
		c.err = f.Probe(o)
	}
}

// Probe says whether the named backend can open here with o: nil or why
// not. A group is available where any of its members is. The answer is
// kept for the backend and o.Disable; a probe already running (see
// StartProbe) is waited for, not started again.
func (r *Registry) Probe(name string, o Options) error {
	f, ok := r.lookup(name)
	if !ok {
		return r.unknownBackend(name)
	}
	if f.Group != nil {
		if len(f.Group(o)) == 0 {
			return fmt.Errorf("%w: %s: none of its backends is available", ErrUnavailable, name)
		}
		return nil
	}
	c, mine := r.call(name, o)
	if mine {
		runProbe(c, f, o)
	}
	<-c.done
	return c.err
}

// StartProbe starts the probe of the named backend with o, of each
// backend "auto" may choose for "auto", in the background where it is
// slow (Factory.SlowProbe), and returns at once: a command that will need
// the backend starts it first and does other work meanwhile. A backend
// that is not slow to probe, a group, a probe already started and an
// unknown name are left alone.
func (r *Registry) StartProbe(name string, o Options) {
	names := []string{name}
	if name == "auto" {
		names = r.autoPrefs()
	}
	for _, n := range names {
		f, ok := r.lookup(n)
		if !ok || !f.SlowProbe || f.Group != nil {
			continue
		}
		if c, mine := r.call(n, o); mine {
			go runProbe(c, f, o)
		}
	}
}

// answer is whether the named backend's probe with o has answered yet
// (not where it never started), and its answer.
func (r *Registry) answer(name string, o Options) (bool, error) {
	r.mu.Lock()
	c, ok := r.probes[o.probeKey(name)]
	r.mu.Unlock()
	if !ok {
		return false, nil
	}
	return c.answered()
}

// pending reports whether the named backend's probe with o is running.
func (r *Registry) pending(name string, o Options) bool {
	r.mu.Lock()
	c, ok := r.probes[o.probeKey(name)]
	r.mu.Unlock()
	if !ok {
		return false
	}
	done, _ := c.answered()
	return !done
}

// Ready reports whether opening the named backend with o would start at
// once, rather than wait for a probe still running (StartProbe): "auto"
// is ready unless, walking its preferences in order, a probe still
// running comes before one known to be available or before the last
// (which it takes without asking). A run opens the backends that are
// ready first.
func (r *Registry) Ready(name string, o Options) bool {
	if name != "auto" {
		return !r.pending(name, o)
	}
	prefs := r.autoPrefs()
	for i, n := range prefs {
		if i == len(prefs)-1 {
			break // the last resort: chosen without asking
		}
		if r.pending(n, o) {
			return false
		}
		if done, err := r.answer(n, o); done && err == nil {
			return true // chosen
		}
	}
	return true
}

// SlowProbe reports whether the named backend's probe is slow
// (Factory.SlowProbe), or, for "auto", the probe of any backend it may
// choose.
func (r *Registry) SlowProbe(name string) bool {
	names := []string{name}
	if name == "auto" {
		names = r.autoPrefs()
	}
	for _, n := range names {
		if f, ok := r.lookup(n); ok && f.SlowProbe {
			return true
		}
	}
	return false
}

// Optional reports whether the named backend was taken in by "all" alone
// (ResolveBackends) before its probe answered: a run leaves it out,
// rather than failing its cases, where it turns out unavailable, as "all"
// would have had the answer been known.
func (r *Registry) Optional(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.optional[name]
}

// Available lists every registered backend and group with whether it
// can open here with o, waiting for every probe: the slow ones run
// together, beside the others.
func (r *Registry) Available(o Options) []Availability {
	r.StartProbes(o)
	return r.list(o, func(n string) (bool, error) {
		return true, r.Probe(n, o)
	})
}

// AvailableWithin is Available waiting no longer than wait for the slow
// probes (Factory.SlowProbe), which it starts: a backend whose probe has
// not answered by then is listed as NotProbed, its probe left running.
func (r *Registry) AvailableWithin(o Options, wait time.Duration) []Availability {
	r.StartProbes(o)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	return r.list(o, func(n string) (bool, error) {
		f, _ := r.lookup(n)
		if !f.SlowProbe || f.Group != nil {
			return true, r.Probe(n, o)
		}
		c, _ := r.call(n, o) // started by StartProbes
		if done, err := c.answered(); done {
			return true, err
		}
		select {
		case <-c.done:
			return true, c.err
		case <-timer.C:
			timer.Reset(0) // the others get no more time
			return false, fmt.Errorf("not probed: its probe did not answer within %v", wait)
		}
	})
}

// Known is Available without waiting for a slow probe (Factory.SlowProbe):
// a backend whose slow probe was not started, or has not answered, is
// listed as NotProbed. It is the list of a run's report, which names every
// backend without probing the ones the run did not need.
func (r *Registry) Known(o Options) []Availability {
	return r.list(o, func(n string) (bool, error) {
		f, _ := r.lookup(n)
		if !f.SlowProbe || f.Group != nil {
			return true, r.Probe(n, o)
		}
		done, err := r.answer(n, o)
		switch {
		case done:
			return true, err
		case r.pending(n, o):
			return false, errors.New("not probed: its probe was still running")
		}
		return false, errors.New("not probed: nothing needed it")
	})
}

// StartProbes starts every slow probe with o (StartProbe): a command that
// will list every backend starts them first and does other work meanwhile.
func (r *Registry) StartProbes(o Options) {
	for _, n := range r.BackendNames(o) {
		r.StartProbe(n, o)
	}
}

// list lists every registered backend and group with its probe's answer
// as answer gives it (false where there is none yet, the error saying
// why).
func (r *Registry) list(o Options, answer func(name string) (bool, error)) []Availability {
	var out []Availability
	for _, n := range r.BackendNames(o) {
		f, _ := r.lookup(n)
		a := Availability{Name: n, Doc: f.Doc, Available: true, Peer: f.Peer || f.Group != nil}
		if f.Group != nil {
			a.Doc += ": " + strings.Join(f.Group(o), ", ")
		}
		if done, err := answer(n); err != nil {
			a.Available, a.Reason, a.NotProbed = false, err.Error(), !done
		}
		out = append(out, a)
	}
	return out
}

// takeAll is what "all" stands for in ResolveBackends: every backend that
// is neither a peer nor a group and is available with o. A backend slow
// to probe whose probe has not answered is started (StartProbe) and
// taken in, among those returned as optional: a run tells at its end.
func (r *Registry) takeAll(o Options) (names, optional []string) {
	for _, n := range r.BackendNames(o) {
		f, _ := r.lookup(n)
		if f.Peer || f.Group != nil {
			continue
		}
		var err error
		if f.SlowProbe {
			r.StartProbe(n, o)
			var done bool
			if done, err = r.answer(n, o); !done {
				optional = append(optional, n)
			}
		} else {
			err = r.Probe(n, o)
		}
		if err == nil {
			names = append(names, n)
		}
	}
	return names, optional
}
