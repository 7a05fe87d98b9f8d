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

// TestBlocking: the blocks follow the caches, so each machine gets its
// own: the Zen 5 VM's 1 MiB L2 half the mc of Emerald Rapids' 2 MiB, a
// small L2 a small mc, and the page bound caps nc whatever a VM says of
// its L3. CachesOf fills in what a probe did not find.
func TestBlocking(t *testing.T) {
	zen5 := Caches{L1D: 48 << 10, L2: 1 << 20, L3: 508 << 20}
	emr := Caches{L1D: 48 << 10, L2: 2 << 20, L3: 260 << 20}
	haswell := Caches{L1D: 32 << 10, L2: 256 << 10, L3: 8 << 20}
	for _, tc := range []struct {
		name         string
		cs           Caches
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
	if got, want := CachesOf(48<<10, 0, -1), (Caches{L1D: 48 << 10, L2: 1 << 20, L3: 8 << 20}); got != want {
		t.Errorf("CachesOf(48 KiB, unknown, unknown) = %+v, want %+v", got, want)
	}
}
