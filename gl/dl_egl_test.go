//go:build cgo

package gl

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestLibEGLMissing opens gl in a child process whose libEGL.so.1 is a
// crafted file found first on LD_LIBRARY_PATH: one that is not a
// library, and a library (built here with gcc) without EGL's functions.
// Each makes gl unavailable with one reason that names libEGL.so.1 and
// what went wrong; nothing crashes. cmd/gpubench's
// TestRunsWithoutGLLibraries hides the real libraries from the binary.
func TestLibEGLMissing(t *testing.T) {
	if want := os.Getenv(envChild); strings.HasPrefix(want, "no-egl:") {
		b, err := open(contextOptions{device: -1})
		if err == nil {
			b.Close()
			t.Fatalf("open succeeded with a crafted %s", libEGL)
		}
		t.Logf("open with a crafted %s: %v", libEGL, err)
		msg := err.Error()
		// One reason for both ways through EGL, not one for each.
		if !errors.Is(err, compute.ErrUnavailable) || !strings.Contains(msg, "tried egl: cannot load "+libEGL) ||
			!strings.Contains(msg, strings.TrimPrefix(want, "no-egl:")) || strings.Contains(msg, kindEGLSurfaceless) {
			t.Fatalf("open with a crafted %s: %v; want compute.ErrUnavailable naming it once, and %q", libEGL, err, want)
		}
		if !glfwBuilt && strings.Contains(msg, "glfw") {
			t.Fatalf("open with a crafted %s: %v; a build without GLFW does not try it unasked", libEGL, err)
		}
		return
	}
	notLib := t.TempDir()
	if err := os.WriteFile(filepath.Join(notLib, libEGL), []byte(strings.Repeat("not a library ", 16)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runChild(t, "^TestLibEGLMissing$", envChild+"=no-egl:invalid ELF header", "LD_LIBRARY_PATH="+notLib)
	t.Logf("not a library:\n%s", out)

	noEGL := t.TempDir()
	src := filepath.Join(noEGL, "empty.c")
	if err := os.WriteFile(src, []byte("int gpubench_not_egl;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("gcc", "-shared", "-fPIC", "-o", filepath.Join(noEGL, libEGL), src).CombinedOutput(); err != nil {
		t.Skipf("cannot build a library without EGL (gcc): %v\n%s", err, msg)
	}
	out = runChild(t, "^TestLibEGLMissing$", envChild+"=no-egl:has no eglGetProcAddress", "LD_LIBRARY_PATH="+noEGL)
	t.Logf("a library without EGL:\n%s", out)
}
