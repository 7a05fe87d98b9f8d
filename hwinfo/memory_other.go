//go:build !linux

package hwinfo

import "runtime"

// readMemory knows only Linux's /proc/meminfo; elsewhere memory is
// unknown (0) rather than read through cgo.
func readMemory() Memory {
	return Memory{Note: "memory size not read on " + runtime.GOOS}
}

// readRlimitAS reads no limit where readMemory reads no memory.
func readRlimitAS() (uint64, bool) { return 0, false }
