package main

import (
	"os"
	"runtime"
	"runtime/debug"

	"github.com/gpubench/gpubench/hwinfo"
)

// limitGoMemory holds the Go runtime's memory to what the process's
// cgroup lets it use (hwinfo.GoMemoryLimit): under a cgroup's limit the
// collector works harder rather than let the kernel kill the process.
// A GOMEMLIMIT in the environment is the user's choice and stays.
func limitGoMemory() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if limit, ok := hwinfo.GoMemoryLimit(hwinfo.CurrentMemory(), ms.Sys-ms.HeapReleased); ok {
		debug.SetMemoryLimit(limit)
	}
}
