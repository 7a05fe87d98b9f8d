//go:build race

package gemm

import (
	"github.com/gpubench/gpubench/compute"
	"runtime"
	"unsafe"
)

// raceKernel tells the race detector that a micro-kernel reads a and b
// and writes, and reads where readC, the mr×nr tile of c at stride ldc:
// the race detector does not see memory accessed by assembly.
func raceKernel[T compute.Float](a, b, c []T, mr, nr, ldc int, readC bool) {
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

// raceRead and raceWrite tell the race detector that assembly reads or
// writes s.
func raceRead[T compute.Float](s []T) {
	if len(s) > 0 {
		runtime.RaceReadRange(unsafe.Pointer(&s[0]), len(s)*int(unsafe.Sizeof(s[0])))
	}
}

func raceWrite[T compute.Float](s []T) {
	if len(s) > 0 {
		runtime.RaceWriteRange(unsafe.Pointer(&s[0]), len(s)*int(unsafe.Sizeof(s[0])))
	}
}
