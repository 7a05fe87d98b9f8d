package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/hwinfo"
)

// TestImpossibleClock: a pinned clock of 1e308 or 1e6 GHz in clock.json
// (this machine's own entry, as an edit or a damaged disk leaves it) is
// named in a note on stderr and set aside as clock.json.bad; run writes
// its results with a peak from this run's clock, and info shows a clock
// within hwinfo's bounds, never +Inf.
func TestImpossibleClock(t *testing.T) {
	t.Parallel()
	for _, ghz := range []float64{1e308, 1e6} {
		cache := t.TempDir()
		env := append([]string{"XDG_CACHE_HOME=" + cache}, noGL...)
		if _, stderr, code := gpubench(t, env, "info", "--format", "json"); code != exitOK {
			t.Fatalf("info: exit %d, %s", code, stderr)
		}
		clock := filepath.Join(cache, "gpubench", "clock.json")
		var all map[string]map[string]any
		if err := json.Unmarshal([]byte(readFile(t, clock)), &all); err != nil || len(all) != 1 {
			t.Fatalf("clock.json: %v, %v", all, err)
		}
		for _, e := range all {
			e["ghz"] = ghz
		}
		b, _ := json.Marshal(all)
		if err := os.WriteFile(clock, b, 0o644); err != nil {
			t.Fatal(err)
		}

		out := filepath.Join(t.TempDir(), "r.json")
		_, stderr, code := gpubench(t, env, append(quickRun, "--out", out)...)
		if code != exitOK {
			t.Fatalf("%g GHz: run: exit %d, %s", ghz, code, stderr)
		}
		if !strings.Contains(stderr, clock) || !strings.Contains(stderr, "clock.json.bad") {
			t.Errorf("%g GHz: stderr does not name the file and where it went: %s", ghz, stderr)
		}
		if bad, err := os.ReadFile(clock + ".bad"); err != nil || string(bad) != string(b) {
			t.Errorf("%g GHz: clock.json.bad: %q, %v; want the file as it was", ghz, bad, err)
		}
		var rep struct {
			Probe struct {
				Peak hwinfo.Peak `json:"peak"`
			} `json:"probe"`
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal([]byte(readFile(t, out)), &rep); err != nil || len(rep.Results) != 2 {
			t.Fatalf("%g GHz: the results file: %v, %d results", ghz, err, len(rep.Results))
		}
		if c := rep.Probe.Peak.ClockGHz; c < hwinfo.MinClockGHz || c > hwinfo.MaxClockGHz {
			t.Errorf("%g GHz: the run's peak clock %g GHz", ghz, c)
		}
		stdout, stderr, code := gpubench(t, env, "info")
		if code != exitOK || strings.Contains(stdout, "Inf") || strings.Contains(stderr, "clock.json") {
			t.Errorf("%g GHz: info after: exit %d, stdout %s, stderr %s", ghz, code, stdout, stderr)
		}
	}
}
