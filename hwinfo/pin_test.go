package hwinfo

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestPin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gpubench", "clock.json")
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
		{&zen, 3.5e9, 3.5e9, "(this run)"},          // the pinned clock again: this run's
		{&xeon, 2.0e9, 2.0e9, "(this run)"},         // another CPU: its own
		{&zen, 3.45e9, 3.5e9, "since "},             // the first CPU kept its own
	} {
		got, method, _, err := pin(path, machineKey(step.cpu), step.hz, "m")
		if err != nil || got != step.want || !strings.HasPrefix(method, "m") || !strings.Contains(method, step.method) {
			t.Errorf("step %d: pin(%.2g) = %.3g, %q, %v; want %.3g, %q", i, step.hz, got, method, err, step.want, step.method)
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
	if got, _, note, err := pin(path, machineKey(&zen), 3.2e9, "m"); got != 3.2e9 || err != nil || !strings.Contains(note, path) {
		t.Errorf("after a damaged file: %.3g, %q, %v; want this run's 3.2e9 and a note naming the file", got, note, err)
	}
	all = nil
	if b, _ := os.ReadFile(path); json.Unmarshal(b, &all) != nil || len(all) != 1 {
		t.Errorf("damaged clock.json not rewritten: %s", b)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".clock-*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// TestPinUnusable: where the file cannot be had, each run's own
// measurement stands, described as it was, and the error says why.
func TestPinUnusable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	zen := fromCPUID(zen4())
	for _, path := range []string{filepath.Join(file, "clock.json"), filepath.Dir(file), ""} {
		if got, method, _, err := pin(path, machineKey(&zen), 3.3e9, "m"); got != 3.3e9 || method != "m" || err == nil {
			t.Errorf("clock file %q: %.3g, %q, %v; want 3.3e9, \"m\" and an error", path, got, method, err)
		}
	}
}

// TestPinClock: PinClock gives a probed machine the peak of the pinned
// clock, writes it where this run's is the highest, keeps this run's
// own measurement, and pins the same way twice; a machine read back from
// JSON, or a file it cannot use, leaves the peak as Probe made it.
func TestPinClock(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("replays an amd64 CPU")
	}
	path := filepath.Join(t.TempDir(), "gpubench", "clock.json")
	replay(t, zen4(), 3.6e9, sampleMeminfo)
	fast := probe()
	if _, err := PinClock(path, fast); err != nil || fast.Peak.ClockGHz != 3.6 || !strings.Contains(fast.Peak.ClockMethod, "pinned") {
		t.Fatalf("first PinClock: %v, peak %+v", err, fast.Peak)
	}
	replay(t, zen4(), 3.3e9, sampleMeminfo)
	slow := probe()
	unpinned := slow.Peak
	if _, err := PinClock(path, slow); err != nil {
		t.Fatal(err)
	}
	p := slow.Peak
	if p.ClockGHz != 3.6 || p.ClockRunGHz != 3.3 || !near(p.GFLOPS32, fast.Peak.GFLOPS32) ||
		!strings.HasPrefix(p.ClockMethod, "replayed; pinned") || !strings.Contains(p.ClockMethod, "(this run 3.30 GHz)") {
		t.Errorf("slower run pinned: %+v, want the first run's 3.6 GHz and its peak %v", p, fast.Peak.GFLOPS32)
	}
	if _, err := PinClock(path, slow); err != nil || !reflect.DeepEqual(slow.Peak, p) {
		t.Errorf("pinned twice: %+v, %v; once: %+v", slow.Peak, err, p)
	}

	var back Info
	b, _ := json.Marshal(probe())
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if _, err := PinClock(path, &back); err != nil || back.Peak != unpinned {
		t.Errorf("PinClock of an Info read from JSON: %v, peak %+v; want it left as %+v", err, back.Peak, unpinned)
	}
	other := probe()
	if _, err := PinClock("", other); !errors.Is(err, errNoPinFile) || other.Peak != unpinned {
		t.Errorf("PinClock without a file: %v, peak %+v; want errNoPinFile and %+v", err, other.Peak, unpinned)
	}
}

// TestProbeWritesNothing: probing reads the machine and writes no file,
// in the user's cache folder or anywhere under home.
func TestProbeWritesNothing(t *testing.T) {
	cache, home := t.TempDir(), t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", home)
	if info := probe(); info.Peak.ClockRunGHz <= 0 {
		t.Errorf("probe measured no clock: %+v", info.Peak)
	}
	for _, dir := range []string{cache, home} {
		if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
			t.Errorf("probe wrote into %s: %v %v", dir, entries, err)
		}
	}
}

// TestPinBadFile: a pinned clock's file that holds a clock no CPU runs
// at (1e308 or 1e6 GHz, 0, negative), or is not one PinClock wrote
// (truncated, null, an array, a number where a clock goes, a clock past
// float64), is set aside as clock.json.bad with its bytes as they were,
// the note names it, and this run's clock is pinned in a new file. An
// existing .bad is replaced.
func TestPinBadFile(t *testing.T) {
	zen := fromCPUID(zen4())
	key := machineKey(&zen)
	for _, body := range []string{
		`{"` + key + `": {"ghz": 1e308, "since": "2026-12-01T00:00:00Z"}}`,
		`{"` + key + `": {"ghz": 1e6, "since": "2026-12-01T00:00:00Z"}}`,
		`{"other|host": {"ghz": 0, "since": "2026-12-01T00:00:00Z"}}`,
		`{"` + key + `": {"ghz": -3.5}}`,
		`{"` + key + `": {"ghz": 0.1}}`,
		`{"` + key + `": {"ghz": 1e999}}`,
		`{"` + key + `": {"ghz": "fast"}}`,
		`{"` + key + `": {"ghz": 3.`,
		`null`, `[]`, ``,
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "clock.json")
		if err := os.WriteFile(path+".bad", []byte("older"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		got, method, note, err := pin(path, key, 3.3e9, "m")
		if err != nil || got != 3.3e9 || !strings.Contains(method, "(this run)") {
			t.Errorf("%s: %.4g, %q, %v; want this run's 3.3 GHz pinned", body, got, method, err)
		}
		if !strings.Contains(note, path) || !strings.Contains(note, "clock.json.bad") || strings.Contains(note, "\n") {
			t.Errorf("%s: note %q, want one line naming %s and clock.json.bad", body, note, path)
		}
		if b, err := os.ReadFile(path + ".bad"); err != nil || string(b) != body {
			t.Errorf("%s: clock.json.bad holds %q (%v), want the file as it was", body, b, err)
		}
		all, why, err := readPinned(path)
		if err != nil || why != "" || all[key].GHz != 3.3 {
			t.Errorf("%s: the new file: %v, %q, %v; want this run's 3.3 GHz", body, all, why, err)
		}
	}
}

// TestProbeImplausibleClock: a measured clock outside MinClockGHz and
// MaxClockGHz (a broken timer) leaves the peak unknown, with a note,
// and is never pinned.
func TestProbeImplausibleClock(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("replays an amd64 CPU")
	}
	for _, hz := range []float64{1e6 * 1e9, 0.05e9} {
		replay(t, zen4(), hz, sampleMeminfo)
		info := probe()
		if info.Peak.GFLOPS32 != 0 || !strings.Contains(info.Peak.Basis, "clock unknown") || len(info.CPU.Notes) == 0 ||
			!strings.Contains(info.CPU.Notes[len(info.CPU.Notes)-1], "outside") {
			t.Errorf("clock %.4g Hz: peak %+v, notes %q; want an unknown peak and a note", hz, info.Peak, info.CPU.Notes)
		}
		path := filepath.Join(t.TempDir(), "clock.json")
		if _, err := PinClock(path, info); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("clock %.4g Hz was pinned: %v", hz, err)
		}
	}
}

// TestPinBadFileSaysItsClock: a clock just past a bound is named as it
// is in the file, not rounded onto the bound ("a clock of 10 GHz,
// outside the 0.2–10 GHz").
func TestPinBadFileSaysItsClock(t *testing.T) {
	zen := fromCPUID(zen4())
	key := machineKey(&zen)
	path := filepath.Join(t.TempDir(), "clock.json")
	if err := os.WriteFile(path, []byte(`{"`+key+`": {"ghz": 10.0001}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, note, _ := pin(path, key, 3.3e9, "m"); !strings.Contains(note, "a clock of 10.0001 GHz") {
		t.Errorf("note %q, want it to name 10.0001 GHz", note)
	}
}

// TestPinTooFast: a pinned clock more than maxPinRatio times this run's
// measurement (9.99 GHz pinned on a machine that measures 3.69 GHz:
// inside the 0.2–10 GHz bounds, but no CPU runs half as fast again as
// its spin loop shows) is set aside as clock.json.bad with a note, and
// this run's clock pinned; the other machines' clocks are kept. A pinned
// clock up to maxPinRatio times this run's, or below it, stands as before.
func TestPinTooFast(t *testing.T) {
	zen := fromCPUID(zen4())
	key := machineKey(&zen)
	body := `{"` + key + `": {"ghz": 9.99, "since": "2026-12-01T00:00:00Z"}, "other|host": {"ghz": 4.2, "since": "2026-12-01T00:00:00Z"}}`
	path := filepath.Join(t.TempDir(), "clock.json")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	got, method, note, err := pin(path, key, 3.69e9, "m")
	if err != nil || got != 3.69e9 || !strings.Contains(method, "(this run)") {
		t.Errorf("9.99 GHz pinned, 3.69 measured: %.4g, %q, %v; want this run's 3.69 GHz", got, method, err)
	}
	if !strings.Contains(note, path) || !strings.Contains(note, "clock.json.bad") || !strings.Contains(note, "9.99 GHz") ||
		!strings.Contains(note, "3.69 GHz") || strings.Contains(note, "\n") {
		t.Errorf("note %q, want one line naming %s, clock.json.bad, 9.99 and 3.69 GHz", note, path)
	}
	if b, err := os.ReadFile(path + ".bad"); err != nil || string(b) != body {
		t.Errorf("clock.json.bad holds %q (%v), want the file as it was", b, err)
	}
	all, why, err := readPinned(path)
	if err != nil || why != "" || all[key].GHz != 3.69 || all["other|host"].GHz != 4.2 {
		t.Errorf("the new file: %v, %q, %v; want this run's 3.69 GHz and the other machine's 4.2", all, why, err)
	}

	// At the bound, and below this run's clock, the pin stands.
	for _, pinnedGHz := range []float64{3.69 * maxPinRatio, 3.0} {
		path := filepath.Join(t.TempDir(), "clock.json")
		b, _ := json.Marshal(map[string]pinned{key: {GHz: pinnedGHz}})
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		want := max(pinnedGHz*1e9, 3.69e9)
		if got, _, note, err := pin(path, key, 3.69e9, "m"); got != want || note != "" || err != nil {
			t.Errorf("%.4g GHz pinned, 3.69 measured: %.4g, %q, %v; want %.4g and no note", pinnedGHz, got, note, err, want)
		}
		if _, err := os.Stat(path + ".bad"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%.4g GHz pinned, 3.69 measured: set aside (%v)", pinnedGHz, err)
		}
	}
}
