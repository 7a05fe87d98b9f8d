package gemm

import (
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// TestGemmBlockEdges crosses every cache block of each level once: m
// one past mc, n one tile and one column past nc (so a second jc block
// of B with a partial micro-panel), k one past kc (a second pc pass,
// which accumulates into C), on one and two workers.
func TestGemmBlockEdges(t *testing.T) {
	if testing.Short() {
		t.Skip("large products")
	}
	forEachLevel(t, func(t *testing.T, lv *Level) {
		workers := []int{1, 2}
		if raceEnabled {
			// Races need two workers; the scalar level is the same Go
			// code as the others' edges, at minutes per product.
			if lv.Name() == string(kern.Generic) {
				t.Skip("generic level under the race detector")
			}
			workers = []int{2}
		}
		rng := rand.New(rand.NewPCG(3, 3))
		for _, w := range workers {
			pl := pool.New(w)
			b32, b64 := lv.k32, lv.k64
			run(t, at[float32](lv), compute.Float32, pl, rng, b32.blocks.mc+1, b32.blocks.nc+b32.nr+1, b32.blocks.kc+1, 1.5, 0.5)
			run(t, at[float64](lv), compute.Float64, pl, rng, b64.blocks.mc+1, b64.blocks.nc+b64.nr+1, b64.blocks.kc+1, -0.5, 1)
			pl.Close()
		}
	})
}
