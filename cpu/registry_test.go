package cpu

import "github.com/gpubench/gpubench/compute"

// registry holds this package's backends for its tests.
var registry = compute.NewRegistry(Factories()...)
