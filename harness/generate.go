package harness

import (
	"sync/atomic"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// inputChunk is how many elements of an input are drawn between two
// checks of a run's stop flag: about 1/100 s of drawing, so that an
// interrupt ends input generation at once, while one atomic load per
// chunk costs nothing beside the drawing. The values are those of one
// Fill: a stream gives its next values whatever the pieces it is asked
// for in.
// Measurements: docs/methodology.md#why-these-constants.
const inputChunk = 1 << 20

// fillInput sets h's elements to st's next values, inputChunk of them
// at a time, and returns errInterrupted, the rest undrawn, where stop
// (nil: never) is set before a chunk. chunkDone, where not nil, is told
// after each chunk how many elements are drawn so far.
func fillInput(stop *atomic.Bool, st *ref.Stream, h compute.Host, chunkDone func(drawn int)) error {
	n := h.Len()
	for lo := 0; lo < n; lo += inputChunk {
		if stop != nil && stop.Load() {
			return errInterrupted
		}
		hi := min(lo+inputChunk, n)
		st.FillHost(h.Slice(lo, hi))
		if chunkDone != nil {
			chunkDone(hi)
		}
	}
	return nil
}
