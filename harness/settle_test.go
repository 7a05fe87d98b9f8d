package harness

import (
	"context"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
)

// spinSettle is the Settle of the test backend "fake-spin": the fake
// backend, as if its threads kept the cores busy after each call.
const spinSettle = 30 * time.Millisecond

func init() {
	compute.Register(compute.Factory{Name: "fake-spin", Doc: "the fake backend with a Settle, for tests",
		Settle: spinSettle,
		Open:   func(compute.Options) (compute.Backend, error) { return current, nil }})
}

// TestSettle: a case waits out the Settle of the backend that ran just
// before it, and of every linked backend from process start, but not
// the Settle of its own backend's previous case.
func TestSettle(t *testing.T) {
	var slept []time.Duration
	old := sleep
	sleep = func(d time.Duration) { slept = append(slept, d) }
	t.Cleanup(func() { sleep = old })
	reset := func(loaded bool) {
		settle.Lock()
		settle.loaded, settle.until, settle.by = loaded, time.Time{}, ""
		settle.Unlock()
		slept = nil
	}
	cases := plan(t, []string{"33", "65"}, "saxpy")
	cfg := config()
	cfg.Backends = []string{"fake-spin", "fake", "fake-spin"}

	reset(true)
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
	reset(false)
	defer func(t0 time.Time) { loadTime = t0 }(loadTime)
	loadTime = time.Now()
	cfg.Backends = []string{"fake"}
	if _, err := Run(context.Background(), cfg, cases[:1]); err != nil {
		t.Fatal(err)
	}
	if len(slept) != 1 || slept[0] <= 0 || slept[0] > spinSettle {
		t.Errorf("waits %v, want one in (0, %v] from process start", slept, spinSettle)
	}
}
