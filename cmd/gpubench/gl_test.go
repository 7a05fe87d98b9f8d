//go:build cgo

package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// glAvailable skips the test where this machine has no OpenGL 4.3
// context at all (unless GPUBENCH_REQUIRE_GL=1): the faults below are
// made on a driver that works.
func glAvailable(t *testing.T) {
	t.Helper()
	for _, b := range listJSON(t, nil).Backends {
		if b.Name == "gl" && !b.Available {
			if os.Getenv("GPUBENCH_REQUIRE_GL") == "1" {
				t.Fatalf("gl unavailable (GPUBENCH_REQUIRE_GL=1): %s", b.Reason)
			}
			t.Skipf("gl unavailable here: %s", b.Reason)
		}
	}
}

// glIsMesa reports whether the gl backend runs on Mesa, the one driver
// that honours MESA_GL_VERSION_OVERRIDE.
func glIsMesa(t *testing.T) bool {
	t.Helper()
	out, _, code := gpubench(t, nil, "info", "--json")
	var info struct {
		Devices []struct {
			Backend string
			GPU     *struct {
				GLVersion string `json:"gl_version"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil || code != exitOK {
		t.Fatalf("info --json: exit %d, %v", code, err)
	}
	for _, d := range info.Devices {
		if d.Backend == "gl" && d.GPU != nil {
			return strings.Contains(d.GPU.GLVersion, "Mesa")
		}
	}
	t.Fatal("info --json lists no gl device")
	return false
}

// tooOld makes Mesa offer OpenGL 4.1, below compute shaders' 4.3.
var tooOld = []string{"MESA_GL_VERSION_OVERRIDE=4.1", "MESA_GLSL_VERSION_OVERRIDE=410"}

// TestGLDriverTooOld: gl asked for by name on a 4.1 driver exits 3 and
// says which version it needs; auto runs on the CPU and says why.
func TestGLDriverTooOld(t *testing.T) {
	glAvailable(t)
	_, stderr, code := gpubench(t, tooOld, "run", "--backend", "gl", "--kernel", "copy", "--size", "1000")
	if code == 0 && !strings.Contains(stderr, "needs OpenGL") && !glIsMesa(t) {
		t.Skip("the driver ignores MESA_GL_VERSION_OVERRIDE (not Mesa)")
	}
	if code != exitUnavailable || !strings.Contains(stderr, "needs OpenGL 4.3") || !strings.Contains(stderr, "4.1") {
		t.Errorf("--backend gl on OpenGL 4.1: exit %d, stderr %q; want exit 3 naming \"needs OpenGL 4.3\" and 4.1", code, stderr)
	}
	stdout, stderr, code := gpubench(t, tooOld, "run", "--backend", "auto", "--kernel", "copy", "--size", "1000", "--reps", "1")
	if code != exitOK || !strings.Contains(stdout, "auto chose cpu") || !strings.Contains(stdout, "needs OpenGL 4.3") {
		t.Errorf("--backend auto on OpenGL 4.1: exit %d; want 0, running on cpu and saying gl needs 4.3\nstdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
}

// TestGLFWWithoutDisplay: GPUBENCH_GL=glfw with no display exits 3 with
// a message that names the missing display, and no stack trace (gpubench
// checks that).
func TestGLFWWithoutDisplay(t *testing.T) {
	_, stderr, code := gpubench(t, []string{"GPUBENCH_GL=glfw", "DISPLAY=", "WAYLAND_DISPLAY="},
		"run", "--backend", "gl", "--kernel", "copy", "--size", "1000")
	if code != exitUnavailable || !strings.Contains(stderr, "DISPLAY") || !strings.Contains(stderr, "glfw") {
		t.Errorf("GPUBENCH_GL=glfw without a display: exit %d, stderr %q; want exit 3 naming glfw and DISPLAY", code, stderr)
	}
}
