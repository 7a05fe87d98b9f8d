package kern

import (
	"math/bits"

	"github.com/gpubench/gpubench/compute"
)

// Leaf is the longest run of terms Dot and Sum add serially (with several
// interleaved accumulators) before they combine runs pairwise. Runs start
// at multiples of Leaf, so the longest chain of roundings in a sum of n
// terms is at most (Leaf−1) + ⌈log₂⌈n/Leaf⌉⌉ additions (one more for the
// products of Dot), and the error bound grows like log n rather than n
// (Higham, Accuracy and Stability of Numerical Algorithms, §4.2). A
// caller that splits a reduction across workers keeps the bound, and the
// very bits, by cutting it as BlockLen says. The backend reports Leaf as
// the device's SumLeaf, from which verification derives its tolerance.
//
// 512 keeps a leaf's per-call and horizontal-reduction overhead a few per
// cent of its memory time while a float32 run's bound stays γ(512) ≈
// 3·10⁻⁵ relative to Σ|terms|.
const Leaf = 512

// Dot computes, in T,
//
//	var s T
//	for i := range x { s += x[i] * y[i] }
//	return s
//
// summing in runs of Leaf terms combined pairwise (see Leaf).
func (t *Table[T]) Dot(x, y []T) T {
	if len(y) != len(x) {
		mismatch("Dot", len(x), len(y))
	}
	return t.pairwiseDot(x, y)
}

func (t *Table[T]) pairwiseDot(x, y []T) T {
	if len(x) <= Leaf {
		return t.dot(x, y)
	}
	h := half(len(x))
	return t.pairwiseDot(x[:h], y[:h]) + t.pairwiseDot(x[h:], y[h:])
}

// Sum computes, in T,
//
//	var s T
//	for i := range x { s += x[i] }
//	return s
//
// summing in runs of Leaf terms combined pairwise (see Leaf).
func (t *Table[T]) Sum(x []T) T {
	if len(x) <= Leaf {
		return t.sum(x)
	}
	h := half(len(x))
	return t.Sum(x[:h]) + t.Sum(x[h:])
}

// half is where a sum of n > Leaf terms splits: after the largest power
// of two runs below r = ⌈n/Leaf⌉. Every node of the tree then covers runs
// [i·2ʲ, min((i+1)·2ʲ, r)) for some level j, its depth is ⌈log₂ r⌉, and a
// block of 2ʲ whole runs starting at a multiple of 2ʲ runs sums to the
// same bits on its own as inside the whole (see BlockLen).
func half(n int) int {
	r := (n + Leaf - 1) / Leaf
	return split(r) * Leaf
}

// split is the largest power of two below r ≥ 2.
func split(r int) int { return 1 << (bits.Len(uint(r-1)) - 1) }

// BlockLen is the length of the blocks a parallel Dot or Sum of n terms
// cuts its input into: Leaf·2ᵇ for the smallest b that makes at most
// maxBlocks blocks. Summing each block with Sum (or Dot), in any order
// and on any goroutine, and then the blocks' results in order with
// Partials, gives bit for bit the result of Sum over the whole: the
// blocks are subtrees of its tree, and Partials builds the rest of it.
func BlockLen(n, maxBlocks int) int {
	size := Leaf
	for maxBlocks >= 1 && (n+size-1)/size > maxBlocks {
		size *= 2
	}
	return size
}

// Partials sums p with the same pairwise tree as Sum, one term per run:
// it adds ⌈log₂ len(p)⌉ roundings on the longest path. See BlockLen.
func Partials[T compute.Float](p []T) T {
	switch len(p) {
	case 0:
		return 0
	case 1:
		return p[0]
	}
	h := split(len(p))
	return Partials(p[:h]) + Partials(p[h:])
}
