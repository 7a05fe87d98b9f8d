package gemm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// TestGemmStrips runs the same products down both parallel paths, the
// strips that workers take off a counter and the static split into
// rectangles, and checks each against the reference (β = 0 over NaN,
// and β ≠ 0) and against one worker's bits: several kc blocks, a last
// strip cut short and one inside an edge tile, fewer row tiles than
// workers (static even where B fits). Each product is above
// serialFlops, so that it runs in parallel.
func TestGemmStrips(t *testing.T) {
	forEachLevel(t, func(t *testing.T, lv *Level) {
		if raceEnabled && lv.Name() == string(kern.Generic) {
			t.Skip("generic level under the race detector: the same Go code as the others' strips, at minutes per product")
		}
		kc, mr := lv.k32.blocks.kc, lv.k32.mr
		for _, path := range []struct {
			name  string
			bytes int
		}{{"strips", math.MaxInt}, {"static", 0}} {
			lim := *lv // this level with the path's limit
			lim.stripBBytes = path.bytes
			gemm32, gemm64 := at[float32](&lim), at[float64](&lim)
			workers := []int{2, 3}
			if raceEnabled {
				workers = []int{3} // races need only the parallel runs, not the reference
			}
			for _, workers := range workers {
				pl := pool.New(workers)
				rng := rand.New(rand.NewPCG(5, uint64(workers)))
				for _, s := range [][3]int{{200, 200, 200}, {257, 131, 2*kc + 3}, {mr*stripsPerWorker*workers + 5, 70, 300}, {3, 2000, 400}, {129, 100, kc}} {
					if !raceEnabled {
						run(t, gemm32, compute.Float32, pl, rng, s[0], s[1], s[2], 1.5, 0)
						run(t, gemm64, compute.Float64, pl, rng, s[0], s[1], s[2], -0.5, 0.75)
					}
					parallelSame(t, pl, s, gemm32)
					parallelSame(t, pl, s, gemm64)
				}
				pl.Close()
			}
		}
	})
}

// TestStripsSizeEveryWorker: after one call that runs as strips, every
// worker's buffers hold the call's blocks, also the buffers of workers
// that arrived too late to take a strip, so a later call that they join
// allocates nothing while it is measured. 64 workers on the few cores of
// a test machine: most arrive after the strips are gone.
func TestStripsSizeEveryWorker(t *testing.T) {
	const workers = 64
	pl := pool.New(workers)
	defer pl.Close()
	lv := best(t)
	kern := lv.k32
	m, n, k := workers*kern.mr*2, 64, 64 // enough row tiles for strips; B fits L2
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	var ca Cache[float32]
	Gemm(lv, &ca, pl, m, n, k, 1, a, k, b, n, 0, c, n)
	if len(ca.jobs) != 1 {
		t.Fatalf("%d jobs cached after one call, want 1", len(ca.jobs))
	}
	j := ca.jobs[0]
	if j.strip == 0 {
		t.Fatalf("%d×%d×%d on %d workers did not run as strips", m, n, k, workers)
	}
	np := ceilDiv(n, kern.nr) * kern.nr
	for w, ws := range j.ws {
		if len(ws.a) < j.strip*kern.blocks.kc || len(ws.b) < k*np || len(ws.tile) < kern.mr*kern.nr {
			t.Errorf("worker %d's buffers: a %d, b %d, tile %d; want at least %d, %d, %d",
				w, len(ws.a), len(ws.b), len(ws.tile), j.strip*kern.blocks.kc, k*np, kern.mr*kern.nr)
		}
	}
}
