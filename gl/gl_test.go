//go:build cgo

package gl

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// EnvRequire set to 1 makes a missing GL context a test failure instead
// of a skip (CI sets it: there, llvmpipe must always work).
const EnvRequire = "GPUBENCH_REQUIRE_GL"

// EnvRequireRenderer, where set, is a word the context's renderer must
// hold (case-insensitive), and such a device must run every dtype:
// make test-zink sets it to zink, so that a Mesa that quietly fell back
// to llvmpipe fails rather than passes on the wrong driver.
const EnvRequireRenderer = "GPUBENCH_REQUIRE_RENDERER"

// openOrSkip opens a gl backend with the environment's options, skipping
// the test where no context can be made unless EnvRequire=1.
func openOrSkip(t testing.TB) *backend {
	t.Helper()
	return openWith(t, envOptions(t))
}

// envOptions is the context the environment asks for (GPUBENCH_GL and
// the rest), on the default device.
func envOptions(t testing.TB) contextOptions {
	t.Helper()
	o, err := optionsFromEnv(-1)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// openWith opens a gl backend with o, as openOrSkip does. Its cleanup
// closes the backend and checks that no GL object outlived it.
func openWith(t testing.TB, o contextOptions) *backend {
	t.Helper()
	b, err := open(o)
	if err != nil {
		if os.Getenv(EnvRequire) == "1" || !errors.Is(err, compute.ErrUnavailable) {
			t.Fatalf("no gl backend (%s=1): %v", EnvRequire, err)
		}
		t.Skipf("no OpenGL 4.3 context: %v", err)
	}
	if want := os.Getenv(EnvRequireRenderer); want != "" {
		if !strings.Contains(strings.ToLower(b.dev.Name), strings.ToLower(want)) {
			b.Close()
			t.Fatalf("%s=%s, but the renderer is %s", EnvRequireRenderer, want, b.dev.Name)
		}
		if !slices.Equal(b.dev.DTypes, compute.DTypes()) {
			b.Close()
			t.Fatalf("%s=%s: %s runs %v, not every dtype", EnvRequireRenderer, want, b.dev.Name, b.dev.DTypes)
		}
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

// problem is the suite's problem for kernel k on shape s in dt, with
// the suite's α and β where the kernel reads them.
func problem(k compute.Kernel, s compute.Shape, dt compute.DType) compute.Problem {
	p := compute.Problem{Kernel: k, Shape: s, DType: dt}
	if k.UsesAlpha() {
		p.Alpha = 1.5
	}
	if k.UsesBeta() {
		p.Beta = -0.75
	}
	return p
}

// TestConformance runs the shared suite: every kernel in every dtype the
// device has, against the float64 reference within the derived bound.
func TestConformance(t *testing.T) {
	b := openOrSkip(t)
	t.Logf("%s via %s: %s; %v", b.dev.Name, b.dev.Level, b.gpu.GLVersion, b.dev.Notes)
	if force := os.Getenv(EnvContext); force == kindGLFW && b.dev.Level != kindGLFW {
		t.Fatalf("%s=%s, but the context is %s", EnvContext, force, b.dev.Level)
	}
	computetest.Run(t, b)
}
