//go:build cgo && unix

package gl

import (
	"errors"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
)

// envChildFault, in the environment of a probe's child that this
// package's tests start (the test binary again, see TestMain), says how
// the child behaves: "serve" answers as ServeProbe does, "segv" crashes
// by SIGSEGV as a driver's fault in C does, "hang" never answers.
const envChildFault = "GPUBENCH_GL_TEST_CHILD"

// childArgs are the arguments a test's Isolation starts the child with.
var childArgs = []string{"probe"}

func TestMain(m *testing.M) {
	if fault := os.Getenv(envChildFault); fault != "" && os.Getenv(envInChild) != "" {
		beChild(fault, slices.Contains(os.Args[1:], "devices"))
	}
	os.Exit(m.Run())
}

// beChild is the test binary as the probe's child; it does not return.
func beChild(fault string, devices bool) {
	switch fault {
	case "segv":
		crash()
	case "hang":
		time.Sleep(time.Hour)
	}
	if err := ServeProbe(os.Stdout, devices); err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}

// crash ends the process by a SIGSEGV that the Go runtime reports as it
// does a fault in C code: "SIGSEGV: segmentation violation" heads its
// standard error.
func crash() {
	debug.SetTraceback("crash")
	signal.Reset(syscall.SIGSEGV)
	syscall.Kill(os.Getpid(), syscall.SIGSEGV)
	time.Sleep(time.Minute)
	os.Exit(1)
}

// TestIsolatedFaults: a probe's child that crashes or hangs makes the gl
// backend unavailable, saying which, for its probe and its device list
// alike, and the test process goes on.
func TestIsolatedFaults(t *testing.T) {
	for _, c := range []struct{ fault, want string }{
		{"segv", "the driver crashed while opening (SIGSEGV)"},
		{"hang", "the driver did not answer in 1s"},
	} {
		t.Run(c.fault, func(t *testing.T) {
			t.Setenv(envChildFault, c.fault)
			t.Setenv(EnvProbeTimeout, "1s")
			t.Setenv(EnvContext, "")
			f := Factory(Isolation{Args: childArgs})
			err := f.Probe(compute.Options{Device: -1})
			if !errors.Is(err, compute.ErrUnavailable) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Probe: %v; want compute.ErrUnavailable saying %q", err, c.want)
			}
			if _, err := f.Devices(); !errors.Is(err, compute.ErrUnavailable) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Devices: %v; want compute.ErrUnavailable saying %q", err, c.want)
			}
		})
	}
}

// TestIsolatedAnswer: a child that answers gives the probe's verdict and
// the device list that this process would have found itself.
func TestIsolatedAnswer(t *testing.T) {
	t.Setenv(envChildFault, "serve")
	here := Factory(Isolation{})
	there := Factory(Isolation{Args: childArgs})
	want := here.Probe(compute.Options{Device: -1})
	if got := there.Probe(compute.Options{Device: -1}); (got == nil) != (want == nil) || errors.Is(got, compute.ErrUnavailable) != errors.Is(want, compute.ErrUnavailable) {
		t.Errorf("probe in the child: %v; in this process: %v", got, want)
	}
	if want != nil {
		return
	}
	hereDevs, herr := here.Devices()
	thereDevs, terr := there.Devices()
	if (herr == nil) != (terr == nil) || len(hereDevs) != len(thereDevs) {
		t.Errorf("devices from the child: %v, %v; from this process: %v, %v", thereDevs, terr, hereDevs, herr)
	}
}
