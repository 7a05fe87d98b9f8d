package cpu

import (
	"runtime"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/gemm"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// minBytesPerWorker is the least memory traffic (bytes read plus bytes
// written) worth giving each worker: below 2× this a kernel runs on the
// calling goroutine alone, and above it on as many workers as get this
// much each. It is the least at which every kernel gains from a second
// worker, measured with BenchmarkCutoff (bench_test.go).
// Measurements: docs/methodology.md#why-these-constants.
//
// Each backend holds it (split.minBytesPerWorker), so that tests can
// force the parallel path at small sizes.
const minBytesPerWorker = 256 << 10

// lineBytes is the cache line: chunk boundaries fall on multiples of it,
// so no two workers write the same line.
const lineBytes = 64

// maxCallCost bounds the work of one kernel call on one goroutine: bytes
// moved, or for fma element-steps and bytes. A goroutine inside an
// assembly loop cannot be preempted, so one call of seconds on every
// worker would hold every other goroutine off the CPUs until it returns,
// the one that handles Ctrl-C included; cut in calls of this much, with
// a yield between them, a section lets them in within a few
// milliseconds, and a section of common size is one call, as before
// (measurements: docs/methodology.md#why-these-constants). Each backend
// holds it (split.maxCallCost), so that tests can cut small sections.
const maxCallCost = 64 << 20

// maxBlocks is how many blocks a parallel reduction on parts workers
// cuts its input into: eight per worker keeps the last worker's extra
// block under an eighth of its share.
func maxBlocks(parts int) int { return 8 * parts }

// split is how a backend shares kernels out: its pool of workers, the
// least traffic worth giving each of them, and the traffic from which
// the STREAM kernels store non-temporally (see streamFrom).
type split struct {
	pool              *pool.Pool
	minBytesPerWorker int
	maxCallCost       int
	ntFrom            int
}

// parts is how many workers a kernel moving bytes of memory runs on.
func (sp *split) parts(bytes int) int {
	return max(1, min(sp.pool.Workers(), bytes/sp.minBytesPerWorker))
}

// runner runs the kernels of one dtype on the backend's workers: the
// engine's kernels for T, the dispatch table, gemm's buffers, and the
// parallel section the workers read. The Backend owns one per dtype, so
// a launch allocates nothing.
type runner[T compute.Float] struct {
	split     *split
	size      int // bytes per element
	align     int // elements per cache line
	kern      *kern.Table[T]
	gemmLevel *gemm.Level
	cache     gemm.Cache[T]
	table     []kernelFunc[T]
	op        operands[T] // the launch Run is running
	t         task[T]
	work      func(int) // t.run as a func value, made once so a launch does not allocate
}

// init readies r to run on engine e with sp's workers.
func (r *runner[T]) init(sp *split, e *Engine) {
	r.split = sp
	r.size = compute.DTypeOf[T]().Size()
	r.align = lineBytes / r.size
	r.kern = kern.For[T](e.Kern())
	r.gemmLevel = e.Gemm()
	r.table = table[T]()
	r.t.kern = r.kern
	r.t.partial = make([]T, maxBlocks(sp.pool.Workers()))
	r.work = r.t.run
}

// task is one parallel section: workers call run, each doing its chunk
// of units items (elements, rows, columns or reduction blocks).
type task[T compute.Float] struct {
	kernel       compute.Kernel
	kern         *kern.Table[T]
	parts, units int
	align        int
	nt           bool // copy, scale, add, triad: non-temporal stores
	a            T
	// o is the output; x and y the operands (gemv: x is A, y is x).
	o, x, y  []T
	m, n     int // matrix kernels: A is m×n
	k        int // fma: steps per element
	blockLen int // reductions: elements per block
	partial  []T
	// cost is the work of one unit, and budget that of one call, as
	// maxCallCost counts them; a call's units are a multiple of grain.
	cost, budget, grain int
}

// clear drops the task's references to buffers.
func (t *task[T]) clear() { t.o, t.x, t.y = nil, nil, nil }

// run is worker w's share of the section.
func (t *task[T]) run(w int) {
	if w >= t.parts {
		return
	}
	lo, hi := pool.Chunk(t.units, t.parts, t.align, w)
	t.doBounded(lo, hi)
}

// callGrain is the least a call of elements is cut to, in cache lines:
// 64 lines is a multiple of every assembly kernel's block (fma runs 16
// vectors of chains at once), so that no cut leaves a kernel a slower
// tail. fma 1Mi×4096 cut at whole cache lines ran 3 % slower, 14 vectors
// in each call going through the tail. Rows and columns (gemv,
// transpose) are cut at whole cache lines: a row's kernel runs along the
// row, and 64 lines of long rows would be far beyond maxCallCost.
const callGrain = 64

// doBounded runs items [lo, hi) of the task in calls of at most
// maxCallCost each (whole multiples of grain), yielding the processor
// between them.
func (t *task[T]) doBounded(lo, hi int) {
	step := hi - lo
	if t.cost > 0 && step > t.budget/t.cost {
		step = max(t.budget/t.cost/t.grain, 1) * t.grain
	}
	for lo < hi {
		end := min(hi, lo+step)
		t.do(lo, end)
		if lo = end; lo < hi {
			runtime.Gosched()
		}
	}
}

// do runs items [lo, hi) of the task.
func (t *task[T]) do(lo, hi int) {
	switch t.kernel {
	case compute.Copy:
		if t.nt {
			t.kern.CopyNT(t.o[lo:hi], t.x[lo:hi])
		} else {
			t.kern.Copy(t.o[lo:hi], t.x[lo:hi])
		}
	case compute.Scale:
		if t.nt {
			t.kern.ScaleNT(t.o[lo:hi], t.a, t.x[lo:hi])
		} else {
			t.kern.Scale(t.o[lo:hi], t.a, t.x[lo:hi])
		}
	case compute.Add:
		if t.nt {
			t.kern.AddNT(t.o[lo:hi], t.x[lo:hi], t.y[lo:hi])
		} else {
			t.kern.Add(t.o[lo:hi], t.x[lo:hi], t.y[lo:hi])
		}
	case compute.Triad:
		if t.nt {
			t.kern.TriadNT(t.o[lo:hi], t.x[lo:hi], t.a, t.y[lo:hi])
		} else {
			t.kern.Triad(t.o[lo:hi], t.x[lo:hi], t.a, t.y[lo:hi])
		}
	case compute.Saxpy:
		t.kern.Axpy(t.o[lo:hi], t.a, t.x[lo:hi], t.y[lo:hi])
	case compute.Dot, compute.Sum:
		// Items are blocks of blockLen elements; see reduce.
		for i := lo; i < hi; i++ {
			s := i * t.blockLen
			e := min(s+t.blockLen, len(t.x))
			if t.kernel == compute.Dot {
				t.partial[i] = t.kern.Dot(t.x[s:e], t.y[s:e])
			} else {
				t.partial[i] = t.kern.Sum(t.x[s:e])
			}
		}
	case compute.Gemv:
		// Items are rows of A.
		t.kern.Gemv(t.o[lo:hi], t.x[lo*t.n:hi*t.n], t.n, t.y)
	case compute.Transpose:
		// Items are columns of A, rows of out: each worker writes one
		// contiguous stretch of out.
		t.kern.Transpose(t.o[lo*t.m:hi*t.m], t.m, t.x[lo:], t.n, t.m, hi-lo)
	case compute.FMA:
		t.kern.FMA(t.o[lo:hi], t.x[lo:hi], compute.FMAMul, compute.FMAAdd, t.k)
	}
}

// start runs the task: on the calling goroutine when parts is 1, else on
// the pool.
func (r *runner[T]) start(units int) {
	t := &r.t
	t.units, t.budget = units, r.split.maxCallCost
	if t.parts <= 1 {
		t.doBounded(0, units)
		t.clear()
		return
	}
	r.split.pool.Run(r.work)
	t.clear()
}

// elementwise runs copy, scale, add, triad or saxpy (o.kernel) over
// chunks of whole cache lines; the STREAM four store non-temporally from
// the backend's measured crossover on (split.ntFrom). saxpy never does:
// it writes the lines it has just read, which are in the cache already.
func (r *runner[T]) elementwise(o *operands[T]) {
	bytes := elemBytes(o.kernel, len(o.out), r.size)
	r.stream(o, o.kernel != compute.Saxpy && bytes >= r.split.ntFrom)
}

// stream is elementwise with non-temporal stores or without.
func (r *runner[T]) stream(o *operands[T], nt bool) {
	t := &r.t
	t.kernel, t.o, t.x, t.y, t.a, t.nt = o.kernel, o.out, o.in[0], o.in[1], o.alpha, nt
	t.align = r.align
	t.parts = r.split.parts(elemBytes(o.kernel, len(o.out), r.size))
	t.cost, t.grain = elemBytes(o.kernel, 1, r.size), callGrain*r.align
	r.start(len(o.out))
	t.nt = false
}

// elemBytes is the traffic of an elementwise kernel over n elements.
func elemBytes(k compute.Kernel, n, size int) int {
	streams := 3 // two read, one written
	if k == compute.Copy || k == compute.Scale {
		streams = 2
	}
	return streams * n * size
}

// copy copies src into dst, of the same length, on the workers, through
// the cache: its caller reads dst next.
func (r *runner[T]) copy(dst, src []T) {
	r.stream(&operands[T]{kernel: compute.Copy, in: [3][]T{src}, out: dst}, false)
}

// fma runs the fma kernel's k-step chains over chunks of whole cache
// lines. Its cost is in arithmetic, not traffic: each element-step
// counts as a byte moved when choosing the workers, which on any level
// takes longer than a byte of streaming (a few ns per hundred steps).
func (r *runner[T]) fma(o *operands[T]) {
	out, k := o.out, o.shape.K
	t := &r.t
	t.kernel, t.o, t.x, t.k = compute.FMA, out, o.in[0], k
	t.align = r.align
	t.parts = r.split.parts(2*len(out)*r.size + len(out)*k)
	t.cost, t.grain = 2*r.size+k, callGrain*r.align
	r.start(len(out))
}

// reduction runs dot or sum (o.kernel) into out's one element.
func (r *runner[T]) reduction(o *operands[T]) {
	o.out[0] = r.reduce(o.kernel, o.in[0], o.in[1])
}

// reduce computes Dot(x, y) or Sum(x) of the level's table, bit for bit,
// on the workers. The input is cut into blocks as kern.BlockLen says (a
// power of two times kern.Leaf elements, so every boundary is a multiple
// of Leaf and of a cache line), each worker sums whole blocks, and the
// blocks' results are combined by kern.Partials. The blocks are subtrees
// of the serial pairwise tree and Partials builds the rest of it, so the
// longest chain of roundings is that of the serial kernel,
// (Leaf−1) + ⌈log₂⌈n/Leaf⌉⌉ additions (one more for dot's products):
// the depth compute.Kernel.Depth assumes for SumLeaf = kern.Leaf.
func (r *runner[T]) reduce(k compute.Kernel, x, y []T) T {
	streams := 1
	if k == compute.Dot {
		streams = 2
	}
	bytes := streams * len(x) * r.size
	parts := r.split.parts(bytes)
	// A reduction past maxCallCost on one worker goes through the blocks
	// too (the same sum, bit for bit), so that its calls stay bounded.
	if parts == 1 && bytes <= r.split.maxCallCost {
		if k == compute.Dot {
			return r.kern.Dot(x, y)
		}
		return r.kern.Sum(x)
	}
	t := &r.t
	t.kernel, t.x, t.y = k, x, y
	t.blockLen = kern.BlockLen(len(x), maxBlocks(parts))
	nb := (len(x) + t.blockLen - 1) / t.blockLen
	t.parts, t.align = parts, 1
	t.cost, t.grain = streams*t.blockLen*r.size, 1
	r.start(nb)
	return kern.Partials(t.partial[:nb])
}

// gemv computes out = A·x over chunks of rows; chunk boundaries are
// multiples of a cache line of out.
func (r *runner[T]) gemv(o *operands[T]) {
	m, n := o.shape.M, o.shape.N
	t := &r.t
	t.kernel, t.o, t.x, t.y, t.m, t.n = compute.Gemv, o.out, o.in[0], o.in[1], m, n
	t.align = r.align
	t.parts = r.split.parts((m*n + n + m) * r.size)
	t.cost, t.grain = (n+1)*r.size, r.align
	r.start(m)
}

// transpose computes out = Aᵀ over chunks of A's columns, which are
// contiguous rows of out.
func (r *runner[T]) transpose(o *operands[T]) {
	m, n := o.shape.M, o.shape.N
	t := &r.t
	t.kernel, t.o, t.x, t.m, t.n = compute.Transpose, o.out, o.in[0], m, n
	t.align = r.align
	t.parts = r.split.parts(2 * m * n * r.size)
	t.cost, t.grain = 2*m*r.size, r.align
	r.start(n)
}

// gemm computes out = α·A·B + β·C: C copied into out where β ≠ 0, then
// gemm's product at the engine's level on all the workers, updating out
// in place (cpu/internal/gemm splits it).
func (r *runner[T]) gemm(o *operands[T]) {
	s := o.shape
	if o.beta != 0 {
		r.copy(o.out, o.in[2])
	}
	gemm.Gemm(r.gemmLevel, &r.cache, r.split.pool, s.M, s.N, s.K, o.alpha, o.in[0], s.K, o.in[1], s.N, o.beta, o.out, s.N)
}
