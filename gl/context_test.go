//go:build cgo

package gl

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// envChild names the helper a re-executed test binary runs (see
// TestDriverTooOld); Mesa reads its override variables once, when the
// first context is made, so they need a process of their own.
const envChild = "GPUBENCH_GL_TEST_CHILD"

// TestDriverTooOld makes Mesa offer OpenGL 4.1 (MESA_GL_VERSION_OVERRIDE)
// in a child process: open must fail with compute.ErrUnavailable and
// name the version needed and the one offered.
func TestDriverTooOld(t *testing.T) {
	if os.Getenv(envChild) == "too-old" {
		b, err := open(envOptions(t))
		if err == nil {
			defer b.Close()
			if !strings.Contains(b.gpu.GLVersion, "Mesa") {
				t.Skipf("%s is not Mesa: MESA_GL_VERSION_OVERRIDE does not apply", b.dev.Name)
			}
			t.Fatalf("open succeeded with MESA_GL_VERSION_OVERRIDE=4.1: OpenGL %s", b.gpu.GLVersion)
		}
		const want = "needs OpenGL 4.3 for compute shaders, driver offers 4.1"
		if !errors.Is(err, compute.ErrUnavailable) || !strings.Contains(err.Error(), want) {
			t.Fatalf("open with OpenGL 4.1: %v; want compute.ErrUnavailable saying %q", err, want)
		}
		t.Logf("open with OpenGL 4.1: %v", err)
		return
	}
	openOrSkip(t) // skips (or fails) as every test does where there is no GL at all
	out := runChild(t, "^TestDriverTooOld$", envChild+"=too-old", "MESA_GL_VERSION_OVERRIDE=4.1", "MESA_GLSL_VERSION_OVERRIDE=410")
	t.Logf("child:\n%s", out)
}

// runChild runs the tests matching pattern in a child process of this
// test binary with env added, and returns its output. The test fails
// where the child fails, and skips where it skipped.
func runChild(t *testing.T, pattern string, env ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run="+pattern, "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	switch {
	case strings.Contains(string(out), "--- SKIP"):
		t.Skipf("child skipped:\n%s", out)
	case err != nil || !strings.Contains(string(out), "--- PASS"):
		t.Fatalf("child: %v\n%s", err, out)
	}
	return string(out)
}

// TestContextEnv: GPUBENCH_GL=none makes the backend unavailable without
// trying anything; a value it does not know is a usage error that lists
// the ones it does.
func TestContextEnv(t *testing.T) {
	t.Setenv(EnvContext, "none")
	o, err := optionsFromEnv(-1)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := open(o); err == nil {
		b.Close()
		t.Error("open with GPUBENCH_GL=none succeeded")
	} else if !errors.Is(err, compute.ErrUnavailable) || !strings.Contains(err.Error(), "none") {
		t.Errorf("GPUBENCH_GL=none: %v; want compute.ErrUnavailable", err)
	}
	t.Setenv(EnvContext, "bogus")
	if _, err := optionsFromEnv(-1); !errors.Is(err, compute.ErrUsage) || !strings.Contains(err.Error(), "bogus") || !strings.Contains(err.Error(), "glfw") {
		t.Errorf("GPUBENCH_GL=bogus: %v; want compute.ErrUsage naming the value and the choices", err)
	}
	// Through the registry, as the command line opens it.
	if _, err := new(opener).open(compute.Options{Device: -1}); !errors.Is(err, compute.ErrUsage) {
		t.Errorf("opening gl with GPUBENCH_GL=bogus: %v; want compute.ErrUsage", err)
	}
}
