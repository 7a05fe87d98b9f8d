//go:build !cgo

package gl

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
)

// Factory is the gl backend of a build without cgo: registered, so that
// it is listed and asked for by name, and unavailable, saying how to get
// it.
func Factory(Isolation) compute.Factory {
	return compute.Factory{
		Name: "gl",
		Doc:  "OpenGL 4.3 compute shaders (unavailable: built without cgo)",
		// The dispatch table is cgo code; built with cgo it runs the
		// whole catalogue (TestDispatchTable checks), and here it runs
		// nothing, as its probe says.
		Kernels: compute.AllKernels(),
		Probe:   func(compute.Options) error { return errNoCgo() },
		Open:    func(compute.Options) (compute.Backend, error) { return nil, errNoCgo() },
		Devices: func() ([]compute.DeviceEntry, error) { return nil, errNoCgo() },
	}
}

func serveProbe() error { return errNoCgo() }

func serveDevices() ([]compute.DeviceEntry, error) { return nil, errNoCgo() }

// errNoCgo says why this build has no gl backend and how to get one.
func errNoCgo() error {
	return fmt.Errorf("%w: gl: built without cgo; rebuild with CGO_ENABLED=1 and a C compiler, libgl-dev and libegl-dev", compute.ErrUnavailable)
}
