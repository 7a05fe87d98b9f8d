package blas

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/gemm"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
	"github.com/gpubench/gpubench/cpu/internal/simd"
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
	s *state // nil: the shared state
}

// Level is a SIMD level, the cpu backend's own type: Generic (pure Go),
// AVX2, AVX512, NEON. ParseLevel reads one.
type Level = kern.Level

// The levels a build may know; not every CPU runs each.
const (
	Generic = kern.Generic
	AVX2    = kern.AVX2
	AVX512  = kern.AVX512
	NEON    = kern.NEON
)

// ParseLevel reads a level's name, case-insensitive, as the cpu
// backend's ParseLevel does; anything else is an error wrapping
// compute.ErrUsage.
func ParseLevel(name string) (Level, error) { return kern.ParseLevel(name) }

// Options choose how an Implementation made by New runs.
type Options struct {
	// Level is the SIMD level of the kernels; "" is the best this CPU
	// runs.
	Level Level
	// Workers is how many goroutines gemm and gemv run on, the
	// caller's included; 0 is GOMAXPROCS, at most compute.MaxWorkers.
	Workers int
}

// New makes an Implementation with its own kernels' level and its own
// workers, which it starts at its first call that needs them and Close
// stops. A worker count out of range is a *compute.FieldError for
// "Workers" (wrapping compute.ErrUsage); a level this CPU does not run
// is an error wrapping compute.ErrUnavailable that names those it does.
func New(o Options) (Implementation, error) {
	if err := (compute.Options{Workers: o.Workers}).Check(); err != nil {
		return Implementation{}, err
	}
	e := simd.Best(nil)
	if o.Level != "" {
		var err error
		if e, err = simd.For(o.Level); err != nil {
			return Implementation{}, err
		}
	}
	return Implementation{s: newState(e, o.Workers)}, nil
}

// Level is the SIMD level the kernels run at.
func (im Implementation) Level() Level { return Level(im.state().Level()) }

// Workers is how many goroutines gemm and gemv run on, the caller's
// included.
func (im Implementation) Workers() int { return im.state().workers }

// Close stops the workers of an Implementation made by New; calls after
// it run on their caller's goroutine alone. It does nothing to
// the zero Implementation, whose workers, parked when idle, last as long
// as the process. Closing twice is harmless.
func (im Implementation) Close() {
	if im.s == nil {
		return
	}
	s := im.s
	s.busy.Lock()
	defer s.busy.Unlock()
	s.closed = true
	if s.pool != nil {
		s.pool.Close()
		s.pool = nil
	}
}

// state is what an Implementation runs on: the cpu backend's engine of
// its level (kern's tables and gemm's micro-kernels), with gemm's
// buffers, gemv's scratch and the workers of its own.
type state struct {
	*simd.Engine
	f32     tables[float32]
	f64     tables[float64]
	workers int
	// allSizes runs even the small calls that go to gonum's code by
	// default (see small.go) on the kernels: tests set it.
	allSizes bool

	// busy is held by the call that has the pool; pool is started by
	// the first, and closed marks a state whose Close has run.
	busy   sync.Mutex
	pool   *pool.Pool
	closed bool
}

// tables are a state's kernels for T, gemm's buffers and gemv's scratch
// (a *[gemvRows]T).
type tables[T compute.Float] struct {
	kern    *kern.Table[T]
	cache   gemm.Cache[T]
	scratch sync.Pool
}

func newState(e *simd.Engine, workers int) *state {
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	s := &state{Engine: e, workers: workers}
	s.f32.kern, s.f32.scratch.New = kern.For[float32](e.Kern()), newScratch[float32]
	s.f64.kern, s.f64.scratch.New = kern.For[float64](e.Kern()), newScratch[float64]
	return s
}

// shared is the state of the zero Implementation, made at its first
// use: the first call is also where the engines are detected.
var shared = sync.OnceValue(func() *state { return newState(simd.Best(nil), 0) })

func (im Implementation) state() *state {
	if im.s != nil {
		return im.s
	}
	return shared()
}

// tablesOf is s's kernels and buffers for T.
func tablesOf[T compute.Float](s *state) *tables[T] {
	if t, ok := any(&s.f32).(*tables[T]); ok {
		return t
	}
	return any(&s.f64).(*tables[T])
}

// acquire returns the state's workers, started if this is the first
// call to take them, for a call to run on; release(p) must follow. It
// returns nil, for the call to run on its caller's goroutine alone,
// while another call has them or after Close.
func (s *state) acquire() *pool.Pool {
	if !s.busy.TryLock() {
		return nil
	}
	if s.pool == nil && !s.closed {
		s.pool = pool.New(s.workers)
	}
	if s.pool == nil {
		s.busy.Unlock()
	}
	return s.pool
}

// release gives back the workers acquire returned, if it returned them.
func (s *state) release(p *pool.Pool) {
	if p != nil {
		s.busy.Unlock()
	}
}
