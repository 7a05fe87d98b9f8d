//go:build !linux

package hwinfo

import "runtime"

// readMemory knows only Linux's /proc/meminfo; elsewhere memory is
// unknown (0) rather than read through cgo.
func readMemory() Memory {
	return Memory{Note: "memory size not read on " + runtime.GOOS}
}
