package cpu

import (
	"math"

	"github.com/gpubench/gpubench/compute"
)

// Poison fills the workspaces the backend keeps between launches with
// NaN (compute.Poisoner): each dtype's reduction partials and gemm's
// packed blocks and edge tiles. A launch writes every partial and packs
// every block it reads before reading it, so a correct one is unchanged;
// one that skipped some reads NaN instead of what an earlier launch left.
func (b *Backend) Poison() error {
	if err := b.bufs.Alive(); err != nil {
		return err
	}
	b.f32.poison()
	b.f64.poison()
	return nil
}

func (r *runner[T]) poison() {
	nan := T(math.NaN())
	for i := range r.t.partial {
		r.t.partial[i] = nan
	}
	r.cache.Poison()
}

var _ compute.Poisoner = (*Backend)(nil)
