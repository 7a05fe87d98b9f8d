package main

import (
	"encoding/json"
	"image"
	_ "image/png"
	"os"
	"strings"
	"testing"
)

// TestTransfer: the cpu backend's copies over a short sweep, as a table
// that says they are copies within host memory, as JSON with a summary,
// and in the benchmark format, each size up and down and the latency.
func TestTransfer(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := gpubench(t, noGL, "transfer", "--backend", "cpu", "--max-size", "64Ki", "--reps", "2")
	if code != 0 {
		t.Fatalf("transfer: exit %d %s", code, stderr)
	}
	for _, want := range []string{"SIZE", "cpu UP", "cpu DOWN", "4.0 KiB", "64.0 KiB", "memcpy", "dispatch latency", "half of it from"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("transfer table lacks %q:\n%s", want, stdout)
		}
	}
	stdout, _, code = gpubench(t, noGL, "transfer", "--backend", "cpu", "--max-size", "16Ki", "--reps", "2", "--format", "benchfmt")
	for _, want := range []string{"BenchmarkUpload/backend=cpu/n=1024/dtype=float32-", "BenchmarkDownload/backend=cpu/n=4096/dtype=float32-",
		"BenchmarkLatency/backend=cpu/n=1/dtype=float32-", "GB/s", "cpu: "} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("transfer --format benchfmt: exit %d, lacks %q:\n%s", code, want, stdout)
		}
	}
	stdout, _, code = gpubench(t, noGL, "transfer", "--backend", "cpu", "--max-size", "16Ki", "--reps", "2", "--format", "json")
	var rep struct {
		Transfers []struct {
			HostMemory bool    `json:"host_memory"`
			Latency    float64 `json:"latency_ns"`
			Download   struct {
				Peak float64 `json:"peak_gbps"`
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 0 || len(rep.Transfers) != 1 {
		t.Fatalf("transfer --format json: exit %d, %v\n%s", code, err, stdout)
	}
	if tr := rep.Transfers[0]; !tr.HostMemory || tr.Latency <= 0 || tr.Download.Peak <= 0 {
		t.Errorf("transfer %+v", tr)
	}
	stdout, stderr, code = gpubench(t, noGL, "info", "--measure")
	if code != 0 || !strings.Contains(stdout, "Transfers  cpu: upload") || !strings.Contains(stdout, "dispatch latency") ||
		!strings.Contains(stdout, "Latency    L1 ") || !strings.Contains(stdout, "random loads, one thread") {
		t.Errorf("info --measure: exit %d %s\n%s", code, stderr, stdout)
	}
}

// TestVersion: --version gives the module's version and the Go it was
// built with, and every JSON report carries the same.
func TestVersion(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := gpubench(t, noGL, "--version")
	if code != 0 || !strings.HasPrefix(stdout, "gpubench ") || !strings.Contains(stdout, "go1.") {
		t.Fatalf("--version: exit %d %q %s", code, stdout, stderr)
	}
	out, _, code := gpubench(t, noGL, "info", "--json")
	var m struct {
		Build struct {
			Version   string `json:"version"`
			GoVersion string `json:"go_version"`
		}
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 || m.Build.Version == "" || !strings.Contains(stdout, m.Build.Version) {
		t.Errorf("info --json build %+v (%v); --version said %q", m.Build, err, stdout)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkPNGWidth fails unless path is a PNG of width pixels across.
func checkPNGWidth(t *testing.T, path string, width int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, format, err := image.Decode(f)
	if err != nil || format != "png" || img.Bounds().Dx() != width {
		t.Errorf("%s: %v, format %q, want a PNG %d wide", path, err, format, width)
	}
}
