package harness

import (
	"context"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// journalled records what a Journal hears.
type journalled struct{ starts, ends []string }

func (j *journalled) Start(p compute.Problem, name string, _ compute.Device) {
	j.starts = append(j.starts, p.String()+" on "+name)
}

func (j *journalled) End(p compute.Problem, name string, r results.Result) {
	j.ends = append(j.ends, p.String()+" on "+name+": "+r.Backend)
}

// TestJournal: the Journal hears each case start and end, in the order
// they run, by the backend's name in Config.Backends.
func TestJournal(t *testing.T) {
	t.Parallel()
	current := &fake{}
	cfg := config(&current)
	cfg.Backends = []string{"fake", "fake-nofma"}
	j := &journalled{}
	cfg.Journal = j
	if _, err := Run(context.Background(), cfg, plan(t, []string{"64"}, "dot", "sum")); err != nil {
		t.Fatal(err)
	}
	want := []string{"dot/64/float32 on fake", "sum/64/float32 on fake", "dot/64/float32 on fake-nofma", "sum/64/float32 on fake-nofma"}
	for i, w := range want {
		if i >= len(j.starts) || j.starts[i] != w || i >= len(j.ends) || j.ends[i] != w+": "+cfg.Backends[i/2] {
			t.Fatalf("heard starts %q, ends %q; want %q", j.starts, j.ends, want)
		}
	}
}

// TestResume: a case Config.Resume gives a result for is not run again
// and its result takes its place; a backend it gives every case for is
// not opened (it adds no device).
func TestResume(t *testing.T) {
	t.Parallel()
	current := &fake{}
	cfg := config(&current)
	cfg.Backends = []string{"fake", "fake-nofma"}
	cases := plan(t, []string{"64"}, "dot", "sum")
	cfg.Resume = func(p compute.Problem, name string) (results.Result, bool) {
		if name == "fake" || p.Kernel == compute.Dot {
			r := results.NewResult(p, name, compute.Device{})
			r.Err = "from before"
			return r, true
		}
		return results.Result{}, false
	}
	j := &journalled{}
	cfg.Journal = j
	rep, err := Run(context.Background(), cfg, cases)
	if err != nil {
		t.Fatal(err)
	}
	if len(j.starts) != 1 || j.starts[0] != "sum/64/float32 on fake-nofma" {
		t.Errorf("ran %q, want sum on fake-nofma alone", j.starts)
	}
	if len(rep.Devices) != 1 {
		t.Errorf("%d devices: want fake-nofma's alone, fake not opened", len(rep.Devices))
	}
	// By case, then backend: dot on fake, fake-nofma; sum on fake, fake-nofma.
	wantErr := []string{"from before", "from before", "from before", ""}
	if len(rep.Results) != len(wantErr) {
		t.Fatalf("%d results, want %d", len(rep.Results), len(wantErr))
	}
	for i, r := range rep.Results {
		if r.Err != wantErr[i] || (wantErr[i] == "") != r.Verified {
			t.Errorf("result %d (%s on %s): error %q, verified %v; want error %q", i, r.Kernel, r.Backend, r.Err, r.Verified, wantErr[i])
		}
	}
}
