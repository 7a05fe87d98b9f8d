package harness

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
)

// spinSettle is the Settle of the test backend "fake-spin": the fake
// backend, as if its threads kept the cores busy after each call.
const spinSettle = 30 * time.Millisecond

// spinning is the fake backend under the name fake-spin.
type spinning struct{ *fake }

func (s spinning) Name() string { return "fake-spin" }
func (s spinning) Device() compute.Device {
	d := s.fake.Device()
	d.Backend = "fake-spin"
	return d
}

// TestSettle: a case waits out the Settle of the backend that ran just
// before it, and of every linked backend from process start, but not
// the Settle of its own backend's previous case.
func TestSettle(t *testing.T) {
	t.Parallel()
	var current *fake
	var slept []time.Duration
	// A fresh Env for each run, started at start (zero: not waiting
	// from the start), sleeping into slept.
	fresh := func(cfg *Config, start time.Time) {
		cfg.Env = testEnv(&current)
		cfg.Env.Start = start
		cfg.Env.Sleep = func(d time.Duration) { slept = append(slept, d) }
		slept = nil
	}
	cases := plan(t, []string{"33", "65"}, "saxpy")
	cfg := config(&current)
	cfg.Backends = []string{"fake-spin", "fake", "fake-spin"}

	fresh(&cfg, time.Time{})
	current = &fake{}
	if _, err := Run(context.Background(), cfg, cases); err != nil {
		t.Fatal(err)
	}
	// fake-spin, fake-spin, [wait] fake, fake, fake-spin, fake-spin.
	if len(slept) != 1 || slept[0] <= 0 || slept[0] > spinSettle {
		t.Errorf("waits %v, want one in (0, %v]: before fake's first case only", slept, spinSettle)
	}

	// From process start: the first case waits for what is left of
	// every linked backend's longest Settle, here fake-spin's.
	fresh(&cfg, time.Now())
	cfg.Backends = []string{"fake"}
	if _, err := Run(context.Background(), cfg, cases[:1]); err != nil {
		t.Fatal(err)
	}
	if len(slept) != 1 || slept[0] <= 0 || slept[0] > spinSettle {
		t.Errorf("waits %v, want one in (0, %v] from process start", slept, spinSettle)
	}
}

// TestInterleaveOrder: Interleave starts case i with backend i mod n,
// so each backend follows the other as often, and still reports every
// case in cfg.Backends order. fake-spin declares a Settle, so the run
// also waits out its spin where fake follows it.
func TestInterleaveOrder(t *testing.T) {
	t.Parallel()
	var current *fake
	var log []string
	cfg := DefaultConfig()
	cfg.Env = testEnv(&current)
	cfg.Backends = []string{"fake", "fake-spin"}
	cfg.Reps, cfg.Warmup, cfg.MinRepTime = 1, 0, 0
	cfg.Progress = func(p Progress) {
		log = append(log, strings.SplitN(p.Case, "/", 2)[0]+"/"+p.Backend)
	}
	cfg.Interleave = true
	current = &fake{}
	cases := []compute.Problem{
		{Kernel: compute.Saxpy, Shape: compute.Vec(33), DType: compute.Float32, Alpha: DefaultAlpha},
		{Kernel: compute.Dot, Shape: compute.Vec(33), DType: compute.Float32},
		{Kernel: compute.Gemv, Shape: compute.Mat(33, 17), DType: compute.Float32},
	}
	rep, err := Run(context.Background(), cfg, cases)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(log, " "), "saxpy/fake saxpy/fake-spin dot/fake-spin dot/fake gemv/fake gemv/fake-spin"; got != want {
		t.Errorf("ran\n  %s\nwant\n  %s", got, want)
	}
	var got []string
	for _, r := range rep.Results {
		if !r.Verified {
			t.Errorf("%s/%s not verified: %s%s", r.Kernel, r.Backend, r.Err, r.Mismatch)
		}
		got = append(got, r.Kernel.String()+"/"+r.Backend)
	}
	if want := "saxpy/fake saxpy/fake-spin dot/fake dot/fake-spin gemv/fake gemv/fake-spin"; strings.Join(got, " ") != want {
		t.Errorf("results %v, want %s", got, want)
	}
	if len(rep.Devices) != 2 || !rep.Complete {
		t.Errorf("devices %d, complete %v: want 2, true", len(rep.Devices), rep.Complete)
	}
}
