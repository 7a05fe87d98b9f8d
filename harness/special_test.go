package harness

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// TestSpecialPass: Config.Special adds the special values' pass after a
// case's others, in a run of its own; a backend that loses NaNs passes
// every other pass and fails that one alone, with "special inputs: ".
func TestSpecialPass(t *testing.T) {
	t.Parallel()
	var current *fake
	cases := plan(t, []string{"64"}, "saxpy", "dot", "gemv", "gemm")
	for _, special := range []bool{false, true} {
		cfg := config(&current)
		cfg.Warmup, cfg.Special = 1, special
		for _, lose := range []bool{false, true} {
			for _, c := range cases {
				current = &fake{loseNaN: lose}
				rep, err := Run(context.Background(), cfg, []compute.Problem{c})
				if err != nil {
					t.Fatal(err)
				}
				r := rep.Results[0]
				sets, _ := ref.Passes(c)
				want := []string{}
				for _, s := range sets {
					want = append(want, s.String())
				}
				if special {
					want = append(want, "special")
				}
				if !slices.Equal(r.Passes, want) || current.runs != cfg.Warmup+cfg.Reps+len(want) {
					t.Errorf("%v special %v: passes %v in %d runs, want %v in %d", c, special, r.Passes, current.runs, want, cfg.Warmup+cfg.Reps+len(want))
				}
				if fail := special && lose; r.Verified == fail || fail && !strings.HasPrefix(r.Mismatch, "special inputs: ") {
					t.Errorf("%v special %v, NaN lost %v: verified %v, %q", c, special, lose, r.Verified, r.Mismatch)
				}
			}
		}
	}
	// Every kernel of the quick suite, small, passes the special pass on
	// a correct backend and fails it on one that loses NaNs.
	cfg := config(&current)
	cfg.Warmup, cfg.Reps, cfg.Special = 0, 1, true
	for _, lose := range []bool{false, true} {
		current = &fake{loseNaN: lose}
		all := plan(t, []string{"100"}, compute.KernelNames()...)
		rep, err := Run(context.Background(), cfg, all)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Results {
			if r.Verified == lose {
				t.Errorf("%s %s, NaN lost %v: verified %v, %q", r.Kernel, r.Shape, lose, r.Verified, r.Mismatch)
			}
		}
	}
}
