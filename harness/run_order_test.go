package harness

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
)

// journal records events from the goroutines of a run, in order.
type journal struct {
	mu     sync.Mutex
	events []string
}

func (j *journal) add(e string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.events = append(j.events, e)
}

func (j *journal) list() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.events)
}

// closing is a fake backend that notes in a journal when it closes, and
// then calls done.
type closing struct {
	*fake
	name string
	j    *journal
	done func()
}

func (c closing) Close() error {
	c.j.add(c.name + " closed")
	c.done()
	return c.fake.Close()
}

// slowProbeEnv is an Env of two fake backends: "gpu", whose probe is
// slow (compute.Factory.SlowProbe) and answers probeErr only once "host"
// has closed (a run that waited for it before running "host" finds it
// giving up instead, after a minute), and "host", ready at once.
func slowProbeEnv(j *journal, probeErr error) *Env {
	hostDone := make(chan struct{})
	var once sync.Once
	closeHost := func() { once.Do(func() { close(hostDone) }) }
	return &Env{Registry: compute.NewRegistry(
		compute.Factory{Name: "host", Doc: "the fake backend, ready at once", Kernels: compute.AllKernels(),
			Open: func(compute.Options) (compute.Backend, error) {
				j.add("host opened")
				return closing{&fake{}, "host", j, closeHost}, nil
			}},
		compute.Factory{Name: "gpu", Doc: "the fake backend, slow to probe", Kernels: compute.AllKernels(), SlowProbe: true,
			Probe: func(compute.Options) error {
				j.add("gpu probe started")
				select {
				case <-hostDone:
					j.add("gpu probe answered")
					return probeErr
				case <-time.After(time.Minute):
					j.add("gpu probe gave up")
					return fmt.Errorf("%w: the run waited for this probe before running host", compute.ErrUnavailable)
				}
			},
			Open: func(compute.Options) (compute.Backend, error) {
				j.add("gpu opened")
				return closing{&fake{}, "gpu", j, func() {}}, nil
			}},
	)}
}

// TestReadyBackendsFirst: a backend whose slow probe is still running
// (a GPU driver's) runs after the backends that are ready, its probe
// running beside their cases, while the results keep the order the
// backends were named in. Named, a backend that turns out unavailable
// fails its cases; taken in by "all" before its probe answered, it is
// left out as "all" leaves out any backend that is unavailable. Either
// way the report's backends say why.
func TestReadyBackendsFirst(t *testing.T) {
	t.Parallel()
	down := fmt.Errorf("%w: the driver did not answer", compute.ErrUnavailable)
	for _, c := range []struct {
		name     string
		backends []string
		probeErr error
		rows     []string // backends of each case's results, in order
		wantErr  bool
	}{
		{"named gpu available", []string{"gpu", "host"}, nil, []string{"gpu", "host"}, false},
		{"named gpu unavailable", []string{"gpu", "host"}, down, []string{"gpu", "host"}, true},
		{"all, gpu unavailable", []string{"all"}, down, []string{"host"}, false},
		{"all, gpu available", []string{"all"}, nil, []string{"host", "gpu"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var j journal
			var current *fake
			cfg := config(&current)
			cfg.Env = slowProbeEnv(&j, c.probeErr)
			cfg.Reps = 1
			reg := cfg.Env.Registry
			names, err := reg.ResolveBackends(c.backends, cfg.Options) // starts gpu's probe
			if err != nil {
				t.Fatal(err)
			}
			cfg.Backends = names
			cases := plan(t, []string{"8", "33"}, "dot")
			rep, err := Run(context.Background(), cfg, cases)
			if (err != nil) != c.wantErr {
				t.Errorf("Run: %v; want an error: %v", err, c.wantErr)
			}
			events := j.list()
			if i, k := slices.Index(events, "host closed"), slices.Index(events, "gpu probe answered"); i < 0 || k < 0 || i > k {
				t.Errorf("host's cases did not all run before gpu's probe answered: %v", events)
			}
			var got []string
			for _, r := range rep.Results {
				got = append(got, r.Backend)
			}
			var want []string
			for range cases {
				want = append(want, c.rows...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("results by backend %v; want %v (case by case, in the order named)", got, want)
			}
			for _, a := range rep.Backends {
				if a.Name != "gpu" {
					continue
				}
				if a.Available != (c.probeErr == nil) || a.NotProbed || (c.probeErr != nil && !strings.Contains(a.Reason, "did not answer")) {
					t.Errorf("report lists gpu as %+v; want its probe's answer (%v)", a, c.probeErr)
				}
			}
			if c.probeErr != nil && c.wantErr && !errors.Is(err, compute.ErrUnavailable) {
				t.Errorf("Run: %v; want compute.ErrUnavailable", err)
			}
		})
	}
}

// TestReportDoesNotProbe: a run that does not use a backend slow to
// probe never starts its probe; the report lists it as not probed.
func TestReportDoesNotProbe(t *testing.T) {
	t.Parallel()
	var j journal
	var current *fake
	cfg := config(&current)
	cfg.Env = slowProbeEnv(&j, nil)
	cfg.Reps = 1
	names, err := cfg.Env.Registry.ResolveBackends([]string{"host"}, cfg.Options)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Backends = names
	rep, err := Run(context.Background(), cfg, plan(t, []string{"8"}, "dot"))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(j.list(), "gpu probe started") {
		t.Errorf("a run on host started gpu's probe: %v", j.list())
	}
	for _, a := range rep.Backends {
		if a.Name == "gpu" && (!a.NotProbed || a.Available) {
			t.Errorf("report lists gpu as %+v; want not probed", a)
		}
	}
}
