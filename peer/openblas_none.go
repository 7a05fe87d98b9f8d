//go:build !(openblas && cgo)

package peer

import "github.com/gpubench/gpubench/compute"

// openblasFactories is empty in a build without -tags openblas and cgo.
func openblasFactories() []compute.Factory { return nil }
