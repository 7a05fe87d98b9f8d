package peer

import (
	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu"
)

// registry holds the peers and the cpu backend they are compared with,
// for this package's tests.
var registry = compute.NewRegistry(append(cpu.Factories(), Factories()...)...)
