//go:build cgo && linux

package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/results"
)

// TestGLDriverCrashWhileClosing: a driver that crashes as gl closes,
// after every gl case finished (testdata/glclosefault.c, built here and
// preloaded: a SIGSEGV in glDeleteProgram), costs no case: every case's
// result is kept, verified, and the run says the driver crashed while
// closing, not that gl's other cases were not run; a device lost, exit 4.
func TestGLDriverCrashWhileClosing(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	lib := preloadLib(t, "glclosefault.c")
	out := filepath.Join(t.TempDir(), "r.json")
	_, stderr, code := gpubench(t, []string{"LD_PRELOAD=" + lib}, "run", "--backend", "cpu,gl", "--kernel", "saxpy,dot", "--size", "1Ki",
		"--warmup", "1", "--min-warmup-time", "0", "--reps", "1", "--min-rep-time", "0", "--out", out, "-q")
	want := "the gl driver crashed (SIGSEGV) while closing, after its cases finished"
	if code != exitIO || !strings.Contains(stderr, want) || strings.Contains(stderr, "other cases were not run") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit %d saying %q", code, stderr, exitIO, want)
	}
	var rep results.Report
	if err := json.Unmarshal([]byte(readFile(t, out)), &rep); err != nil {
		t.Fatalf("--out: %v", err)
	}
	if len(rep.Results) != 4 {
		t.Errorf("--out holds %d results, want saxpy and dot on cpu and gl", len(rep.Results))
	}
	for _, r := range rep.Results {
		if !r.Verified || r.Err != "" {
			t.Errorf("%s on %s: verified %v, error %q; want its result", r.Kernel, r.Backend, r.Verified, r.Err)
		}
	}
}
