package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestVerifyFlag: --verify sample checks 4096 elements of a larger result
// and says so in the JSON and the table, full checks them all, auto
// checks a small case whole, and anything else is a usage error.
func TestVerifyFlag(t *testing.T) {
	t.Parallel()
	const size, elements = "100x120x10", 100 * 120
	type result struct {
		Kernel   string `json:"kernel"`
		Verified bool   `json:"verified"`
		Checked  int    `json:"checked"`
		Elements int    `json:"elements"`
	}
	for _, tc := range []struct {
		mode    string
		checked int
	}{{"sample", 4096}, {"full", elements}, {"auto", elements}} {
		for _, kc := range []struct{ kernel, size string }{{"gemm", size}, {"saxpy", "12000"}} {
			stdout, stderr, code := gpubench(t, nil, "run", "--backend", "cpu", "--kernel", kc.kernel, "--size", kc.size,
				"--reps", "1", "--verify", tc.mode, "--format", "json")
			var rep struct{ Results []result }
			if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil || len(rep.Results) != 1 {
				t.Fatalf("--verify %s %s: exit %d: %s\n%s", tc.mode, kc.kernel, code, stderr, stdout)
			}
			want := tc.checked
			if want == elements && kc.kernel == "saxpy" {
				want = 12000
			}
			if r := rep.Results[0]; !r.Verified || r.Checked != want || r.Checked < r.Elements && tc.mode != "sample" {
				t.Errorf("--verify %s %s: %+v, want %d checked", tc.mode, kc.kernel, r, want)
			}
		}
	}
	stdout, _, code := gpubench(t, nil, "run", "--backend", "cpu", "--kernel", "gemm", "--size", size, "--reps", "1", "--verify", "sample")
	if code != 0 || !strings.Contains(stdout, " ok*\n") || !strings.Contains(stdout, "* checked on a sample of 4096 elements") {
		t.Errorf("table of a sampled check, exit %d:\n%s", code, stdout)
	}
	_, stderr, code := gpubench(t, nil, "run", "--kernel", "dot", "--size", "8", "--verify", "some")
	if code != 2 || !strings.Contains(stderr, "--verify") {
		t.Errorf("--verify some: exit %d, %s", code, stderr)
	}
}
