package pool

// Chunk is part i of n items cut into parts contiguous chunks whose
// boundaries fall on multiples of align (a cache line's or a vector's
// worth of elements, or a reduction's leaf), except the end of the last
// chunk, which is n. Chunks differ by at most one align block; when there
// are fewer blocks than parts the last parts are empty (lo == hi). It
// panics unless parts ≥ 1, align ≥ 1, n ≥ 0 and 0 ≤ i < parts.
func Chunk(n, parts, align, i int) (lo, hi int) {
	if parts < 1 || align < 1 || n < 0 || i < 0 || i >= parts {
		panic("pool: Chunk needs n ≥ 0, parts ≥ 1, align ≥ 1, 0 ≤ i < parts")
	}
	blocks := (n + align - 1) / align
	q, r := blocks/parts, blocks%parts
	// The last r parts get q+1 blocks, the others q: the last block may be
	// partial, and this way it shortens a part that got an extra one.
	start := func(i int) int { return i*q + max(0, i-(parts-r)) }
	lo, hi = start(i)*align, start(i+1)*align
	return min(lo, n), min(hi, n)
}

// Parts is how many chunks of at least minChunk items (rounded up to
// align) n items are worth cutting into, at most workers: 1 means run
// serially. It lets a caller keep small problems on one goroutine, where
// waking the others would cost more than they save.
func Parts(n, workers, align, minChunk int) int {
	if workers < 1 {
		return 1
	}
	minChunk = max(minChunk, align, 1)
	return max(1, min(workers, n/minChunk))
}
