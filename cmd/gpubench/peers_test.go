package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPeerRatios runs our cpu backend against the gonum peer with
// --interleave: cases come out in case order, every backend per case,
// and the table ends with our speed over the peer's, case by case and
// as a geometric mean.
func TestPeerRatios(t *testing.T) {
	t.Parallel()
	args := []string{"run", "-q", "--interleave", "--backend", "cpu,gonum", "--kernel", "saxpy,gemm", "--size", "64", "--reps", "2"}
	out, errOut, code := gpubench(t, []string{"GPUBENCH_GL=none"}, args...)
	if code != 0 {
		t.Fatalf("gpubench %v: exit %d\n%s%s", args, code, out, errOut)
	}
	i := strings.Index(out, "CPU/GONUM")
	if i < 0 || !strings.Contains(out[i:], "geomean") || strings.Count(out[i:], "x\n") < 3 {
		t.Fatalf("no ratio table after the results:\n%s", out)
	}
	out, _, code = gpubench(t, []string{"GPUBENCH_GL=none"}, append(args, "--format", "json")...)
	var rep struct {
		Results []struct{ Kernel, Backend string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("json: exit %d, %v", code, err)
	}
	var got []string
	for _, r := range rep.Results {
		got = append(got, r.Kernel+"/"+r.Backend)
	}
	if want := "saxpy/cpu saxpy/gonum gemm/cpu gemm/gonum"; strings.Join(got, " ") != want {
		t.Errorf("interleaved results %v, want %s", got, want)
	}
	// Without a peer there is no ratio table.
	out, _, _ = gpubench(t, []string{"GPUBENCH_GL=none"}, "run", "-q", "--backend", "cpu", "--kernel", "saxpy", "--size", "64", "--reps", "1")
	if strings.Contains(out, "CPU/") {
		t.Errorf("ratio table without a peer:\n%s", out)
	}
}
