package kern

import "math/bits"

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

// Dot32 computes, in float32,
//
//	var s float32
//	for i := range x { s += x[i] * y[i] }
//	return s
//
// summing in runs of Leaf terms combined pairwise (see Leaf).
func Dot32(x, y []float32) float32 {
	if len(y) != len(x) {
		mismatch("Dot32", len(x), len(y))
	}
	return dot32(x, y)
}

func dot32(x, y []float32) float32 {
	if len(x) <= Leaf {
		return impl.dot32(x, y)
	}
	h := half(len(x))
	return dot32(x[:h], y[:h]) + dot32(x[h:], y[h:])
}

// Dot64 computes, in float64,
//
//	var s float64
//	for i := range x { s += x[i] * y[i] }
//	return s
//
// summing in runs of Leaf terms combined pairwise (see Leaf).
func Dot64(x, y []float64) float64 {
	if len(y) != len(x) {
		mismatch("Dot64", len(x), len(y))
	}
	return dot64(x, y)
}

func dot64(x, y []float64) float64 {
	if len(x) <= Leaf {
		return impl.dot64(x, y)
	}
	h := half(len(x))
	return dot64(x[:h], y[:h]) + dot64(x[h:], y[h:])
}

// Sum32 computes, in float32,
//
//	var s float32
//	for i := range x { s += x[i] }
//	return s
//
// summing in runs of Leaf terms combined pairwise (see Leaf).
func Sum32(x []float32) float32 {
	if len(x) <= Leaf {
		return impl.sum32(x)
	}
	h := half(len(x))
	return Sum32(x[:h]) + Sum32(x[h:])
}

// Sum64 computes, in float64,
//
//	var s float64
//	for i := range x { s += x[i] }
//	return s
//
// summing in runs of Leaf terms combined pairwise (see Leaf).
func Sum64(x []float64) float64 {
	if len(x) <= Leaf {
		return impl.sum64(x)
	}
	h := half(len(x))
	return Sum64(x[:h]) + Sum64(x[h:])
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
// maxBlocks blocks. Summing each block with Sum32 (or Dot32), in any
// order and on any goroutine, and then the blocks' results in order with
// Partials32, gives bit for bit the result of Sum32 over the whole: the
// blocks are subtrees of its tree, and Partials32 builds the rest of it.
func BlockLen(n, maxBlocks int) int {
	size := Leaf
	for maxBlocks >= 1 && (n+size-1)/size > maxBlocks {
		size *= 2
	}
	return size
}

// Partials32 sums p with the same pairwise tree as Sum32, one term per
// run: it adds ⌈log₂ len(p)⌉ roundings on the longest path. See BlockLen.
func Partials32(p []float32) float32 {
	switch len(p) {
	case 0:
		return 0
	case 1:
		return p[0]
	}
	h := split(len(p))
	return Partials32(p[:h]) + Partials32(p[h:])
}

// Partials64 is Partials32 for float64.
func Partials64(p []float64) float64 {
	switch len(p) {
	case 0:
		return 0
	case 1:
		return p[0]
	}
	h := split(len(p))
	return Partials64(p[:h]) + Partials64(p[h:])
}
