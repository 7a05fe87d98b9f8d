//go:build !race && !noasm

package kern

import "unsafe"

// Without the race detector the annotations compile away.
const raceEnabledAsm = false

func raceReadRange(unsafe.Pointer, int)  {}
func raceWriteRange(unsafe.Pointer, int) {}
