//go:build cgo

package gl

import (
	"os"
	"sync"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// Factory is the gl backend for a compute.Registry, opening GL where iso
// says (see Isolation).
func Factory(iso Isolation) compute.Factory {
	o := &opener{iso: iso}
	return compute.Factory{
		Name:    "gl",
		Doc:     "OpenGL 4.3 compute shaders (EGL device, Mesa surfaceless, or a GLFW window with -tags glfw)",
		Kernels: kernelSet(),
		Probe:   o.probe,
		// Opening a driver can take seconds, or hang until the child's
		// timeout: only a command that needs gl probes it.
		SlowProbe: true,
		Open:      o.open,
		Devices:   o.devices,
	}
}

// opener opens gl backends for the registry. Probing in this process, it
// keeps the backend that probe opened for the first open that asks for
// the default device: making a context is the only sure test that one
// can be made, and making it twice would cost twice.
type opener struct {
	iso   Isolation
	mu    sync.Mutex
	spare *backend
	// loaded is whether GL was opened in this process before: its
	// libraries stay mapped, and opening again takes less (checkRoom).
	loaded bool
}

// isolated returns the child's arguments, or nil where probes run in
// this process: where the factory was made without isolation, and in the
// child itself, so that a probe never starts another.
func (op *opener) isolated() []string {
	if len(op.iso.Args) == 0 || os.Getenv(envInChild) != "" {
		return nil
	}
	return op.iso.Args
}

// probe makes a context the way open would with the default device: in
// a child process where the factory was made with one (Isolation), else
// here, keeping it. Its error names every attempt and why it failed. The
// options choose nothing it depends on (compute.Registry.Probe keeps one
// answer for every device).
func (op *opener) probe(compute.Options) error {
	if err := op.checkRoom(); err != nil {
		return err
	}
	if args := op.isolated(); args != nil {
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
	op.opened(err)
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

// devices lists the EGL devices, in a child process where the factory
// was made with one (Isolation): listing makes a context on each.
func (op *opener) devices() ([]compute.DeviceEntry, error) {
	if args := op.isolated(); args != nil {
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
	if err := op.checkRoom(); err != nil {
		return nil, err
	}
	b, err := open(o)
	op.opened(err)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// checkRoom refuses to open GL in what memory leaves (checkRoom).
func (op *opener) checkRoom() error {
	op.mu.Lock()
	loaded := op.loaded
	op.mu.Unlock()
	return checkRoom(hwinfo.CurrentMemory(), loaded)
}

// opened notes that GL was opened in this process, where err is nil.
func (op *opener) opened(err error) {
	if err == nil {
		op.mu.Lock()
		op.loaded = true
		op.mu.Unlock()
	}
}

// serveProbe is the child's probe (ServeProbe): a context made in this
// process, left open for the process's exit to end, as closing it could
// meet a driver's fault after the answer is known.
func serveProbe() error {
	o, err := optionsFromEnv(-1)
	if err != nil {
		return err
	}
	_, err = open(o)
	return err
}

// serveDevices is the child's device list (ServeProbe).
func serveDevices() ([]compute.DeviceEntry, error) { return deviceEntries() }
