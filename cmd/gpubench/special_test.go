package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestInputsSpecial: --inputs special adds the special pass to every
// case, which the CPU backend passes, and says so in the JSON; anything
// but standard or special is a usage error.
func TestInputsSpecial(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := gpubench(t, noGL, "run", "--inputs", "special", "--backend", "cpu",
		"--kernel", "saxpy,dot,gemm", "--size", "1000", "--reps", "1", "--format", "json")
	var rep struct {
		Results []struct {
			Kernel   string   `json:"kernel"`
			Verified bool     `json:"verified"`
			Passes   []string `json:"passes"`
		}
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil || len(rep.Results) != 3 {
		t.Fatalf("--inputs special: exit %d: %s\n%s", code, stderr, stdout)
	}
	for _, r := range rep.Results {
		if !r.Verified || len(r.Passes) == 0 || r.Passes[len(r.Passes)-1] != "special" || slices.Index(r.Passes, "special") != len(r.Passes)-1 {
			t.Errorf("%s: verified %v, passes %v; want verified, special last", r.Kernel, r.Verified, r.Passes)
		}
	}
	_, stderr, code = gpubench(t, noGL, "run", "--kernel", "dot", "--size", "8", "--inputs", "bogus")
	if code != 2 || !strings.Contains(stderr, `unknown --inputs "bogus"`) {
		t.Errorf("--inputs bogus: exit %d, %s", code, stderr)
	}
}
