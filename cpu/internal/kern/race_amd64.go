//go:build race && !noasm

package kern

import (
	"runtime"
	"unsafe"
)

const raceEnabledAsm = true

func raceReadRange(p unsafe.Pointer, n int)  { runtime.RaceReadRange(p, n) }
func raceWriteRange(p unsafe.Pointer, n int) { runtime.RaceWriteRange(p, n) }
