//go:build cgo

package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// glBuilt says whether the gl backend is built in: with cgo, yes.
const glBuilt = true

// glCatalogue holds the error catalogue's rows that need the gl backend
// built in: the driver's faults in the probe's child (envTestGLProbe, in
// the test binary as gpubench), with gl named; the other backends' side
// is TestGLDriverFaultIsolated.
var glCatalogue = []faultRow{
	{row{"gl driver crashes while opening", []string{"run", "--backend", "gl", "--kernel", "dot", "--size", "8"}, 3,
		`backend gl: backend unavailable: the driver crashed while opening (SIGSEGV)`}, []string{envTestGLProbe + "=segv"}, "", true},
	{row{"gl driver hangs while opening", []string{"run", "--backend", "gl", "--kernel", "dot", "--size", "8"}, 3,
		`backend gl: backend unavailable: the driver did not answer in 1s (GPUBENCH_GL_PROBE_TIMEOUT sets the limit)`},
		[]string{envTestGLProbe + "=hang", "GPUBENCH_GL_PROBE_TIMEOUT=1s"}, "", true},
	{row{"a probe timeout that is not a duration", []string{"run", "--backend", "gl", "--kernel", "dot", "--size", "8"}, 2,
		`GPUBENCH_GL_PROBE_TIMEOUT="soon": give a positive duration such as 30s`}, []string{"GPUBENCH_GL_PROBE_TIMEOUT=soon"}, "", false},
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
	t.Parallel()
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

// TestGLFWNotBuilt: GPUBENCH_GL=glfw in the binary as go build makes it
// (no glfw tag: GLFW is opt-in) exits 3 saying how to rebuild, and no
// stack trace (gpubench checks that). GLFW's own errors, a display with
// no server or none, are gl's context_glfw_test.go (make test-glfw).
func TestGLFWNotBuilt(t *testing.T) {
	t.Parallel()
	_, stderr, code := gpubench(t, []string{"GPUBENCH_GL=glfw", "DISPLAY=", "WAYLAND_DISPLAY="},
		"run", "--backend", "gl", "--kernel", "copy", "--size", "1000")
	if code != exitUnavailable || !strings.Contains(stderr, "tried glfw") || !strings.Contains(stderr, "rebuild with -tags glfw") {
		t.Errorf("GPUBENCH_GL=glfw without GLFW built: exit %d, stderr %q; want exit 3 saying to rebuild with -tags glfw", code, stderr)
	}
}

// TestGLDriverFaultIsolated: a driver that crashes (a call through a
// null pointer in C, as a half-installed Mesa made inside glGetString)
// or hangs while GL opens costs the gl backend alone: gl asked for by
// name exits 3 and says what happened, and cpu, auto, all, info and
// list go on. The fault is made in the probe's child (envTestGLProbe,
// in the test binary as gpubench), where gpubench opens GL first.
func TestGLDriverFaultIsolated(t *testing.T) {
	for _, c := range []struct {
		fault, want string
	}{
		{"segv", "the driver crashed while opening (SIGSEGV)"},
		{"hang", "the driver did not answer in 1s"},
	} {
		t.Run(c.fault, func(t *testing.T) {
			env := []string{envTestGLProbe + "=" + c.fault, "GPUBENCH_GL_PROBE_TIMEOUT=1s"}
			_, stderr, code := gpubenchSelf(t, env, "run", "--backend", "gl", "--kernel", "dot", "--size", "8")
			if code != exitUnavailable || !strings.Contains(stderr, c.want) {
				t.Errorf("--backend gl: exit %d, stderr %q; want 3 saying %q", code, stderr, c.want)
			}
			for _, args := range [][]string{
				{"run", "--backend", "cpu", "--kernel", "dot", "--size", "8", "--reps", "1"},
				{"run", "--backend", "auto", "--kernel", "dot", "--size", "8", "--reps", "1"},
				{"run", "--backend", "all", "--kernel", "dot", "--size", "8", "--reps", "1"},
				{"info"},
				{"list"},
			} {
				stdout, stderr, code := gpubenchSelf(t, env, args...)
				if code != exitOK {
					t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
				}
				if args[0] != "run" || args[2] == "auto" {
					if !strings.Contains(stdout, c.want) {
						t.Errorf("%v does not say why gl is unavailable (%q):\n%s", args, c.want, stdout)
					}
				}
			}
			// all leaves gl out with one note on stderr, --quiet too (as
			// auto's note is in its table whatever --quiet says).
			for _, quiet := range [][]string{nil, {"-q"}} {
				args := append([]string{"run", "--backend", "all", "--kernel", "dot", "--size", "8", "--reps", "1"}, quiet...)
				_, stderr, code := gpubenchSelf(t, env, args...)
				want := "gpubench: note: --backend all left out gl: backend unavailable: " + c.want
				if code != exitOK || strings.Count(stderr, "left out") != 1 || !strings.Contains(stderr, want) {
					t.Errorf("%v: exit %d, stderr %q; want 0 and one note %q", args, code, stderr, want)
				}
			}
		})
	}
}

// TestGLBogusDriver: Mesa told to load a driver that does not exist
// (GALLIUM_DRIVER=bogus) makes no screen; gl is unavailable and says
// what was tried, and the cpu backend runs. This took every command down
// with a SIGSEGV inside glGetString before.
func TestGLBogusDriver(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	if !glIsMesa(t) {
		t.Skip("not Mesa: GALLIUM_DRIVER does not apply")
	}
	env := []string{"GALLIUM_DRIVER=bogus", "GPUBENCH_GL=egl-surfaceless"}
	_, stderr, code := gpubench(t, env, "run", "--backend", "gl", "--kernel", "dot", "--size", "8")
	if code != exitUnavailable || !strings.Contains(stderr, "backend gl") || !strings.Contains(stderr, "tried egl-surfaceless") {
		t.Errorf("--backend gl with GALLIUM_DRIVER=bogus: exit %d, stderr %q; want 3 naming what was tried", code, stderr)
	}
	if _, stderr, code := gpubench(t, env, "run", "--backend", "cpu", "--kernel", "dot", "--size", "8", "--reps", "1"); code != exitOK {
		t.Errorf("--backend cpu with GALLIUM_DRIVER=bogus: exit %d, stderr %q", code, stderr)
	}
}

// TestListDevices: list --devices lists the EGL devices that --device
// picks among, each with its index, name and driver, and --device
// beyond them, or below -1, is a usage error that says what there is.
func TestListDevices(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	stdout, stderr, code := gpubench(t, nil, "list", "--devices", "--json")
	var ds []struct {
		Index        int
		Name, Driver string
	}
	if code != exitOK || json.Unmarshal([]byte(stdout), &ds) != nil {
		t.Fatalf("list --devices --json: exit %d, stderr %q:\n%s", code, stderr, stdout)
	}
	for i, d := range ds {
		if d.Index != i || d.Name == "" || d.Driver == "" {
			t.Errorf("device %d listed as %+v", i, d)
		}
	}
	table, _, code := gpubench(t, nil, "list", "--devices")
	if code != exitOK || !strings.Contains(table, "DRIVER") {
		t.Errorf("list --devices: exit %d:\n%s", code, table)
	}
	for _, d := range ds {
		if !strings.Contains(table, d.Name) {
			t.Errorf("list --devices lacks %q:\n%s", d.Name, table)
		}
	}
	beyond := strconv.Itoa(len(ds))
	_, stderr, code = gpubench(t, nil, "run", "--backend", "gl", "--kernel", "dot", "--size", "8", "--device", beyond)
	if code != exitUsage || !strings.Contains(stderr, "--device "+beyond+": gl has "+strconv.Itoa(len(ds))+" device(s)") {
		t.Errorf("--device %s: exit %d, stderr %q; want 2 saying how many devices gl has", beyond, code, stderr)
	}
	if len(ds) > 0 {
		if _, stderr, code := gpubench(t, nil, "run", "--backend", "gl", "--kernel", "dot", "--size", "8", "--reps", "1", "--device", "0"); code != exitOK {
			t.Errorf("--device 0: exit %d, stderr %q", code, stderr)
		}
	}
}
