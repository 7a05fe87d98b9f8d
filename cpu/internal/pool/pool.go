// Package pool runs fork-join parallel sections on a fixed set of
// long-lived goroutines.
//
// A section is short: a vector kernel over a few MiB takes a few hundred
// microseconds. Starting goroutines for each one costs more than it
// gains on a small virtual machine, whose scheduler often puts two
// threads on one vCPU for fork-joins under a millisecond or two. So the
// workers live as long as the Pool, spin for a short while after each
// section (the next section of a benchmark loop usually comes at once),
// and only then park on a channel. Run and RunAny do not allocate.
//
// Run hands every worker its own share and so waits for the slowest,
// including one the OS has not yet scheduled. RunAny is for work that
// the calls share out among themselves (an atomic counter over tasks): a
// worker that arrives after the caller has run out of tasks is left out,
// so the section costs the caller nothing for a worker that is late.
package pool

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// spinFor is how long an idle worker (or a caller waiting for workers)
// polls before it parks. Parking and waking costs a few microseconds of
// futex and scheduler work plus the wake-up latency of the OS thread;
// spinning a little longer than that keeps back-to-back sections cheap
// while an idle pool still sleeps almost at once.
const spinFor = 50 * time.Microsecond

// Pool runs a function on Workers() goroutines at once. The zero Pool is
// not usable; make one with New. A Pool is driven by one goroutine at a
// time: Run is not re-entrant (fn must not call Run on the same Pool).
type Pool struct {
	n  int
	mu sync.Mutex // serialises Run, RunAny and Close

	fn     func(w int)
	gen    atomic.Uint64 // bumped once per section; workers wait for it to change; genAny marks RunAny's
	closed atomic.Bool

	// joins counts the workers (other than 0) the caller waits for: the
	// section's gen in the high 32 bits, and below them, for a Run
	// section, the workers yet to finish; for a RunAny section, joinOpen
	// while the caller still runs fn(0) and the workers inside fn. A
	// worker enters a RunAny section by a compare-and-swap that needs
	// both the gen and joinOpen, so once the caller clears joinOpen no
	// worker can enter.
	joins atomic.Uint64

	waiting atomic.Bool   // the caller is parked on done
	done    chan struct{} // wakes the caller (buffered 1)

	workers []worker // index 0 unused: the caller is worker 0
	exited  sync.WaitGroup
}

type worker struct {
	sleeping atomic.Bool
	wake     chan struct{} // buffered 1
	panicked any           // a recovered panic of the last section, with its stack
	_        [64]byte      // keep workers' hot fields on separate cache lines
}

// Panic is what Run re-panics with when fn panicked on a worker: the
// worker's index, the value it panicked with, and its stack at the time.
type Panic struct {
	Worker int
	Value  any
	Stack  []byte
}

func (p *Panic) Error() string {
	return fmt.Sprintf("pool: worker %d panicked: %v\n\nworker stack:\n%s", p.Worker, p.Value, p.Stack)
}

// Unwrap returns the panic value when it is an error, so errors.Is sees
// through a re-panic.
func (p *Panic) Unwrap() error {
	if err, ok := p.Value.(error); ok {
		return err
	}
	return nil
}

// New starts a pool of workers goroutines in all, counting the caller of
// Run; workers ≤ 0 means runtime.GOMAXPROCS(0).
func New(workers int) *Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pool{n: workers, done: make(chan struct{}, 1), workers: make([]worker, workers)}
	for w := 1; w < workers; w++ {
		p.workers[w].wake = make(chan struct{}, 1)
		p.exited.Add(1)
		go p.loop(w)
	}
	return p
}

// Workers is the number of goroutines a section runs on, the caller's
// included.
func (p *Pool) Workers() int { return p.n }

// Run calls fn(w) once for each w in 0..Workers()-1, concurrently, and
// returns when every call has returned. The caller's goroutine runs
// fn(0). If any call panics, Run waits for the others and then panics on
// the caller's goroutine: with the caller's own panic value if fn(0)
// panicked, otherwise with a *Panic that carries the worker's stack.
// Run panics if the pool is closed.
func (p *Pool) Run(fn func(w int)) { p.section(fn, false) }

// RunAny calls fn(0) on the caller's goroutine and fn(w) on each other
// worker w that is free to start before fn(0) returns; it returns when
// every call that started has returned. Workers that arrive later do
// not call fn. So fn must share its work out dynamically, each call
// taking tasks until none are left, and fn(0) alone must be able to do
// all of it. Panics are handled as in Run.
func (p *Pool) RunAny(fn func(w int)) { p.section(fn, true) }

// Sections are numbered in steps of genStep; genAny, the low bit, marks
// a RunAny section, so a worker learns the kind from the one load of gen
// that tells it of the section.
const (
	genStep = 2
	genAny  = 1
)

// joinOpen is the bit of Pool.joins that admits workers to a RunAny
// section; the bits below it count the workers.
const (
	joinOpen  = 1 << 31
	joinCount = joinOpen - 1
)

// section runs fn as a RunAny section if shared, else as a Run section.
func (p *Pool) section(fn func(w int), shared bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed.Load() {
		panic("pool: Run or RunAny on a closed Pool")
	}
	if p.n == 1 {
		fn(0)
		return
	}
	p.fn = fn
	g, joins := p.gen.Load()&^genAny+genStep, uint64(p.n-1)
	if shared {
		g, joins = g|genAny, joinOpen
	}
	p.joins.Store(uint64(uint32(g))<<32 | joins)
	p.gen.Store(g)
	for w := 1; w < p.n; w++ {
		// A worker sets sleeping before it re-reads gen, and we bumped gen
		// before reading sleeping: one of the two sees the other.
		if p.workers[w].sleeping.Load() {
			select {
			case p.workers[w].wake <- struct{}{}:
			default:
			}
		}
	}
	defer p.finish(shared) // wait for the workers even if fn(0) panics
	fn(0)
}

// join admits a worker to the RunAny section g, unless the caller has
// closed it.
func (p *Pool) join(g uint64) bool {
	for {
		s := p.joins.Load()
		if s>>32 != uint64(uint32(g)) || s&joinOpen == 0 {
			return false
		}
		if p.joins.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

// finish closes a RunAny section to workers not yet in it, waits for
// the section's workers, then re-panics a worker's panic.
func (p *Pool) finish(shared bool) {
	if shared {
		p.joins.And(^uint64(joinOpen))
	}
	p.wait()
	p.fn = nil
	for w := 1; w < p.n; w++ {
		if v := p.workers[w].panicked; v != nil {
			p.workers[w].panicked = nil
			if r := recover(); r != nil {
				panic(r) // fn(0) panicked too: its own panic wins
			}
			panic(v)
		}
	}
}

// wait returns once no worker counts in joins: spin, then park on done.
func (p *Pool) wait() {
	start := time.Now()
	for i := 0; p.joins.Load()&joinCount != 0; i++ {
		if i&255 != 255 {
			continue
		}
		if time.Since(start) < spinFor {
			runtime.Gosched()
			continue
		}
		p.waiting.Store(true)
		for p.joins.Load()&joinCount != 0 {
			<-p.done // a stale token from an earlier section only loops again
		}
		p.waiting.Store(false)
		return
	}
}

// loop is worker w's life: wait for a new section, run it, report.
func (p *Pool) loop(w int) {
	defer p.exited.Done()
	me := &p.workers[w]
	var seen uint64
	for {
		g := p.await(me, seen)
		if p.closed.Load() {
			return
		}
		seen = g
		if g&genAny != 0 && !p.join(g) {
			continue
		}
		p.call(me, w)
		if s := p.joins.Add(^uint64(0)); s&(joinOpen|joinCount) == 0 && p.waiting.Load() {
			select {
			case p.done <- struct{}{}:
			default:
			}
		}
	}
}

// await returns the section number once it differs from seen: spin, then
// park on the worker's wake channel.
func (p *Pool) await(me *worker, seen uint64) uint64 {
	start := time.Now()
	for i := 0; ; i++ {
		if g := p.gen.Load(); g != seen {
			return g
		}
		if i&255 != 255 {
			continue
		}
		if time.Since(start) < spinFor {
			runtime.Gosched()
			continue
		}
		me.sleeping.Store(true)
		for {
			if g := p.gen.Load(); g != seen {
				me.sleeping.Store(false)
				return g
			}
			<-me.wake
		}
	}
}

// call runs the section's fn for worker w, keeping a panic for Run.
func (p *Pool) call(me *worker, w int) {
	defer func() {
		if r := recover(); r != nil {
			me.panicked = &Panic{Worker: w, Value: r, Stack: debug.Stack()}
		}
	}()
	p.fn(w)
}

// Close stops the workers and waits until their goroutines have exited.
// Closing twice is harmless; Run after Close panics.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed.Swap(true) {
		return
	}
	p.gen.Add(genStep)
	for w := 1; w < p.n; w++ {
		select {
		case p.workers[w].wake <- struct{}{}:
		default:
		}
	}
	p.exited.Wait()
}
