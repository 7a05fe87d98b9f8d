//go:build cgo

package gl

import (
	"sync"

	"github.com/gpubench/gpubench/compute"
)

func init() {
	compute.Register(compute.Factory{
		Name:  "gl",
		Doc:   "OpenGL 4.3 compute shaders (EGL device, Mesa surfaceless, or a GLFW window)",
		Probe: probe,
		Open:  openBackend,
	})
}

// spare holds the backend that probe opened, for the first Open that
// asks for the default device: making a context is the only sure test
// that one can be made, and making it twice would cost twice.
var spare struct {
	sync.Mutex
	b *backend
}

// probe makes a context the way Open would with the default device and
// keeps it; its error names every attempt and why it failed.
func probe() error {
	o, err := optionsFromEnv(-1)
	if err != nil {
		return err
	}
	b, err := open(o)
	if err != nil {
		return err
	}
	spare.Lock()
	if spare.b != nil {
		spare.b.Close()
	}
	spare.b = b
	spare.Unlock()
	return nil
}

// openBackend opens the gl backend on o.Device (an index into Devices(),
// or -1 for the first that works).
func openBackend(co compute.Options) (compute.Backend, error) {
	if co.Device < 0 {
		spare.Lock()
		b := spare.b
		spare.b = nil
		spare.Unlock()
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
