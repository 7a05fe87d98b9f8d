//go:build cgo

package gl

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
	})
}

// opener opens gl backends for the registry. It keeps the backend that
// probe opened for the first open that asks for the default device:
// making a context is the only sure test that one can be made, and
// making it twice would cost twice.
type opener struct {
	mu    sync.Mutex
	spare *backend
}

// probe makes a context the way open would with the default device and
// keeps it; its error names every attempt and why it failed. The options
// choose nothing it depends on (compute.Probe caches one answer for
// every device).
func (op *opener) probe(compute.Options) error {
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
