package gemm

import (
	"math"
	"testing"

	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// TestCachePoison: after calls on one and on two workers have filled a
// Cache's workspaces, Poison leaves every element of their A and B
// blocks and edge tiles NaN, and the next call, which packs again
// before it reads, still gives the product.
func TestCachePoison(t *testing.T) {
	pl := pool.New(2)
	defer pl.Close()
	lv := best(t)
	const n = 131 // edge tiles on every side
	a, c := make([]float32, n*n), make([]float32, n*n)
	for i := range a {
		a[i] = 1
	}
	var ca Cache[float32]
	for _, p := range []*pool.Pool{nil, pl, nil} {
		Gemm(lv, &ca, p, n, n, n, 1, a, n, a, n, 0, c, n)
		ca.Poison()
		if len(ca.ws) == 0 && len(ca.jobs) == 0 {
			t.Fatal("the cache kept no workspace")
		}
		ws := append([]*workspace[float32](nil), ca.ws...)
		for _, j := range ca.jobs {
			ws = append(ws, j.ws...)
		}
		for _, w := range ws {
			for _, buf := range [][]float32{w.a, w.b, w.tile} {
				for i, x := range buf {
					if !math.IsNaN(float64(x)) {
						t.Fatalf("workspace element %d = %g after Poison, want NaN", i, x)
					}
				}
			}
		}
		Gemm(lv, &ca, p, n, n, n, 1, a, n, a, n, 0, c, n)
		for i, x := range c {
			if x != n {
				t.Fatalf("after Poison, C[%d] = %g, want %d", i, x, n)
			}
		}
	}
}
