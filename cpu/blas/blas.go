package blas

import (
	"fmt"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/gemm"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
)

var (
	_ blas.Float32 = Implementation{}
	_ blas.Float64 = Implementation{}
)

// Implementation is the BLAS. The zero value runs at the best SIMD level
// this CPU runs, with gemm on GOMAXPROCS goroutines shared by every
// zero Implementation; New makes one with its own level and workers.
// Any number of goroutines may call one at once.
type Implementation struct {
	gonum.Implementation
	e *engine // nil: the shared engine
}

// Options choose how an Implementation made by New runs.
type Options struct {
	// Level is the SIMD level of the kernels, case-insensitive: "avx512",
	// "avx2" or "generic" on amd64 (cpu.Levels lists those this CPU
	// runs). "" is the best this CPU runs.
	Level string
	// Workers is how many goroutines gemm and gemv run on, the
	// caller's included; 0 is GOMAXPROCS.
	Workers int
}

// MaxWorkers bounds Options.Workers, as it bounds the cpu backend's.
const MaxWorkers = 4096

// New makes an Implementation with its own kernels' level and its own
// workers, which it starts at its first call that needs them and Close
// stops. It
// returns an error naming the levels this CPU runs if o.Level is not
// one of them.
func New(o Options) (Implementation, error) {
	if o.Workers < 0 || o.Workers > MaxWorkers {
		return Implementation{}, fmt.Errorf("%w: %d workers: use 1 to %d, or 0 for GOMAXPROCS", compute.ErrUsage, o.Workers, MaxWorkers)
	}
	s := kern.Default()
	if o.Level != "" {
		var err error
		if s, err = kern.Lookup(o.Level); err != nil {
			return Implementation{}, fmt.Errorf("%w: %v", compute.ErrUnavailable, err)
		}
	}
	return Implementation{e: newEngine(s, o.Workers)}, nil
}

// Level is the SIMD level the kernels run at: "avx512", "avx2",
// "generic".
func (im Implementation) Level() string { return string(im.engine().level) }

// Workers is how many goroutines gemm and gemv run on, the caller's
// included.
func (im Implementation) Workers() int { return im.engine().workers }

// Close stops the workers of an Implementation made by New; calls after
// it run on their caller's goroutine alone. It does nothing to
// the zero Implementation, whose workers, parked when idle, last as long
// as the process. Closing twice is harmless.
func (im Implementation) Close() {
	if im.e == nil {
		return
	}
	e := im.e
	e.busy.Lock()
	defer e.busy.Unlock()
	e.closed = true
	if e.pool != nil {
		e.pool.Close()
		e.pool = nil
	}
}

// engine is what an Implementation runs on: one level's kernels for
// both types, gemm's buffers, and the workers.
type engine struct {
	level   kern.Level
	gemm    *gemm.Level
	f32     tables[float32]
	f64     tables[float64]
	workers int
	// allSizes runs even the small calls that go to gonum's code by
	// default (see small.go) on the kernels: tests set it.
	allSizes bool

	// busy is held by the call that has the pool; pool is started by
	// the first, and closed marks an engine whose Close has run.
	busy   sync.Mutex
	pool   *pool.Pool
	closed bool
}

// tables are an engine's kernels for T, gemm's buffers and gemv's
// scratch (a *[gemvRows]T).
type tables[T compute.Float] struct {
	kern    *kern.Table[T]
	cache   gemm.Cache[T]
	scratch sync.Pool
}

func newEngine(s *kern.Set, workers int) *engine {
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	e := &engine{level: s.Level(), gemm: gemm.LevelFor(s.Level()), workers: workers}
	e.f32.kern, e.f32.scratch.New = kern.For[float32](s), newScratch[float32]
	e.f64.kern, e.f64.scratch.New = kern.For[float64](s), newScratch[float64]
	return e
}

// shared is the engine of the zero Implementation, made at its first
// use.
var shared = sync.OnceValue(func() *engine { return newEngine(kern.Default(), 0) })

func (im Implementation) engine() *engine {
	if im.e != nil {
		return im.e
	}
	return shared()
}

// tablesOf is e's kernels and buffers for T.
func tablesOf[T compute.Float](e *engine) *tables[T] {
	if t, ok := any(&e.f32).(*tables[T]); ok {
		return t
	}
	return any(&e.f64).(*tables[T])
}

// acquire returns the engine's workers, started if this is the first
// call to take them, for a call to run on; release(p) must follow. It
// returns nil, for the call to run on its caller's goroutine alone,
// while another call has them or after Close.
func (e *engine) acquire() *pool.Pool {
	if !e.busy.TryLock() {
		return nil
	}
	if e.pool == nil && !e.closed {
		e.pool = pool.New(e.workers)
	}
	if e.pool == nil {
		e.busy.Unlock()
	}
	return e.pool
}

// release gives back the workers acquire returned, if it returned them.
func (e *engine) release(p *pool.Pool) {
	if p != nil {
		e.busy.Unlock()
	}
}
