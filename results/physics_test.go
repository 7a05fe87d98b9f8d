package results

import (
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestCheckPhysics: a rate past PeakLimit of the peak fails the case with
// a message that says so, after any mismatch already found; a rate
// under the limit, a case without a peak, and a case that did not run
// are left as they were.
func TestCheckPhysics(t *testing.T) {
	const peak = 438
	ok := Result{DType: compute.Float32, Verified: true}
	for _, c := range []struct {
		name     string
		r        Result
		gflops   float64
		peak     float64
		verified bool
		mismatch string
	}{
		{"99 %", ok, 0.99 * peak, peak, true, ""},
		{"110 %: a clock read 9 % low", ok, 1.1 * peak, peak, true, ""},
		{"just under the limit", ok, 0.999 * PeakLimit * peak, peak, true, ""},
		{"120 %", ok, 1.2 * peak, peak, false, "impossible: 120 % of the float32 peak of 438 GFLOP/s"},
		{"578 %", ok, 5.78 * peak, peak, false, "impossible: 578 % of the float32 peak of 438 GFLOP/s"},
		{"no peak", ok, 1e6, 0, true, ""},
		{"a wrong result too", Result{DType: compute.Float64, Mismatch: "element 3: got 1, want 2"}, 2 * peak, peak, false,
			"element 3: got 1, want 2; impossible: 200 % of the float64 peak"},
		{"an error", Result{DType: compute.Float32, Err: "device lost"}, 2 * peak, peak, false, ""},
	} {
		r := c.r
		r.GFLOPS = c.gflops
		r.CheckPhysics(c.peak)
		want := c.r.Mismatch // unchanged
		if c.mismatch != "" {
			want = c.mismatch
		}
		if r.Verified != c.verified || !strings.HasPrefix(r.Mismatch, want) || c.mismatch == "" && r.Mismatch != want {
			t.Errorf("%s: verified %v, mismatch %q; want %v, %q…", c.name, r.Verified, r.Mismatch, c.verified, c.mismatch)
		}
	}
}
