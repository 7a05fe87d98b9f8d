package gemm

import "github.com/gpubench/gpubench/compute"

// microKernel computes one mr×nr tile of C from an A panel (mr rows, kc
// columns, stored column by column) and a B panel (kc rows, nr columns,
// stored row by row):
//
//	C[i*ldc+j] = α·Σ_{p<kc} a[p*mr+i]·b[p*nr+j] + β·C[i*ldc+j]
//
// for i < mr, j < nr, summing p in order with fused multiply-adds. β = 0
// writes C without reading it. kc ≥ 1.
type microKernel[T compute.Float] func(kc int, a, b, c []T, ldc int, alpha, beta T)

// kernel is a micro-kernel with its tile and the block sizes that suit it.
type kernel[T compute.Float] struct {
	name   string
	mr, nr int
	fn     microKernel[T]
	blocks blocks
	// packA packs an m×k block of A into ⌈m/mr⌉ panels, packB a k×n
	// block of B into ⌈n/nr⌉ panels, as packA and packB in pack.go,
	// from row-major storage (packOpA and packOpB take either).
	packA func(dst, a []T, lda, m, k int)
	packB func(dst, b []T, ldb, k, n int)
}

// blocks are the BLIS cache block sizes: A's mc×kc block stays in L2,
// B's kc×nr micro-panel in L1, B's kc×nc block in L3. mc is a multiple of
// mr, nc of nr.
type blocks struct{ mc, kc, nc int }

// Caches are the CPU's cache sizes in bytes, which the block sizes and
// the strips' limit derive from. CachesOf makes them from what a probe
// found.
type Caches struct{ L1D, L2, L3 int }

// CachesOf are the caches of the given sizes in bytes (sysfs's, else
// CPUID's cache leaves), with common values for those the probe did not
// find (≤ 0). A VM may report its host's whole L3: it bounds only nc,
// which one page of C per row bounds first.
// Measurements: docs/methodology.md#why-these-constants.
func CachesOf(l1d, l2, l3 int) Caches {
	return Caches{
		L1D: orDefault(l1d, 32<<10),
		L2:  orDefault(l2, 1<<20),
		L3:  orDefault(l3, 8<<20),
	}
}

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// blocking derives block sizes for an mr×nr kernel on elements of size
// bytes (Low, Igual, Smith and Quintana-Ortí, "Analytical Modeling Is
// Enough for High-Performance BLIS", TOMS 2016, simplified):
//   - kc: the B micro-panel (kc·nr), reused by every A micro-panel of
//     the block, takes up to four thirds of L1. The analytical model
//     gives it two thirds, leaving the rest to the A micro-panel and
//     C's tile; but a longer kc halves the passes that read and write
//     all of C and the C tile's loads and stores per FMA, and L2 feeds
//     the part of the micro-panel that spills L1 fast enough.
//   - mc: the packed A block (mc·kc) takes a quarter of L2, leaving room
//     for B's micro-panels passing through and for C;
//   - nc: one 4 KiB page of C per row (1024 float32, 512 float64), and
//     the packed B block (kc·nc) at most a quarter of L3, which other
//     cores share. BLIS keeps B's block in L3 and bounds nc by it alone
//     (4096 here before); but one pass over an A block writes mc rows of
//     C, nc·size bytes each, and at n = 4096 (16 KiB rows) those pages
//     outgrow the second-level TLB.
//
// Measurements of kc and nc: docs/methodology.md#why-these-constants.
//
// kc is a multiple of 8 in [64, 512], mc a multiple of mr in [mr, 1024],
// nc a multiple of nr in [nr, 4096/size].
func blocking(cs Caches, mr, nr, size int) blocks {
	const pageBytes = 4096
	kc := cs.L1D * 4 / 3 / (nr * size)
	kc = max(64, min(kc, 512)) &^ 7
	mc := cs.L2 / 4 / (kc * size)
	mc = max(mr, min(mc, 1024)/mr*mr)
	nc := min(pageBytes/size, cs.L3/4/(kc*size))
	nc = max(nr, nc/nr*nr)
	return blocks{mc: mc, kc: kc, nc: nc}
}

func newKernel[T compute.Float](cs Caches, name string, mr, nr int, fn microKernel[T]) *kernel[T] {
	return &kernel[T]{name: name, mr: mr, nr: nr, fn: fn, blocks: blocking(cs, mr, nr, sizeOf[T]()),
		packA: func(dst, a []T, lda, m, k int) { packA(dst, a, lda, m, k, mr) },
		packB: func(dst, b []T, ldb, k, n int) { packB(dst, b, ldb, k, n, nr) },
	}
}
