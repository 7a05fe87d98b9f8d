package gemm

import (
	"math/rand/v2"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
	"github.com/gpubench/gpubench/hwinfo"
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

// TestBlocking: the blocks follow the caches, so each machine gets its
// own: the Zen 5 VM's 1 MiB L2 half the mc of Emerald Rapids' 2 MiB, a
// small L2 a small mc, and the page bound caps nc whatever a VM says of
// its L3. The probe's caches are the ones used where it knows them.
func TestBlocking(t *testing.T) {
	zen5 := caches{l1d: 48 << 10, l2: 1 << 20, l3: 508 << 20}
	emr := caches{l1d: 48 << 10, l2: 2 << 20, l3: 260 << 20}
	haswell := caches{l1d: 32 << 10, l2: 256 << 10, l3: 8 << 20}
	for _, tc := range []struct {
		name         string
		cs           caches
		mr, nr, size int
		want         blocks
	}{
		{"zen5 f32 14x32", zen5, 14, 32, 4, blocks{mc: 126, kc: 512, nc: 1024}},
		{"zen5 f64 14x16", zen5, 14, 16, 8, blocks{mc: 56, kc: 512, nc: 512}},
		{"emr f32 14x32", emr, 14, 32, 4, blocks{mc: 252, kc: 512, nc: 1024}},
		{"emr f64 14x16", emr, 14, 16, 8, blocks{mc: 126, kc: 512, nc: 512}},
		{"haswell f32 6x16", haswell, 6, 16, 4, blocks{mc: 30, kc: 512, nc: 1024}},
		{"haswell f64 6x8", haswell, 6, 8, 8, blocks{mc: 12, kc: 512, nc: 512}},
	} {
		if got := blocking(tc.cs, tc.mr, tc.nr, tc.size); got != tc.want {
			t.Errorf("%s: blocking = %+v, want %+v", tc.name, got, tc.want)
		}
	}
	c, cs := hwinfo.DescribeCPU(), cpuCaches()
	if c.L1D > 0 && cs.l1d != c.L1D || c.L2 > 0 && cs.l2 != c.L2 || c.L3 > 0 && cs.l3 != c.L3 {
		t.Errorf("cpuCaches %+v, the probe says L1d %d, L2 %d, L3 %d", cs, c.L1D, c.L2, c.L3)
	}
}
