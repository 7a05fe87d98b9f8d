//go:build cgo

package gl

import (
	"errors"
	"os"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// EnvRequire set to 1 makes a missing GL context a test failure instead
// of a skip (CI sets it: there, llvmpipe must always work).
const EnvRequire = "GPUBENCH_REQUIRE_GL"

// openOrSkip opens a gl backend with the environment's options, skipping
// the test where no context can be made unless EnvRequire=1.
func openOrSkip(t testing.TB) *backend {
	t.Helper()
	o, err := optionsFromEnv(-1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := open(o)
	if err != nil {
		if os.Getenv(EnvRequire) == "1" || !errors.Is(err, compute.ErrUnavailable) {
			t.Fatalf("no gl backend (%s=1): %v", EnvRequire, err)
		}
		t.Skipf("no OpenGL 4.3 context: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if n := b.liveObjects(); n != 0 {
			t.Errorf("%d GL objects alive after Close: %v", n, b.live)
		}
	})
	return b
}

// TestConformance runs the shared suite: every kernel in every dtype the
// device has, against the float64 reference within the derived bound.
func TestConformance(t *testing.T) {
	b := openOrSkip(t)
	t.Logf("%s via %s: %s", b.dev.Name, b.dev.Level, b.gpu.GLVersion)
	computetest.Run(t, b)
}
