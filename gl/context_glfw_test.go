//go:build cgo && glfw

package gl

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// TestGLFW opens the backend through GLFW's hidden window, as
// GPUBENCH_GL=glfw does, checks that the context really is GLFW's and
// runs the shared suite on it. It needs an X display (make test-glfw
// runs it under xvfb-run); without one it skips, unless GPUBENCH_GL=glfw
// and EnvRequire=1 ask for it.
func TestGLFW(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv(EnvContext) == kindGLFW && os.Getenv(EnvRequire) == "1" {
			t.Fatalf("%s=glfw and %s=1, but DISPLAY is unset", EnvContext, EnvRequire)
		}
		t.Skip("no DISPLAY: run under xvfb-run -a (make test-glfw)")
	}
	b := openWith(t, contextOptions{force: kindGLFW, device: -1})
	if b.dev.Level != kindGLFW || b.gpu.Context != kindGLFW || !strings.Contains(b.ctx.describe(), "GLFW") {
		t.Fatalf("GLFW asked for, got level %q, context %q (%s)", b.dev.Level, b.gpu.Context, b.ctx.describe())
	}
	t.Logf("%s via %s: OpenGL %s; %v", b.dev.Name, b.ctx.describe(), b.gpu.GLVersion, b.dev.Notes)
	computetest.Run(t, b)
}

// openGLFW opens gl as GPUBENCH_GL=glfw does, with the environment the
// caller set, and returns the error it must give.
func openGLFW(t *testing.T) error {
	t.Helper()
	t.Setenv(EnvContext, kindGLFW)
	o, err := optionsFromEnv(-1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := open(o)
	if err == nil {
		b.Close()
		t.Fatalf("open through GLFW succeeded with DISPLAY=%q", os.Getenv("DISPLAY"))
	}
	if !errors.Is(err, compute.ErrUnavailable) || strings.Contains(err.Error(), "panic") {
		t.Fatalf("GLFW with DISPLAY=%q: %v; want compute.ErrUnavailable, no panic", os.Getenv("DISPLAY"), err)
	}
	t.Log(err)
	return err
}

// TestGLFWNoDisplay: GPUBENCH_GL=glfw with DISPLAY unset is unavailable,
// says that DISPLAY is unset and what to do, and does not reach GLFW
// (whose calls panic there). WAYLAND_DISPLAY is no help to GLFW built
// for X11.
func TestGLFWNoDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	err := openGLFW(t)
	for _, want := range []string{"DISPLAY is unset", "xvfb-run"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("GLFW with DISPLAY unset: %v; want it to say %q", err, want)
		}
	}
}

// TestGLFWDisplayWithoutServer: GPUBENCH_GL=glfw with DISPLAY naming a
// display no X server answers on names that display and what to do; it
// used to say only "GLFW panicked: NotInitialized".
func TestGLFWDisplayWithoutServer(t *testing.T) {
	display := freeDisplay(t)
	t.Setenv("DISPLAY", display)
	err := openGLFW(t)
	for _, want := range []string{"DISPLAY=" + display, "xvfb-run"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("GLFW with DISPLAY=%s and no server: %v; want it to say %q", display, err, want)
		}
	}
}

// freeDisplay is an X display name (":97" and up) with no server: no
// socket file in /tmp/.X11-unix and no abstract socket of that name.
func freeDisplay(t *testing.T) string {
	t.Helper()
	unix, err := os.ReadFile("/proc/net/unix")
	if err != nil {
		t.Skipf("cannot list the Unix sockets to find a free X display: %v", err)
	}
	for n := 97; n < 200; n++ {
		sock := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
		if _, err := os.Lstat(sock); err == nil || strings.Contains(string(unix), "@"+sock) {
			continue
		}
		return fmt.Sprintf(":%d", n)
	}
	t.Skip("every X display from :97 to :199 has a socket")
	return ""
}
