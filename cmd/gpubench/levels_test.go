package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/cpu"
)

// levelRows runs one small saxpy on backends with extra root flags and
// returns each row's backend and level.
func levelRows(t *testing.T, backends string, flags ...string) (map[string]string, []string) {
	t.Helper()
	args := append(flags, "run", "-q", "--backend", backends, "--kernel", "saxpy", "--size", "4099", "--reps", "2", "--format", "json")
	out, errOut, code := gpubench(t, []string{"GPUBENCH_GL=none"}, args...)
	if code != 0 {
		t.Fatalf("gpubench %v: exit %d\n%s%s", args, code, out, errOut)
	}
	var rep struct {
		Results []struct {
			Backend  string `json:"backend"`
			Level    string `json:"level"`
			Verified bool   `json:"verified"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("gpubench %v: %v\n%s", args, err, out)
	}
	levels := map[string]string{}
	var order []string
	for _, r := range rep.Results {
		if !r.Verified {
			t.Errorf("%s at %s did not verify", r.Backend, r.Level)
		}
		levels[r.Backend] = r.Level
		order = append(order, r.Backend)
	}
	return levels, order
}

// infoOf runs `gpubench info --json` with extra root flags and returns
// the probe's SIMD features and the cpu backend's level.
func infoOf(t *testing.T, flags ...string) (features []string, level string) {
	t.Helper()
	args := append(flags, "info", "--json")
	out, errOut, code := gpubench(t, []string{"GPUBENCH_GL=none"}, args...)
	if code != 0 {
		t.Fatalf("gpubench %v: exit %d\n%s%s", args, code, out, errOut)
	}
	var m struct {
		Probe struct {
			CPU struct {
				Features []string `json:"features"`
			} `json:"cpu"`
		} `json:"probe"`
		Devices []struct {
			Backend string `json:"backend"`
			Level   string `json:"level"`
		} `json:"devices"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("gpubench %v: %v\n%s", args, err, out)
	}
	for _, d := range m.Devices {
		if d.Backend == "cpu" {
			level = d.Level
		}
	}
	return m.Probe.CPU.Features, level
}

// TestCPUDisable steps the cpu backend down with --cpu-disable, in the
// run's rows and in info, the way CI runs the suite at each level.
func TestCPUDisable(t *testing.T) {
	t.Parallel()
	var have []string // this test binary probes the same CPU
	for _, l := range cpu.Levels() {
		have = append(have, string(l))
	}
	best := have[len(have)-1]
	if l, _ := levelRows(t, "cpu"); l["cpu"] != best {
		t.Errorf("plain run: cpu ran at %q, want %q", l["cpu"], best)
	}
	if !slices.Contains(have, "avx512") || !slices.Contains(have, "avx2") {
		t.Logf("levels here: %v; the avx512 → avx2 step needs both", have)
	} else {
		l, _ := levelRows(t, "cpu", "--cpu-disable", "avx512")
		if l["cpu"] != "avx2" {
			t.Errorf("--cpu-disable avx512: cpu ran at %q, want avx2", l["cpu"])
		}
		// The flag is a root flag: after the command name works too.
		out, _, code := gpubench(t, []string{"GPUBENCH_GL=none"}, "run", "--cpu-disable=avx512", "--backend", "cpu", "--kernel", "dot", "--size", "1000", "--reps", "1")
		if code != 0 || !strings.Contains(out, "cpu/avx2") {
			t.Errorf("run --cpu-disable=avx512: exit %d, table has no cpu/avx2 row:\n%s", code, out)
		}
		feats, level := infoOf(t, "--cpu-disable", "avx512")
		if level != "avx2" || slices.Contains(feats, "AVX512F") || !slices.Contains(feats, "AVX2") {
			t.Errorf("info --cpu-disable avx512: level %q, features %v", level, feats)
		}
		if feats, _ := infoOf(t); !slices.Contains(feats, "AVX512F") {
			t.Errorf("plain info lost AVX512F: %v", feats)
		}
		// A disabled level's own backend is unavailable (exit 3).
		_, errOut, code := gpubench(t, nil, "--cpu-disable", "avx512", "run", "--backend", "cpu/avx512", "--kernel", "dot", "--size", "100")
		// The reason names no Go field: it reaches results files too.
		if code != exitUnavailable || !strings.Contains(errOut, "cpu level avx512 is disabled") || strings.Contains(errOut, "Disable") {
			t.Errorf("cpu/avx512 with avx512 disabled: exit %d, %s", code, errOut)
		}
	}
	l, _ := levelRows(t, "cpu", "--cpu-disable", "avx512,avx2,neon")
	if l["cpu"] != "generic" {
		t.Errorf("--cpu-disable avx512,avx2,neon: cpu ran at %q, want generic", l["cpu"])
	}
	if _, level := infoOf(t, "--cpu-disable", "AVX512", "--cpu-disable", "avx2,neon"); level != "generic" {
		t.Errorf("info with every SIMD level disabled: level %q, want generic", level)
	}
	for _, bad := range []string{"generic", "sse9"} {
		_, errOut, code := gpubench(t, nil, "--cpu-disable", bad, "info")
		if code != exitUsage || !strings.Contains(errOut, "cpu-disable") {
			t.Errorf("--cpu-disable %s: exit %d, %s", bad, code, errOut)
		}
	}
}

// TestCPUAll runs every level side by side with --backend cpu/all, best
// first, each row at its own level, and finds cpu/all in list.
func TestCPUAll(t *testing.T) {
	t.Parallel()
	var have []string
	for _, l := range cpu.Levels() {
		have = append(have, string(l))
	}
	levels, order := levelRows(t, "cpu/all")
	var want []string
	for i := len(have) - 1; i >= 0; i-- {
		want = append(want, "cpu/"+have[i])
	}
	if !slices.Equal(order, want) {
		t.Errorf("cpu/all ran %v, want %v", order, want)
	}
	for b, l := range levels {
		if "cpu/"+l != b {
			t.Errorf("%s ran at level %q", b, l)
		}
	}
	if len(have) > 1 {
		_, order := levelRows(t, "cpu/all", "--cpu-disable", have[len(have)-1])
		if !slices.Equal(order, want[1:]) {
			t.Errorf("cpu/all with %s disabled ran %v, want %v", have[len(have)-1], order, want[1:])
		}
	}
	out, _, code := gpubench(t, []string{"GPUBENCH_GL=none"}, "list")
	if code != 0 || !strings.Contains(out, "cpu/all") || !strings.Contains(out, strings.Join(want, ", ")) {
		t.Errorf("list does not show cpu/all as %v:\n%s", want, out)
	}
}
