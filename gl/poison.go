//go:build cgo

package gl

import (
	"math"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
)

// Poison fills the scratch buffers that reductions keep between
// launches (their partial sums, see reduce) with NaN
// (compute.Poisoner). A correct reduction writes every partial it reads
// in the same launch; one whose first pass skipped a work group would
// otherwise read what an earlier launch left there.
func (b *backend) Poison() error {
	return b.do(func() error {
		b.updateBarrier()
		for dt, s := range b.scratch {
			for _, x := range s {
				if x == nil || x.released {
					continue
				}
				h := compute.NewHost(dt, x.n)
				h.Fill(math.NaN())
				gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, x.id)
				gl.BufferSubData(gl.SHADER_STORAGE_BUFFER, 0, x.bytes(), hostData(h))
			}
		}
		return nil
	})
}

var _ compute.Poisoner = (*backend)(nil)
