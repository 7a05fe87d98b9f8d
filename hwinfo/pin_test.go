package hwinfo

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// usePinFile points pinClock at path until the test ends.
func usePinFile(t *testing.T, path string) {
	saved := pinnedClockFile
	t.Cleanup(func() { pinnedClockFile = saved })
	pinnedClockFile = func() (string, error) { return path, nil }
}

func TestPinClock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gpubench", "clock.json")
	usePinFile(t, path)
	zen, xeon := fromCPUID(zen4()), fromCPUID(sapphireRapids())
	for i, step := range []struct {
		cpu    *CPU
		hz     float64
		want   float64
		method string // a part of the method's description
	}{
		{&zen, 3.3e9, 3.3e9, "(this run)"},          // the first: pinned
		{&zen, 3.1e9, 3.3e9, "(this run 3.10 GHz)"}, // lower: the pinned one
		{&zen, 3.5e9, 3.5e9, "(this run)"},          // higher: raises it
		{&zen, 3.4e9, 3.5e9, "(this run 3.40 GHz)"}, // and stays
		{&xeon, 2.0e9, 2.0e9, "(this run)"},         // another CPU: its own
		{&zen, 0, 0, "m"},                           // unknown: left alone
		{&zen, 3.45e9, 3.5e9, "since "},             // the first CPU kept its own
	} {
		got, method := pinClock(step.cpu, step.hz, "m")
		if got != step.want || !strings.HasPrefix(method, "m") || !strings.Contains(method, step.method) {
			t.Errorf("step %d: pinClock(%.2g) = %.3g, %q; want %.3g, %q", i, step.hz, got, method, step.want, step.method)
		}
	}
	var all map[string]pinned
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &all) != nil || len(all) != 2 || all[machineKey(&zen)].GHz != 3.5 {
		t.Errorf("clock.json = %s (%v), want two machines, the first at 3.5 GHz", b, err)
	}

	// A damaged file starts afresh.
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := pinClock(&zen, 3.2e9, "m"); got != 3.2e9 {
		t.Errorf("after a damaged file: %.3g, want this run's 3.2e9", got)
	}
	all = nil
	if b, _ := os.ReadFile(path); json.Unmarshal(b, &all) != nil || len(all) != 1 {
		t.Errorf("damaged clock.json not rewritten: %s", b)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".clock-*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// TestPinClockUnusable: where clock.json cannot be had, each run's own
// measurement stands, described as it was.
func TestPinClockUnusable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	zen := fromCPUID(zen4())
	for _, path := range []string{filepath.Join(file, "clock.json"), filepath.Dir(file)} {
		usePinFile(t, path)
		if got, method := pinClock(&zen, 3.3e9, "m"); got != 3.3e9 || method != "m" {
			t.Errorf("clock file %s: %.3g, %q; want 3.3e9, \"m\"", path, got, method)
		}
	}
	saved := pinnedClockFile
	defer func() { pinnedClockFile = saved }()
	pinnedClockFile = func() (string, error) { return "", errors.New("no cache folder") }
	if got, method := pinClock(&zen, 3.3e9, "m"); got != 3.3e9 || method != "m" {
		t.Errorf("no cache folder: %.3g, %q", got, method)
	}
}
