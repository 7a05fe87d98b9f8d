//go:build cgo

package gl

/*
typedef const char *(*gb_nullfn)(void);
static void gb_call_null(void) { gb_nullfn f = 0; f(); }
*/
import "C"

import (
	"sync"

	"github.com/gpubench/gpubench/compute"
)

func init() {
	o := new(opener)
	compute.Register(compute.Factory{
		Name:    "gl",
		Doc:     "OpenGL 4.3 compute shaders (EGL device, Mesa surfaceless, or a GLFW window)",
		Kernels: kernelSet(),
		Probe:   o.probe,
		Open:    o.open,
		Devices: devices,
	})
	serveProbe, serveDevices = o.probeHere, deviceEntries
	nullCall = func() { C.gb_call_null() }
}

// opener opens gl backends for the registry. Probing in this process, it
// keeps the backend that probe opened for the first open that asks for
// the default device: making a context is the only sure test that one
// can be made, and making it twice would cost twice.
type opener struct {
	mu    sync.Mutex
	spare *backend
}

// probe makes a context the way open would with the default device: in
// a child process where the command asked for one (Isolate), else here,
// keeping it. Its error names every attempt and why it failed. The
// options choose nothing it depends on (compute.Probe caches one answer
// for every device).
func (op *opener) probe(compute.Options) error {
	if args := isolated(); args != nil {
		o, err := optionsFromEnv(-1)
		if err != nil {
			return err
		}
		if o.force == "none" {
			return op.probeHere() // which opens nothing
		}
		r, err := askChild(args, false)
		if err != nil {
			return err
		}
		return r.err()
	}
	return op.probeHere()
}

// probeHere is probe in this process.
func (op *opener) probeHere() error {
	o, err := optionsFromEnv(-1)
	if err != nil {
		return err
	}
	b, err := open(o)
	if err != nil {
		return err
	}
	op.mu.Lock()
	if op.spare != nil {
		op.spare.Close()
	}
	op.spare = b
	op.mu.Unlock()
	return nil
}

// devices lists the EGL devices, in a child process where the command
// asked for one (Isolate): listing makes a context on each.
func devices() ([]compute.DeviceEntry, error) {
	if args := isolated(); args != nil {
		r, err := askChild(args, true)
		if err != nil {
			return nil, err
		}
		return r.Devices, r.err()
	}
	return deviceEntries()
}

// open opens the gl backend on co.Device (an index into Devices(), or
// -1 for the first that works).
func (op *opener) open(co compute.Options) (compute.Backend, error) {
	if co.Device < 0 {
		op.mu.Lock()
		b := op.spare
		op.spare = nil
		op.mu.Unlock()
		if b != nil {
			return b, nil
		}
	}
	o, err := optionsFromEnv(co.Device)
	if err != nil {
		return nil, err
	}
	return open(o)
}
