//go:build cgo

package gl

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// WorkingMemory is what a GL implementation takes in the process that
// opens it, once the context is made and every kernel compiled, beside
// the buffers a case allocates: resident memory and address space, the
// stacks of the threads it starts included. The figures are Mesa
// llvmpipe's (LLVM's JIT, the driver's code and its rasterizer threads),
// measured with margin (docs/methodology.md#why-these-constants; the
// address space with glibc's malloc held to one arena, as gpubench holds
// it under RLIMIT_AS, where alone address space is counted); a GPU
// driver's own share is of the same order, its buffers in the GPU's
// memory.
var WorkingMemory = hwinfo.Need{Resident: 128 << 20, Address: 384 << 20}

// checkRoom refuses to open GL where mem leaves less room than
// WorkingMemory, in resident memory or in address space, naming the
// limit: a driver that runs out of memory while it loads fails in ways
// that cannot be caught (a thread that cannot start aborts the process).
func checkRoom(mem hwinfo.Memory) error {
	short, need, ok := mem.Short(WorkingMemory)
	if ok {
		return nil
	}
	return fmt.Errorf("%w: opening GL takes about %s (llvmpipe's working memory), and %s is free under %s",
		compute.ErrUnavailable, hwinfo.FormatBytes(need), hwinfo.FormatBytes(float64(short.Bytes)), short)
}
