package gemm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/kern"
	"github.com/gpubench/gpubench/cpu/pool"
)

// TestGemmStrips runs the same products down both parallel paths, the
// strips that workers take off a counter and the static split into
// rectangles, and checks each against the reference (β = 0 over NaN,
// and β ≠ 0) and against one worker's bits: several kc blocks, a last
// strip cut short and one inside an edge tile, fewer row tiles than
// workers (static even where B fits). Each product is above
// serialFlops, so that it runs in parallel.
func TestGemmStrips(t *testing.T) {
	defer func(v int) { stripBBytes = v }(stripBBytes)
	forEachLevel(t, func(t *testing.T) {
		if raceEnabled && Level() == string(kern.Generic) {
			t.Skip("generic level under the race detector: the same Go code as the others' strips, at minutes per product")
		}
		kc, mr := kernel32().blocks.kc, kernel32().mr
		for _, path := range []struct {
			name  string
			bytes int
		}{{"strips", math.MaxInt}, {"static", 0}} {
			stripBBytes = path.bytes
			workers := []int{2, 3}
			if raceEnabled {
				workers = []int{3} // races need only the parallel runs, not the reference
			}
			for _, workers := range workers {
				pl := pool.New(workers)
				rng := rand.New(rand.NewPCG(5, uint64(workers)))
				for _, s := range [][3]int{{200, 200, 200}, {257, 131, 2*kc + 3}, {mr*stripsPerWorker*workers + 5, 70, 300}, {3, 2000, 400}, {129, 100, kc}} {
					if !raceEnabled {
						run(t, Gemm32, compute.Float32, pl, rng, s[0], s[1], s[2], 1.5, 0)
						run(t, Gemm64, compute.Float64, pl, rng, s[0], s[1], s[2], -0.5, 0.75)
					}
					parallelSame(t, pl, s, Gemm32)
					parallelSame(t, pl, s, Gemm64)
				}
				pl.Close()
			}
		}
	})
}
