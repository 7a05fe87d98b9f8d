//go:build !cgo || !linux

package main

// crashCatcher is false where gl cannot be built in (no cgo) or the
// supervisor is not built: a run is not supervised.
const crashCatcher = false

// quietCrashes does nothing here.
func quietCrashes() {}
