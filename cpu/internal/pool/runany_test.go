package pool

import (
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunAnySharesTasks hands out tasks through a counter, as RunAny's
// callers do, and checks that each runs exactly once, that the caller
// always takes part and each worker at most once, and that no call
// starts after RunAny returns, across Run and RunAny sections in turn
// and with workers parked now and then.
func TestRunAnySharesTasks(t *testing.T) {
	for _, n := range []int{1, 2, 3, 8} {
		p := New(n)
		for rep := range 300 {
			const tasks = 50
			var next atomic.Int32
			var done [tasks]atomic.Int32
			calls := make([]atomic.Int32, n)
			var returned atomic.Bool
			late := make([]atomic.Bool, n)
			p.RunAny(func(w int) {
				if returned.Load() {
					late[w].Store(true)
				}
				calls[w].Add(1)
				for {
					i := next.Add(1) - 1
					if i >= tasks {
						return
					}
					done[i].Add(1)
				}
			})
			returned.Store(true)
			for i := range done {
				if c := done[i].Load(); c != 1 {
					t.Fatalf("workers=%d rep %d: task %d ran %d times, want 1", n, rep, i, c)
				}
			}
			if c := calls[0].Load(); c != 1 {
				t.Fatalf("workers=%d rep %d: fn(0) ran %d times, want 1", n, rep, c)
			}
			for w := range calls {
				if c := calls[w].Load(); c > 1 {
					t.Fatalf("workers=%d rep %d: fn(%d) ran %d times, want at most 1", n, rep, w, c)
				}
			}
			// A Run section next: every worker must take part, whatever
			// RunAny left behind.
			counts := make([]atomic.Int32, n)
			p.Run(func(w int) { counts[w].Add(1) })
			for w := range counts {
				if c := counts[w].Load(); c != 1 {
					t.Fatalf("workers=%d rep %d: Run after RunAny: fn(%d) ran %d times, want 1", n, rep, w, c)
				}
			}
			for w := range late {
				if late[w].Load() {
					t.Fatalf("workers=%d rep %d: fn(%d) started after RunAny returned", n, rep, w)
				}
			}
			if rep%50 == 0 {
				time.Sleep(2 * spinFor) // let the workers park, then wake them
			}
		}
		p.Close()
	}
}

// TestRunAnyWaitsForStarted checks that RunAny returns only after a
// worker that started has returned, even when the caller finds no work.
func TestRunAnyWaitsForStarted(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs 2 procs")
	}
	p := New(2)
	defer p.Close()
	var started, finished atomic.Bool
	p.RunAny(func(w int) {
		if w == 1 {
			started.Store(true)
			time.Sleep(20 * time.Millisecond)
			finished.Store(true)
			return
		}
		// The caller holds the section open until worker 1 is in.
		deadline := time.Now().Add(10 * time.Second)
		for !started.Load() && time.Now().Before(deadline) {
			runtime.Gosched()
		}
	})
	if !started.Load() {
		t.Fatal("worker 1 never joined an open section")
	}
	if !finished.Load() {
		t.Error("RunAny returned before worker 1 finished")
	}
}

// TestRunAnyLeavesLateWorkersOut parks the worker, then runs sections
// whose caller returns at once: the worker, woken late, must not call fn
// once the section has closed. (That RunAny does not wait for it to wake
// is a matter of time, which this test does not measure.)
func TestRunAnyLeavesLateWorkersOut(t *testing.T) {
	p := New(2)
	defer p.Close()
	var returned, late atomic.Bool
	for range 20 {
		time.Sleep(2 * spinFor)
		returned.Store(false)
		p.RunAny(func(w int) {
			if returned.Load() {
				late.Store(true)
			}
		})
		returned.Store(true)
	}
	time.Sleep(2 * spinFor)
	if late.Load() {
		t.Error("a worker called fn after RunAny returned")
	}
}

func TestRunAnyPanic(t *testing.T) {
	p := New(2)
	defer p.Close()
	boom := errors.New("boom")
	for range 50 {
		var joined atomic.Bool
		got := func() (r any) {
			defer func() { r = recover() }()
			p.RunAny(func(w int) {
				if w == 1 {
					joined.Store(true)
					panic(boom)
				}
				// Keep the section open until worker 1 has joined.
				deadline := time.Now().Add(10 * time.Second)
				for !joined.Load() && time.Now().Before(deadline) {
					runtime.Gosched()
				}
			})
			return nil
		}()
		if pe, ok := got.(*Panic); !ok || pe.Worker != 1 || !errors.Is(pe, boom) {
			t.Fatalf("RunAny re-panicked with %T %v, want worker 1's boom", got, got)
		}
	}
	var n atomic.Int32
	p.Run(func(int) { n.Add(1) })
	if n.Load() != 2 {
		t.Errorf("after a panic, Run ran %d of 2 calls", n.Load())
	}
}

func TestRunAnyNoAlloc(t *testing.T) {
	p := New(3)
	defer p.Close()
	var sink atomic.Int64
	fn := func(w int) { sink.Add(int64(w)) }
	p.RunAny(fn)
	if a := testing.AllocsPerRun(1000, func() { p.RunAny(fn) }); a != 0 {
		t.Errorf("RunAny allocates %v times per call, want 0", a)
	}
}
