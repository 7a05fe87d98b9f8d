package cpu

import (
	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

// minBytesPerWorker is the least memory traffic (bytes read plus bytes
// written) worth giving each worker: below 2× this a kernel runs on the
// calling goroutine alone, and above it on as many workers as get this
// much each. Measured with BenchmarkCutoff (bench_test.go) on the 2-vCPU
// Sapphire Rapids VM (AVX-512, load ≈ 1 from other users), float32,
// medians of 10, serial vs 2 workers by total traffic:
//
//	traffic   copy    saxpy   dot
//	64 KiB    ~       ~       +81%
//	256 KiB   −24%    −19%    +31%
//	512 KiB   −37%    −33%    −26%
//	1 MiB     −44%    −42%    −23%
//
// A fork-join costs about 0.8 µs here (4 KiB: 70 ns serial, 850 ns on
// two workers); 256 KiB per worker is the least at which every kernel
// gains from the second one (dot, which writes nothing, gains later).
//
// A variable so that tests can force the parallel path at small sizes.
var minBytesPerWorker = 256 << 10

// lineBytes is the cache line: chunk boundaries fall on multiples of it,
// so no two workers write the same line.
const lineBytes = 64

// maxBlocks is how many blocks a parallel reduction on parts workers
// cuts its input into: eight per worker keeps the last worker's extra
// block under an eighth of its share.
func maxBlocks(parts int) int { return 8 * parts }

// parts is how many workers a kernel moving bytes of memory runs on.
func (b *Backend) parts(bytes int) int {
	return max(1, min(b.pool.Workers(), bytes/minBytesPerWorker))
}

type op int

const (
	opCopy op = iota
	opScale
	opAdd
	opTriad
	opAxpy
	opDot
	opSum
	opGemv
	opTranspose
	opFMA
)

// task is one parallel section: workers call run, each doing its chunk
// of units items (elements, rows, columns or reduction blocks). The
// Backend owns one, so a launch allocates nothing.
type task struct {
	op           op
	wide         bool // float64: the *64 fields are in use, else the *32
	parts, units int
	align        int
	a32          float32
	a64          float64
	// o is the output; x and y the operands (gemv: x is A, y is x).
	o32, x32, y32 []float32
	o64, x64, y64 []float64
	m, n          int // matrix kernels: A is m×n
	k             int // fma: steps per element
	blockLen      int // reductions: elements per block
	partial32     []float32
	partial64     []float64
}

// clear drops the task's references to buffers.
func (t *task) clear() {
	t.o32, t.x32, t.y32 = nil, nil, nil
	t.o64, t.x64, t.y64 = nil, nil, nil
}

// run is worker w's share of the section.
func (t *task) run(w int) {
	if w >= t.parts {
		return
	}
	lo, hi := pool.Chunk(t.units, t.parts, t.align, w)
	if lo < hi {
		t.do(lo, hi)
	}
}

// do runs items [lo, hi) of the task.
func (t *task) do(lo, hi int) {
	switch t.op {
	case opCopy:
		if !t.wide {
			kern.Copy32(t.o32[lo:hi], t.x32[lo:hi])
		} else {
			kern.Copy64(t.o64[lo:hi], t.x64[lo:hi])
		}
	case opScale:
		if !t.wide {
			kern.Scale32(t.o32[lo:hi], t.a32, t.x32[lo:hi])
		} else {
			kern.Scale64(t.o64[lo:hi], t.a64, t.x64[lo:hi])
		}
	case opAdd:
		if !t.wide {
			kern.Add32(t.o32[lo:hi], t.x32[lo:hi], t.y32[lo:hi])
		} else {
			kern.Add64(t.o64[lo:hi], t.x64[lo:hi], t.y64[lo:hi])
		}
	case opTriad:
		if !t.wide {
			kern.Triad32(t.o32[lo:hi], t.x32[lo:hi], t.a32, t.y32[lo:hi])
		} else {
			kern.Triad64(t.o64[lo:hi], t.x64[lo:hi], t.a64, t.y64[lo:hi])
		}
	case opAxpy:
		if !t.wide {
			kern.Axpy32(t.o32[lo:hi], t.a32, t.x32[lo:hi], t.y32[lo:hi])
		} else {
			kern.Axpy64(t.o64[lo:hi], t.a64, t.x64[lo:hi], t.y64[lo:hi])
		}
	case opDot, opSum:
		// Items are blocks of blockLen elements; see reduce32.
		for i := lo; i < hi; i++ {
			s := i * t.blockLen
			if !t.wide {
				e := min(s+t.blockLen, len(t.x32))
				if t.op == opDot {
					t.partial32[i] = kern.Dot32(t.x32[s:e], t.y32[s:e])
				} else {
					t.partial32[i] = kern.Sum32(t.x32[s:e])
				}
			} else {
				e := min(s+t.blockLen, len(t.x64))
				if t.op == opDot {
					t.partial64[i] = kern.Dot64(t.x64[s:e], t.y64[s:e])
				} else {
					t.partial64[i] = kern.Sum64(t.x64[s:e])
				}
			}
		}
	case opGemv:
		// Items are rows of A.
		if !t.wide {
			kern.Gemv32(t.o32[lo:hi], t.x32[lo*t.n:hi*t.n], t.n, t.y32)
		} else {
			kern.Gemv64(t.o64[lo:hi], t.x64[lo*t.n:hi*t.n], t.n, t.y64)
		}
	case opTranspose:
		// Items are columns of A, rows of out: each worker writes one
		// contiguous stretch of out.
		if !t.wide {
			kern.Transpose32(t.o32[lo*t.m:hi*t.m], t.m, t.x32[lo:], t.n, t.m, hi-lo)
		} else {
			kern.Transpose64(t.o64[lo*t.m:hi*t.m], t.m, t.x64[lo:], t.n, t.m, hi-lo)
		}
	case opFMA:
		if !t.wide {
			kern.FMA32(t.o32[lo:hi], t.x32[lo:hi], compute.FMAMul, compute.FMAAdd, t.k)
		} else {
			kern.FMA64(t.o64[lo:hi], t.x64[lo:hi], compute.FMAMul, compute.FMAAdd, t.k)
		}
	}
}

// start runs the task: on the calling goroutine when parts is 1, else on
// the pool.
func (b *Backend) start(units int) {
	t := &b.t
	t.units = units
	if t.parts <= 1 {
		t.do(0, units)
		t.clear()
		return
	}
	b.pool.Run(b.work)
	t.clear()
}

// vector runs an elementwise float32 kernel: chunks of whole cache lines.
func (b *Backend) vector(o op, out, x, y []float32, a float32) {
	t := &b.t
	t.op, t.wide, t.o32, t.x32, t.y32, t.a32 = o, false, out, x, y, a
	t.align = lineBytes / 4
	t.parts = b.parts(elemBytes(o, len(out), 4))
	b.start(len(out))
}

// vector64 is vector for float64.
func (b *Backend) vector64(o op, out, x, y []float64, a float64) {
	t := &b.t
	t.op, t.wide, t.o64, t.x64, t.y64, t.a64 = o, true, out, x, y, a
	t.align = lineBytes / 8
	t.parts = b.parts(elemBytes(o, len(out), 8))
	b.start(len(out))
}

// elemBytes is the traffic of an elementwise kernel over n elements.
func elemBytes(o op, n, size int) int {
	streams := 3 // two read, one written
	if o == opCopy || o == opScale {
		streams = 2
	}
	return streams * n * size
}

// fma32 runs the fma kernel's k-step chains over chunks of whole cache
// lines. Its cost is in arithmetic, not traffic: each element-step
// counts as a byte moved when choosing the workers, which on any level
// takes longer than a byte of streaming (a few ns per hundred steps).
func (b *Backend) fma32(out, x []float32, k int) {
	t := &b.t
	t.op, t.wide, t.o32, t.x32, t.k = opFMA, false, out, x, k
	t.align = lineBytes / 4
	t.parts = b.parts(2*len(out)*4 + len(out)*k)
	b.start(len(out))
}

// fma64 is fma32 for float64.
func (b *Backend) fma64(out, x []float64, k int) {
	t := &b.t
	t.op, t.wide, t.o64, t.x64, t.k = opFMA, true, out, x, k
	t.align = lineBytes / 8
	t.parts = b.parts(2*len(out)*8 + len(out)*k)
	b.start(len(out))
}

func (b *Backend) copy32(dst, src []float32) { b.vector(opCopy, dst, src, nil, 0) }
func (b *Backend) copy64(dst, src []float64) { b.vector64(opCopy, dst, src, nil, 0) }

// reduce32 computes kern.Dot32(x, y) or kern.Sum32(x), bit for bit, on
// the workers. The input is cut into blocks as kern.BlockLen says (a
// power of two times kern.Leaf elements, so every boundary is a multiple
// of Leaf and of a cache line), each worker sums whole blocks, and the
// blocks' results are combined by kern.Partials32. The blocks are
// subtrees of the serial pairwise tree and Partials32 builds the rest of
// it, so the longest chain of roundings is that of the serial kernel,
// (Leaf−1) + ⌈log₂⌈n/Leaf⌉⌉ additions (one more for dot's products):
// the depth compute.Kernel.Depth assumes for SumLeaf = kern.Leaf.
func (b *Backend) reduce32(o op, x, y []float32) float32 {
	streams := 1
	if o == opDot {
		streams = 2
	}
	parts := b.parts(streams * len(x) * 4)
	if parts == 1 {
		if o == opDot {
			return kern.Dot32(x, y)
		}
		return kern.Sum32(x)
	}
	t := &b.t
	t.op, t.wide, t.x32, t.y32 = o, false, x, y
	t.blockLen = kern.BlockLen(len(x), maxBlocks(parts))
	nb := (len(x) + t.blockLen - 1) / t.blockLen
	t.parts, t.align = parts, 1
	b.start(nb)
	return kern.Partials32(t.partial32[:nb])
}

// reduce64 is reduce32 for float64.
func (b *Backend) reduce64(o op, x, y []float64) float64 {
	streams := 1
	if o == opDot {
		streams = 2
	}
	parts := b.parts(streams * len(x) * 8)
	if parts == 1 {
		if o == opDot {
			return kern.Dot64(x, y)
		}
		return kern.Sum64(x)
	}
	t := &b.t
	t.op, t.wide, t.x64, t.y64 = o, true, x, y
	t.blockLen = kern.BlockLen(len(x), maxBlocks(parts))
	nb := (len(x) + t.blockLen - 1) / t.blockLen
	t.parts, t.align = parts, 1
	b.start(nb)
	return kern.Partials64(t.partial64[:nb])
}

// gemv32 computes out = A·x over chunks of rows; chunk boundaries are
// multiples of a cache line of out.
func (b *Backend) gemv32(out, a, x []float32, m, n int) {
	t := &b.t
	t.op, t.wide, t.o32, t.x32, t.y32, t.m, t.n = opGemv, false, out, a, x, m, n
	t.align = lineBytes / 4
	t.parts = b.parts((m*n + n + m) * 4)
	b.start(m)
}

func (b *Backend) gemv64(out, a, x []float64, m, n int) {
	t := &b.t
	t.op, t.wide, t.o64, t.x64, t.y64, t.m, t.n = opGemv, true, out, a, x, m, n
	t.align = lineBytes / 8
	t.parts = b.parts((m*n + n + m) * 8)
	b.start(m)
}

// transpose32 computes out = Aᵀ over chunks of A's columns, which are
// contiguous rows of out.
func (b *Backend) transpose32(out, a []float32, m, n int) {
	t := &b.t
	t.op, t.wide, t.o32, t.x32, t.m, t.n = opTranspose, false, out, a, m, n
	t.align = lineBytes / 4
	t.parts = b.parts(2 * m * n * 4)
	b.start(n)
}

func (b *Backend) transpose64(out, a []float64, m, n int) {
	t := &b.t
	t.op, t.wide, t.o64, t.x64, t.m, t.n = opTranspose, true, out, a, m, n
	t.align = lineBytes / 8
	t.parts = b.parts(2 * m * n * 8)
	b.start(n)
}
