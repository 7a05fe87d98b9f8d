package ref

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"

	"github.com/gpubench/gpubench/compute"
)

// SampleIndices chooses n elements of out of kernel k at shape s, sorted, for a
// check of a sample (see Elements and VerifyAt): first the elements where
// a blocked kernel's edge cases meet — every pair of an edge row and an
// edge column of out as a matrix (see edges; a vector is one column,
// with each side of its splits into up to 16 equal chunks too) — and then elements drawn uniformly by a PCG seeded by seed and the
// kernel's name, up to n in all. The edges alone may be more than a
// small n. Where out has no more than n elements, it is every one.
func SampleIndices(k compute.Kernel, s compute.Shape, n int, seed uint64) []int {
	total := k.OperandLen("out", s)
	if total <= n {
		idx := make([]int, total)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	rows, cols := total, 1
	switch {
	case k.Form() == compute.GEMMForm:
		rows, cols = s.M, s.N
	case k.Form() == compute.MatrixForm && total == s.M*s.N: // transpose: N×M
		rows, cols = s.N, s.M
	}
	set := map[int]bool{}
	for _, r := range edges(rows) {
		for _, c := range edges(cols) {
			set[r*cols+c] = true
		}
	}
	if cols == 1 {
		// A vector: also each side of where it splits into w equal
		// chunks for w up to 16, the parallel runner's chunks.
		for w := 2; w <= 16; w++ {
			for j := 1; j < w; j++ {
				b := total * j / w
				set[b], set[b-1] = true, true
			}
		}
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "sample/%s", k)
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	for len(set) < n {
		set[rng.IntN(total)] = true
	}
	idx := make([]int, 0, len(set))
	for e := range set {
		idx = append(idx, e)
	}
	slices.Sort(idx)
	return idx
}

// edgeTiles are the tile widths whose edges SampleIndices always checks:
// SIMD widths and register tiles from 4 (float64 lanes of AVX2) to 32,
// including the heights that are not powers of two (6 and 12 rows of
// AVX2 micro-kernels, 14 of the AVX-512 one here), the GL kernels' work
// groups and shared-memory blocks (16 to 64), and blocks up to 256. A
// cache block sized from the machine's caches (cpu/gemm's mc, kc, nc) is
// left to the uniform part of the sample.
func edgeTiles() []int { return []int{4, 6, 8, 12, 14, 16, 24, 32, 48, 64, 128, 256} }

// edges are the indices in [0, d) where a kernel that works in tiles of
// edgeTiles turns a corner: both ends and their neighbours, each side of
// every first tile boundary (t−1, t), and each side of the start of the
// last, partial tile (d − d mod t − 1, d − d mod t).
func edges(d int) []int {
	e := []int{0, 1, d - 2, d - 1}
	for _, t := range edgeTiles() {
		last := d - d%t
		e = append(e, t-1, t, last-1, last)
	}
	e = slices.DeleteFunc(e, func(i int) bool { return i < 0 || i >= d })
	slices.Sort(e)
	return slices.Compact(e)
}
