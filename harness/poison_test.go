package harness

import (
	"context"
	"strings"
	"testing"
)

// TestPoisonedChecks: a backend that does its work only on the first
// call, and from then on leaves the output buffer, the host memory of a
// download or a workspace of its own as the first call left them, gives
// the right values in every timed run after the first; each check's run
// is poisoned first (out and the host memory filled with NaN, the
// backend's workspaces through compute.Poisoner), so it fails. The same
// backend without the fault passes. (saxpy updates y in place: a run
// that skips it leaves the y just uploaded, which is wrong too.)
func TestPoisonedChecks(t *testing.T) {
	t.Parallel()
	var current *fake
	for _, stale := range []string{"", "out", "download", "workspace"} {
		for _, k := range []string{"copy", "dot", "gemm", "saxpy"} {
			current = &fake{stale: stale}
			rep, err := Run(context.Background(), config(&current), plan(t, []string{"37"}, k))
			if err != nil {
				t.Fatal(err)
			}
			r := rep.Results[0]
			if stale == "" {
				if !r.Verified {
					t.Errorf("%s, no fault: %s", k, r.Mismatch)
				}
				continue
			}
			// saxpy's out is y, uploaded afresh for each check: a run that
			// writes nothing leaves y, not NaN.
			if r.Verified || (k != "saxpy" && !strings.Contains(r.Mismatch, "NaN")) {
				t.Errorf("%s, stale %s after the first call: verified %v, %q; want a NaN where the result is finite", k, stale, r.Verified, r.Mismatch)
			}
		}
	}
}

// TestExactPassFails: a fault that only the exact inputs show (the
// fake's offExact) fails the case, named by its pass, while the random
// pass's figures stay those of the random pass.
func TestExactPassFails(t *testing.T) {
	t.Parallel()
	var current *fake
	for _, k := range []string{"copy", "dot", "gemm", "fma"} {
		current = &fake{offExact: true}
		rep, err := Run(context.Background(), config(&current), plan(t, []string{"37"}, k))
		if err != nil {
			t.Fatal(err)
		}
		r := rep.Results[0]
		if r.Verified || !strings.HasPrefix(r.Mismatch, "exact inputs: element 0:") || r.ErrRatio > 1 {
			t.Errorf("%s: verified %v, ERR/BOUND %g, %q; want it failed by the exact pass", k, r.Verified, r.ErrRatio, r.Mismatch)
		}
		if len(r.Passes) < 2 || r.Passes[0] != "random" || r.Passes[1] != "exact" {
			t.Errorf("%s: passes %v, want random, exact, …", k, r.Passes)
		}
	}
}

// TestExactPassVouchesWhereUnbounded: where the random inputs' bound is
// infinite (fma past 2²⁴ float32 steps), a result the exact pass finds
// right is verified, with a note saying which pass checked it; a fault
// the exact pass sees still fails it.
func TestExactPassVouchesWhereUnbounded(t *testing.T) {
	t.Parallel()
	var current *fake
	for _, off := range []bool{false, true} {
		current = &fake{offExact: off}
		rep, err := Run(context.Background(), config(&current), plan(t, []string{"3x16777216"}, "fma"))
		if err != nil {
			t.Fatal(err)
		}
		r := rep.Results[0]
		if r.Verified == off || !off && !strings.Contains(r.PassNote, "exact pass alone") || off && !strings.HasPrefix(r.Mismatch, "exact inputs:") {
			t.Errorf("exact pass faulty %v: verified %v, note %q, %q", off, r.Verified, r.PassNote, r.Mismatch)
		}
	}
}
