//go:build race

package gemm

import (
	"runtime"
	"unsafe"
)

// raceKernel tells the race detector that a micro-kernel reads a and b
// and writes, and reads where readC, the mr×nr tile of c at stride ldc:
// the race detector does not see memory accessed by assembly.
func raceKernel[T float](a, b, c []T, mr, nr, ldc int, readC bool) {
	var z T
	size := int(unsafe.Sizeof(z))
	runtime.RaceReadRange(unsafe.Pointer(&a[0]), len(a)*size)
	runtime.RaceReadRange(unsafe.Pointer(&b[0]), len(b)*size)
	for i := range mr {
		p := unsafe.Pointer(&c[i*ldc])
		if readC {
			runtime.RaceReadRange(p, nr*size)
		}
		runtime.RaceWriteRange(p, nr*size)
	}
}
