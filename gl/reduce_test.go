//go:build cgo

package gl

import (
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// reductionDepth replays the order in which dot.comp/sum.comp and the
// later sum.comp passes (kernels.go, reduce) add n terms with work
// groups of wg and leaf terms per invocation, and returns the most
// roundings on any term's path. A sum where one side holds no term yet
// (the shader adds 0) is exact and does not count.
func reductionDepth(n, wg, leaf int) int {
	const none = -1
	// pass reduces per-element depths the way one dispatch does.
	pass := func(d []int, leaf int) []int {
		per := wg * leaf
		out := make([]int, ceilDiv(len(d), per))
		tree := make([]int, wg)
		add := func(a, b int) int {
			switch {
			case a == none:
				return b
			case b == none:
				return a
			}
			return max(a, b) + 1
		}
		for g := range out {
			for l := range tree {
				tree[l] = none
				for j := range leaf {
					if i := g*per + l + j*wg; i < len(d) {
						tree[l] = add(tree[l], d[i])
					}
				}
			}
			for h := wg / 2; h > 0; h /= 2 {
				for l := range h {
					tree[l] = add(tree[l], tree[l+h])
				}
			}
			out[g] = tree[0]
		}
		return out
	}
	d := pass(make([]int, n), leaf)
	for len(d) > 1 {
		d = pass(d, 1)
	}
	return d[0]
}

// TestReductionDepth checks that the shaders' summation order never
// exceeds the depth compute.Kernel.Depth derives from Device.SumLeaf, so
// that the suite's error bound holds for every n, not only the sizes it
// runs.
func TestReductionDepth(t *testing.T) {
	sizes := []int{}
	for n := 1; n <= 3000; n++ {
		sizes = append(sizes, n)
	}
	sizes = append(sizes, 4095, 4096, 4097, 65535, 65536, 65537, 1<<20+3, 3<<20+1)
	for _, wg := range []int{2, 4, 32, 256} {
		for _, n := range sizes {
			if wg < 32 && n > 5000 {
				continue
			}
			got := reductionDepth(n, wg, sumLeaf)
			if want := compute.Sum.Depth(compute.Vec(n), sumLeaf); got > want {
				t.Fatalf("wg=%d n=%d: a term passes %d additions, Depth allows %d", wg, n, got, want)
			}
		}
	}
}
