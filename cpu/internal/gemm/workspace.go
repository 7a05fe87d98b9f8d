package gemm

import (
	"math"
	"sync"
	"unsafe"

	"github.com/gpubench/gpubench/compute"
)

// workspace holds one worker's packing buffers: A's mc×kc block, B's
// kc×nc block and a scratch mr×nr tile for edge tiles, each rounded up to
// whole panels and aligned to 64 bytes (a cache line, a zmm register).
type workspace[T compute.Float] struct {
	a, b, tile []T
}

// Cache keeps one caller's workspaces and jobs between calls of Gemm: a
// call takes what it needs and gives it back, so steady-state calls do
// not allocate. Unlike a sync.Pool, a garbage collection does not empty
// it. The zero Cache is ready to use; calls may share one concurrently.
// A Cache must not be copied after first use.
type Cache[T compute.Float] struct {
	mu   sync.Mutex
	ws   []*workspace[T]
	jobs []*job[T]
}

// getJob returns a job with workers workspaces sized for the job's
// kernel, which the caller sets before use.
func (ca *Cache[T]) getJob(workers int) *job[T] {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	j, ok := pop(&ca.jobs)
	if !ok {
		j = new(job[T])
		j.fn = j.run
		j.stripsFn = j.runStrips
	}
	for len(j.ws) < workers {
		w, ok := pop(&ca.ws)
		if !ok {
			w = new(workspace[T])
		}
		j.ws = append(j.ws, w)
	}
	return j
}

// Poison fills every workspace the cache keeps, idle or in an idle
// job, with NaN: a call packs each block and edge tile before it reads
// it, so a correct call gives the same result after it.
func (ca *Cache[T]) Poison() {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	ws := ca.ws
	for _, j := range ca.jobs {
		ws = append(ws[:len(ws):len(ws)], j.ws...)
	}
	nan := T(math.NaN())
	for _, w := range ws {
		for _, buf := range [][]T{w.a, w.b, w.tile} {
			for i := range buf {
				buf[i] = nan
			}
		}
	}
}

// pop takes the last element off *s, if it has one.
func pop[E any](s *[]E) (e E, ok bool) {
	n := len(*s)
	if n == 0 {
		return e, false
	}
	e = (*s)[n-1]
	*s = (*s)[:n-1]
	return e, true
}

// putJob gives a job and its workspaces back, dropping its references to
// the caller's matrices.
func (ca *Cache[T]) putJob(j *job[T]) {
	j.a, j.b, j.c = operand[T]{}, operand[T]{}, nil
	ca.mu.Lock()
	ca.jobs = append(ca.jobs, j)
	ca.mu.Unlock()
}

// fit grows ws's buffers to hold kernel k's blocks.
func (ws *workspace[T]) fit(k *kernel[T]) {
	bs := k.blocks
	ws.a = grow(ws.a, ceilDiv(bs.mc, k.mr)*k.mr*bs.kc)
	ws.b = grow(ws.b, ceilDiv(bs.nc, k.nr)*k.nr*bs.kc)
	ws.tile = grow(ws.tile, k.mr*k.nr)
}

// fitStrips grows ws's buffers for runStrips: A's strip×kc block, all
// of B's k×np, and the edge tile.
func (ws *workspace[T]) fitStrips(k *kernel[T], strip, kk, np int) {
	ws.a = grow(ws.a, strip*k.blocks.kc)
	ws.b = grow(ws.b, kk*np)
	ws.tile = grow(ws.tile, k.mr*k.nr)
}

// grow returns s if it holds n elements, else a new 64-byte aligned
// slice of n elements.
func grow[T compute.Float](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	pad := 64 / sizeOf[T]()
	buf := make([]T, n+pad)
	off := 0
	for uintptr(unsafe.Pointer(&buf[off]))%64 != 0 {
		off++
	}
	return buf[off : off+n : off+n]
}
