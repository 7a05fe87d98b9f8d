package gemm

import (
	"sync/atomic"
	"unsafe"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// serialFlops is the size, in 2·m·n·k, below which a call runs on the
// calling goroutine: under it the fork-join costs more than a second
// worker saves (see BenchmarkGemm's parallel cases).
const serialFlops = 4 << 20

// gemm is Gemm after the argument checks, with the micro-kernel for T
// and the level's limit for strips (see runStrips).
func gemm[T compute.Float](ca *Cache[T], kern *kernel[T], stripBBytes int, p *pool.Pool, m, n, k int, alpha T, a, b operand[T], beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scale(m, n, beta, c, ldc)
		return
	}
	workers := 1
	if p != nil && 2*float64(m)*float64(n)*float64(k) >= serialFlops {
		workers = p.Workers()
	}
	j := ca.getJob(workers)
	j.kern = kern
	j.m, j.n, j.k = m, n, k
	j.alpha, j.beta = alpha, beta
	j.a, j.b, j.c = a, b, c
	j.ldc = ldc
	switch {
	case workers == 1:
		j.gm, j.gn = 1, 1
		j.run(0)
	case ceilDiv(m, kern.mr) >= workers && k*ceilDiv(n, kern.nr)*kern.nr*sizeOf[T]() <= stripBBytes:
		j.strip = kern.mr * max(1, min(ceilDiv(m, kern.mr)/(stripsPerWorker*workers), kern.blocks.mc/kern.mr))
		j.next.Store(0)
		// Every worker's buffers are sized here, not by the worker when
		// it joins: a worker late to every call so far would otherwise
		// allocate inside the first call it joins, a measured one.
		np := ceilDiv(n, kern.nr) * kern.nr
		for _, ws := range j.ws[:workers] {
			ws.fitStrips(kern, j.strip, k, np)
		}
		p.RunAny(j.stripsFn)
	default:
		j.gm, j.gn = grid(workers, ceilDiv(m, kern.mr), ceilDiv(n, kern.nr))
		p.Run(j.fn)
	}
	ca.putJob(j)
}

// scale sets C = β·C, and C = 0 without reading it where β = 0.
func scale[T compute.Float](m, n int, beta T, c []T, ldc int) {
	if beta == 1 {
		return
	}
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// grid chooses how to cut tm×tn micro-tiles into gm×gn rectangles,
// gm·gn = workers, minimising the largest rectangle (the critical path),
// then preferring fewer column cuts (each column strip packs its own B,
// each row strip its own A; rows are cut first because B is the larger
// packing).
func grid(workers, tm, tn int) (gm, gn int) {
	best := -1
	for d := workers; d >= 1; d-- {
		if workers%d != 0 {
			continue
		}
		cost := ceilDiv(tm, d) * ceilDiv(tn, workers/d)
		if best < 0 || cost < best {
			best, gm, gn = cost, d, workers/d
		}
	}
	return gm, gn
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// stripsPerWorker is about how many strips each worker gets: enough
// that a late worker's share is small, few enough that each strip
// still reuses a B micro-panel over several A panels.
const stripsPerWorker = 8

func sizeOf[T compute.Float]() int {
	var z T
	return int(unsafe.Sizeof(z))
}

// job is one call's arguments, shared by its workers. fn and stripsFn
// are the bound methods run and runStrips, made once per job so that
// handing them to the pool does not allocate.
type job[T compute.Float] struct {
	kern         *kernel[T]
	m, n, k      int
	alpha, beta  T
	a, b         operand[T]
	c            []T
	ldc          int
	gm, gn       int
	strip        int          // rows per strip, a multiple of mr
	next         atomic.Int64 // the next strip to take
	ws           []*workspace[T]
	fn, stripsFn func(w int)
}

// runStrips takes strips of C off j.next until none are left: a worker
// packs all of B (every kc block) into its own buffer, which gemm has
// sized, before its first strip, then for each strip and kc block packs
// the strip's rows of A and runs the macro-kernel over all of B's
// columns.
func (j *job[T]) runStrips(w int) {
	kern := j.kern
	kc := kern.blocks.kc
	np := ceilDiv(j.n, kern.nr) * kern.nr // B's columns, padded to whole panels
	var ws *workspace[T]
	for {
		i0 := int(j.next.Add(1)-1) * j.strip
		if i0 >= j.m {
			return
		}
		if ws == nil {
			ws = j.ws[w]
			for pc := 0; pc < j.k; pc += kc {
				kern.packOpB(ws.b[pc*np:], j.b.at(pc, 0), min(kc, j.k-pc), j.n)
			}
		}
		mb := min(j.strip, j.m-i0)
		for pc := 0; pc < j.k; pc += kc {
			kb := min(kc, j.k-pc)
			bet := j.beta
			if pc > 0 {
				bet = 1
			}
			kern.packOpA(ws.a, j.a.at(i0, pc), mb, kb)
			macro(kern, ws.tile, ws.a, ws.b[pc*np:], mb, j.n, kb, j.alpha, bet, j.c[i0*j.ldc:], j.ldc)
		}
	}
}

// run computes worker w's rectangle of C: row strip w/gn, column strip
// w%gn of the gm×gn grid, cut on micro-tile boundaries.
func (j *job[T]) run(w int) {
	mr, nr := j.kern.mr, j.kern.nr
	i0, i1 := pool.Chunk(j.m, j.gm, mr, w/j.gn)
	j0, j1 := pool.Chunk(j.n, j.gn, nr, w%j.gn)
	if i0 == i1 || j0 == j1 {
		return
	}
	ws := j.ws[w]
	ws.fit(j.kern)
	block(j.kern, ws, i1-i0, j1-j0, j.k, j.alpha,
		j.a.at(i0, 0), j.b.at(0, j0), j.beta, j.c[i0*j.ldc+j0:], j.ldc)
}

// block runs the five BLIS loops on one m×n rectangle of C with the
// buffers of ws.
func block[T compute.Float](kern *kernel[T], ws *workspace[T], m, n, k int, alpha T, a, b operand[T], beta T, c []T, ldc int) {
	bs := kern.blocks
	for jc := 0; jc < n; jc += bs.nc {
		nb := min(bs.nc, n-jc)
		for pc := 0; pc < k; pc += bs.kc {
			kb := min(bs.kc, k-pc)
			kern.packOpB(ws.b, b.at(pc, jc), kb, nb)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += bs.mc {
				mb := min(bs.mc, m-ic)
				kern.packOpA(ws.a, a.at(ic, pc), mb, kb)
				macro(kern, ws.tile, ws.a, ws.b, mb, nb, kb, alpha, bet, c[ic*ldc+jc:], ldc)
			}
		}
	}
}

// macro runs the two innermost loops: C = α·A·B + β·C on an m×n block
// of C from a packed m×k block of A and a packed k×n block of B, with
// the micro-kernel over each mr×nr tile, jr outer so that a B
// micro-panel stays in L1 while A's panels pass.
func macro[T compute.Float](kern *kernel[T], tile, ap, bp []T, m, n, k int, alpha, beta T, c []T, ldc int) {
	mr, nr := kern.mr, kern.nr
	for jr := 0; jr < n; jr += nr {
		bpj := bp[jr*k : (jr+nr)*k]
		nrr := min(nr, n-jr)
		for ir := 0; ir < m; ir += mr {
			api := ap[ir*k : (ir+mr)*k]
			mrr := min(mr, m-ir)
			ct := c[ir*ldc+jr:]
			if mrr == mr && nrr == nr {
				kern.fn(k, api, bpj, ct, ldc, alpha, beta)
				continue
			}
			kern.fn(k, api, bpj, tile, nr, 1, 0)
			merge(mrr, nrr, alpha, tile, nr, beta, ct, ldc)
		}
	}
}

// merge sets C = α·T + β·C on an m×n edge tile, not reading C where β = 0.
func merge[T compute.Float](m, n int, alpha T, t []T, ldt int, beta T, c []T, ldc int) {
	for i := range m {
		ti := t[i*ldt : i*ldt+n]
		ci := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			for j, v := range ti {
				ci[j] = alpha * v
			}
		case 1:
			for j, v := range ti {
				ci[j] += alpha * v
			}
		default:
			for j, v := range ti {
				ci[j] = alpha*v + beta*ci[j]
			}
		}
	}
}
