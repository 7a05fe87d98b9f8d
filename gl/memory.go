//go:build cgo

package gl

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// reopenMemory is what GL takes to open again in a process where it was
// open before: the driver's code and LLVM stay mapped after a context
// is destroyed, and a new context adds its threads and their state.
// Measured as GLWorkingMemory was: 45-47 MiB of address space and 1-5
// MiB resident for each open after the first (docs/methodology.md).
var reopenMemory = hwinfo.Need{Resident: 16 << 20, Address: 96 << 20}

// checkRoom refuses to open GL where mem leaves less room than it takes:
// its working memory (hwinfo.GLWorkingMemory), or reopenMemory where GL
// was open in this process before (loaded). In resident memory or in
// address space, the error names the limit: a driver that runs out of
// memory while it loads fails in ways that cannot be caught (a thread
// that cannot start aborts the process).
func checkRoom(mem hwinfo.Memory, loaded bool) error {
	want := hwinfo.GLWorkingMemory
	if loaded {
		want = reopenMemory
	}
	short, need, ok := mem.Short(want)
	if ok {
		return nil
	}
	return fmt.Errorf("%w: opening GL takes about %s (llvmpipe's working memory), and %s is free under %s",
		compute.ErrUnavailable, hwinfo.FormatBytes(need), hwinfo.FormatBytes(float64(short.Bytes)), short)
}
