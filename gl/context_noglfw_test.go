//go:build cgo && !glfw

package gl

import (
	"errors"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestNoGLFW: a build without the glfw tag has no GLFW; GPUBENCH_GL=glfw
// is unavailable and says how to get it (TestLibEGLMissing: the default
// order does not name GLFW at all).
func TestNoGLFW(t *testing.T) {
	t.Setenv(EnvContext, kindGLFW)
	o, err := optionsFromEnv(-1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := open(o)
	if err == nil {
		b.Close()
		t.Fatal("open through GLFW succeeded in a build without GLFW")
	}
	if !errors.Is(err, compute.ErrUnavailable) || !strings.Contains(err.Error(), "rebuild with -tags glfw") {
		t.Errorf("GPUBENCH_GL=glfw without GLFW built: %v; want compute.ErrUnavailable saying to rebuild with -tags glfw", err)
	}
}
