package harness

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// slowDevice is fake on a device of 10⁻⁹ GFLOP/s.
type slowDevice struct{ *fake }

func (s slowDevice) Device() compute.Device {
	d := s.fake.Device()
	d.Backend, d.PeakGFLOPS = "fake-slow", map[compute.DType]float64{compute.Float32: 1e-9}
	return d
}

// TestImpossibleRate: a correct result at a rate beyond its device's
// peak fails its case, and says why.
func TestImpossibleRate(t *testing.T) {
	t.Parallel()
	current := &fake{}
	cfg := config(&current)
	cfg.Backends = []string{"fake-slow"}
	rep, err := Run(context.Background(), cfg, plan(t, []string{"64x8"}, "fma"))
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Results[0]; !r.Failed() || !strings.HasPrefix(r.Mismatch, "impossible: ") {
		t.Errorf("fma at %g GFLOP/s on a device of 10⁻⁹: failed %v, mismatch %q", r.GFLOPS, r.Failed(), r.Mismatch)
	}
}

// TestUnsupported: a case the backend does not run (its registered
// kernels, or its Run's compute.ErrUnsupported) or in a dtype its device
// lacks is unsupported: Skipped says why, and it neither passes nor
// fails; the other cases run.
func TestUnsupported(t *testing.T) {
	t.Parallel()
	current := &fake{}
	cfg := config(&current)
	cfg.Backends = []string{"fake-nofma"}
	cases := append(plan(t, []string{"64x8"}, "fma"), plan(t, []string{"64"}, "dot")...)
	cases = append(cases, compute.Problem{Kernel: compute.Sum, Shape: compute.Vec(64), DType: compute.Float64})
	rep, err := Run(context.Background(), cfg, cases)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"fake-nofma does not run fma", "", "reference has no float64 support"}
	for i, r := range rep.Results {
		if r.Skipped != want[i] || r.Failed() || (want[i] == "") != r.Verified {
			t.Errorf("%s: skipped %q, failed %v, verified %v; want skipped %q", r.Kernel, r.Skipped, r.Failed(), r.Verified, want[i])
		}
	}
	current = &fake{runErr: fmt.Errorf("%w: fake runs no dot today", compute.ErrUnsupported)}
	rep, err = Run(context.Background(), config(&current), plan(t, []string{"64"}, "dot"))
	if r := rep.Results[0]; err != nil || !strings.Contains(r.Skipped, "fake runs no dot today") || r.Failed() {
		t.Errorf("Run's ErrUnsupported: %v, %+v", err, r)
	}
}

// TestRunLevelErrors: a lost device and a dump that cannot be written
// fail their cases and are returned by Run too, so that a command can
// say so in its exit code; a wrong result is the case's alone.
func TestRunLevelErrors(t *testing.T) {
	t.Parallel()
	current := &fake{runErr: fmt.Errorf("%w: gl: the context was reset", compute.ErrDeviceLost)}
	rep, err := Run(context.Background(), config(&current), plan(t, []string{"64"}, "dot", "sum"))
	if !errors.Is(err, compute.ErrDeviceLost) || len(rep.Results) != 2 || !rep.Results[0].Failed() {
		t.Errorf("a lost device: %v, %+v", err, rep.Results)
	}
	current = &fake{}
	cfg := config(&current)
	cfg.Dump = func(compute.Problem, string, uint64, compute.Host) error {
		return fmt.Errorf("%w: write d/x.npy: no space left on device", results.ErrWrite)
	}
	rep, err = Run(context.Background(), cfg, plan(t, []string{"64"}, "dot"))
	if !errors.Is(err, results.ErrWrite) || !strings.Contains(rep.Results[0].Err, "dump: ") {
		t.Errorf("a dump not written: %v, %+v", err, rep.Results[0])
	}
	current = &fake{corrupt: "dot"}
	if _, err := Run(context.Background(), config(&current), plan(t, []string{"64"}, "dot")); err != nil {
		t.Errorf("a wrong result is an error of the run: %v", err)
	}
}

// TestInterruptWithinCase: cancelling the context stops a long case at
// its next kernel call, not after its repetitions (which would take 50
// s and complete the run): Run returns without the case (it did not
// finish), marked incomplete, with its backend closed.
func TestInterruptWithinCase(t *testing.T) {
	var current *fake
	const call = 5 * time.Millisecond
	current = &fake{delay: call}
	cfg := config(&current)
	cfg.Reps = 10000 // 50 s of calls
	ctx, cancel := context.WithCancel(context.Background())
	done := plan(t, []string{"16"}, "sum")
	long := plan(t, []string{"16"}, "dot")
	time.AfterFunc(200*time.Millisecond, cancel)
	rep, err := Run(ctx, cfg, append(done[:0:0], long...))
	if err != nil || rep.Complete || len(rep.Results) != 0 || !current.closed {
		t.Errorf("interrupted: %v, complete %v, %d results, closed %v", err, rep.Complete, len(rep.Results), current.closed)
	}
}

// TestAbandon: closing Abandon makes Run return at once with what
// finished, while a kernel call that does not return (a hung driver, a
// call of minutes) is left running, its backend open.
func TestAbandon(t *testing.T) {
	var current *fake
	block := make(chan struct{})
	defer close(block)
	current = &fake{}
	cfg := config(&current)
	abandon := make(chan struct{})
	cfg.Abandon = abandon
	n := 0
	cfg.Progress = func(Progress) {
		if n++; n == 2 {
			current.block = block // the second case hangs
			time.AfterFunc(100*time.Millisecond, func() { close(abandon) })
		}
	}
	rep, err := Run(context.Background(), cfg, plan(t, []string{"16"}, "sum", "dot"))
	if err != nil || rep.Complete || len(rep.Results) != 1 || rep.Results[0].Kernel != compute.Sum || current.closed {
		t.Errorf("abandoned: %v, complete %v, %d results, closed %v", err, rep.Complete, len(rep.Results), current.closed)
	}
}
