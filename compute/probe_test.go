package compute

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// gate is a probe that counts its runs and answers err once released.
type gate struct {
	runs    atomic.Int32
	started chan struct{} // closed as the first run starts
	release chan struct{}
	once    sync.Once
	err     error
}

func newGate(err error) *gate {
	return &gate{started: make(chan struct{}), release: make(chan struct{}), err: err}
}

func (g *gate) probe(Options) error {
	g.runs.Add(1)
	g.once.Do(func() { close(g.started) })
	<-g.release
	return g.err
}

// slowRegistry holds "fast", ready at once, and "slow", whose probe is
// g's and slow (Factory.SlowProbe); "auto" tries slow, then fast.
func slowRegistry(g *gate) *Registry {
	r := NewRegistry(
		Factory{Name: "fast", Open: unavailable, Kernels: AllKernels()},
		Factory{Name: "slow", Open: unavailable, Kernels: AllKernels(), SlowProbe: true, Probe: g.probe},
	)
	r.Auto("slow", "fast")
	return r
}

// TestProbeRunsOnce: probes of one backend asked for together, by Probe
// and StartProbe alike, run it once, and every caller gets its answer.
func TestProbeRunsOnce(t *testing.T) {
	t.Parallel()
	down := errors.New("driver hung")
	g := newGate(down)
	r := slowRegistry(g)
	r.StartProbe("slow", Options{})
	<-g.started
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.Probe("slow", Options{})
		}()
	}
	r.StartProbe("slow", Options{})
	close(g.release)
	wg.Wait()
	if n := g.runs.Load(); n != 1 {
		t.Errorf("the probe ran %d times; want once", n)
	}
	for i, err := range errs {
		if err != down {
			t.Errorf("caller %d got %v; want the probe's answer", i, err)
		}
	}
}

// TestSlowProbeBeside: a slow probe starts only when a backend is named
// (ResolveBackends, "all" or "auto" included) or every backend is listed
// (Available, AvailableWithin), runs in the background, and is not
// waited for by Known, Ready or AvailableWithin past its wait.
func TestSlowProbeBeside(t *testing.T) {
	t.Parallel()
	g := newGate(nil)
	r := slowRegistry(g)
	o := Options{}
	if names, err := r.ResolveBackends([]string{"fast"}, o); err != nil || !slices.Equal(names, []string{"fast"}) {
		t.Fatalf("ResolveBackends(fast) = %v, %v", names, err)
	}
	for _, a := range r.Known(o) {
		if a.Name == "slow" && (!a.NotProbed || a.Available || !strings.Contains(a.Reason, "not probed")) {
			t.Errorf("Known lists slow, never probed, as %+v", a)
		}
	}
	if n := g.runs.Load(); n != 0 {
		t.Fatalf("slow was probed %d times by a command that named fast alone", n)
	}
	if !r.Ready("slow", o) || !r.Ready("auto", o) {
		t.Error("a backend whose probe never started is not ready")
	}

	names, err := r.ResolveBackends([]string{"all"}, o)
	if err != nil || !slices.Equal(names, []string{"fast", "slow"}) {
		t.Fatalf("ResolveBackends(all) = %v, %v; want fast and slow, whose probe has not answered", names, err)
	}
	<-g.started // started by "all", in the background
	if !r.Optional("slow") || r.Optional("fast") {
		t.Errorf("Optional(slow) = %v, Optional(fast) = %v; want slow alone, taken in by all before it answered", r.Optional("slow"), r.Optional("fast"))
	}
	if _, err := r.ResolveBackends([]string{"slow", "all"}, o); err != nil || r.Optional("slow") {
		t.Errorf("slow named beside all is still optional (%v)", err)
	}
	if r.Ready("slow", o) || r.Ready("auto", o) || !r.Ready("fast", o) {
		t.Errorf("Ready while slow's probe runs: slow %v, auto %v, fast %v; want false, false, true",
			r.Ready("slow", o), r.Ready("auto", o), r.Ready("fast", o))
	}
	for _, a := range r.AvailableWithin(o, 0) {
		if a.Name == "slow" && (!a.NotProbed || !strings.Contains(a.Reason, "did not answer within")) {
			t.Errorf("AvailableWithin lists slow, still probing, as %+v", a)
		}
	}
	for _, a := range r.Known(o) {
		if a.Name == "slow" && (!a.NotProbed || !strings.Contains(a.Reason, "still running")) {
			t.Errorf("Known lists slow, still probing, as %+v", a)
		}
	}
	close(g.release)
	if err := r.Probe("slow", o); err != nil {
		t.Fatal(err)
	}
	if !r.Ready("slow", o) || !r.Ready("auto", o) {
		t.Error("slow or auto not ready once slow's probe answered")
	}
	for _, a := range r.Known(o) {
		if a.Name == "slow" && (a.NotProbed || !a.Available) {
			t.Errorf("Known lists slow, probed available, as %+v", a)
		}
	}
	if n := g.runs.Load(); n != 1 {
		t.Errorf("slow was probed %d times; want once", n)
	}
}

// TestAllTakesAnsweredProbe: "all" leaves out a slow backend whose probe
// has answered that it is unavailable, as it does any other.
func TestAllTakesAnsweredProbe(t *testing.T) {
	t.Parallel()
	g := newGate(ErrUnavailable)
	close(g.release)
	r := slowRegistry(g)
	if err := r.Probe("slow", Options{}); err == nil {
		t.Fatal("slow probed available")
	}
	names, err := r.ResolveBackends([]string{"all"}, Options{})
	if err != nil || !slices.Equal(names, []string{"fast"}) || r.Optional("slow") {
		t.Errorf("ResolveBackends(all) = %v, %v (slow optional: %v); want fast alone", names, err, r.Optional("slow"))
	}
}
