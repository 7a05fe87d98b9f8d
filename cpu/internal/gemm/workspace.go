package gemm

import (
	"sync"
	"unsafe"
)

// workspace holds one worker's packing buffers: A's mc×kc block, B's
// kc×nc block and a scratch mr×nr tile for edge tiles, each rounded up to
// whole panels and aligned to 64 bytes (a cache line, a zmm register).
type workspace[T float] struct {
	a, b, tile []T
}

// cache keeps workspaces and jobs between calls: a call takes what it
// needs and gives it back, so steady-state calls do not allocate. Unlike a
// sync.Pool, a garbage collection does not empty it.
type cache[T float] struct {
	mu   sync.Mutex
	ws   []*workspace[T]
	jobs []*job[T]
}

var (
	cache32 cache[float32]
	cache64 cache[float64]
)

// getJob returns a job with workers workspaces sized for the job's
// kernel, which the caller sets before use.
func (ca *cache[T]) getJob(workers int) *job[T] {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	var j *job[T]
	if n := len(ca.jobs); n > 0 {
		j = ca.jobs[n-1]
		ca.jobs = ca.jobs[:n-1]
	} else {
		j = new(job[T])
		j.fn = j.run
		j.stripsFn = j.runStrips
	}
	for len(j.ws) < workers {
		var w *workspace[T]
		if n := len(ca.ws); n > 0 {
			w = ca.ws[n-1]
			ca.ws = ca.ws[:n-1]
		} else {
			w = new(workspace[T])
		}
		j.ws = append(j.ws, w)
	}
	return j
}

// putJob gives a job and its workspaces back, dropping its references to
// the caller's matrices.
func (ca *cache[T]) putJob(j *job[T]) {
	j.a, j.b, j.c = nil, nil, nil
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
func grow[T float](s []T, n int) []T {
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
