//go:build !cgo

package gl

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
)

func init() {
	compute.Register(compute.Factory{
		Name: "gl",
		Doc:  "OpenGL 4.3 compute shaders (unavailable: built without cgo)",
		Probe: func() error {
			return fmt.Errorf("%w: gl: built without cgo; rebuild with CGO_ENABLED=1 and a C compiler, libgl-dev and libegl-dev", compute.ErrUnavailable)
		},
		Open: func(compute.Options) (compute.Backend, error) {
			return nil, fmt.Errorf("%w: gl: built without cgo; rebuild with CGO_ENABLED=1 and a C compiler, libgl-dev and libegl-dev", compute.ErrUnavailable)
		},
	})
}
