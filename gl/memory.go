//go:build cgo

package gl

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// checkRoom refuses to open GL where mem leaves less room than its
// working memory (hwinfo.GLWorkingMemory), in resident memory or in address space, naming the
// limit: a driver that runs out of memory while it loads fails in ways
// that cannot be caught (a thread that cannot start aborts the process).
func checkRoom(mem hwinfo.Memory) error {
	short, need, ok := mem.Short(hwinfo.GLWorkingMemory)
	if ok {
		return nil
	}
	return fmt.Errorf("%w: opening GL takes about %s (llvmpipe's working memory), and %s is free under %s",
		compute.ErrUnavailable, hwinfo.FormatBytes(need), hwinfo.FormatBytes(float64(short.Bytes)), short)
}
