package gemm

import (
	"github.com/gpubench/gpubench/cpu/pool"
)

type float interface{ ~float32 | ~float64 }

// serialFlops is the size, in 2·m·n·k, below which a call runs on the
// calling goroutine: under it the fork-join costs more than a second
// worker saves (see BenchmarkGemm's parallel cases).
const serialFlops = 4 << 20

// gemm is Gemm32 and Gemm64 after the argument checks.
func gemm[T float](ca *cache[T], kern *kernel[T], p *pool.Pool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
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
	j.lda, j.ldb, j.ldc = lda, ldb, ldc
	j.gm, j.gn = grid(workers, ceilDiv(m, kern.mr), ceilDiv(n, kern.nr))
	if workers == 1 {
		j.run(0)
	} else {
		p.Run(j.fn)
	}
	ca.putJob(j)
}

// scale sets C = β·C, and C = 0 without reading it where β = 0.
func scale[T float](m, n int, beta T, c []T, ldc int) {
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

// job is one call's arguments, shared by its workers. fn is the bound
// method run, made once per job so that handing it to the pool does not
// allocate.
type job[T float] struct {
	kern          *kernel[T]
	m, n, k       int
	alpha, beta   T
	a, b, c       []T
	lda, ldb, ldc int
	gm, gn        int
	ws            []*workspace[T]
	fn            func(w int)
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
		j.a[i0*j.lda:], j.lda, j.b[j0:], j.ldb, j.beta, j.c[i0*j.ldc+j0:], j.ldc)
}

// block runs the five BLIS loops on one m×n rectangle of C with the
// buffers of ws.
func block[T float](kern *kernel[T], ws *workspace[T], m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	mr, nr := kern.mr, kern.nr
	bs := kern.blocks
	tile := ws.tile
	for jc := 0; jc < n; jc += bs.nc {
		nb := min(bs.nc, n-jc)
		for pc := 0; pc < k; pc += bs.kc {
			kb := min(bs.kc, k-pc)
			kern.packB(ws.b, b[pc*ldb+jc:], ldb, kb, nb)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += bs.mc {
				mb := min(bs.mc, m-ic)
				kern.packA(ws.a, a[ic*lda+pc:], lda, mb, kb)
				for jr := 0; jr < nb; jr += nr {
					bp := ws.b[jr*kb : (jr+nr)*kb]
					nrr := min(nr, nb-jr)
					for ir := 0; ir < mb; ir += mr {
						ap := ws.a[ir*kb : (ir+mr)*kb]
						mrr := min(mr, mb-ir)
						ct := c[(ic+ir)*ldc+jc+jr:]
						if mrr == mr && nrr == nr {
							kern.fn(kb, ap, bp, ct, ldc, alpha, bet)
							continue
						}
						kern.fn(kb, ap, bp, tile, nr, 1, 0)
						merge(mrr, nrr, alpha, tile, nr, bet, ct, ldc)
					}
				}
			}
		}
	}
}

// merge sets C = α·T + β·C on an m×n edge tile, not reading C where β = 0.
func merge[T float](m, n int, alpha T, t []T, ldt int, beta T, c []T, ldc int) {
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
