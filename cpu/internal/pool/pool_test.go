package pool

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute/computetest"
)

func TestRunCallsEachWorkerOnce(t *testing.T) {
	for _, n := range []int{1, 2, 3, 8} {
		p := New(n)
		if p.Workers() != n {
			t.Fatalf("New(%d).Workers() = %d", n, p.Workers())
		}
		for rep := 0; rep < 200; rep++ {
			counts := make([]atomic.Int32, n)
			p.Run(func(w int) { counts[w].Add(1) })
			for w := range counts {
				if c := counts[w].Load(); c != 1 {
					t.Fatalf("workers=%d rep %d: fn(%d) ran %d times, want 1", n, rep, w, c)
				}
			}
			if rep%50 == 0 {
				time.Sleep(2 * spinFor) // let the workers park, then wake them
			}
		}
		p.Close()
	}
}

func TestDefaultWorkers(t *testing.T) {
	p := New(0)
	defer p.Close()
	if got, want := p.Workers(), runtime.GOMAXPROCS(0); got != want {
		t.Errorf("New(0).Workers() = %d, want GOMAXPROCS = %d", got, want)
	}
}

// TestRunWaitsForAll checks that Run returns only after every worker is
// done, including one slower than the caller.
func TestRunWaitsForAll(t *testing.T) {
	p := New(3)
	defer p.Close()
	var done atomic.Int32
	p.Run(func(w int) {
		if w == 2 {
			time.Sleep(20 * time.Millisecond)
		}
		done.Add(1)
	})
	if d := done.Load(); d != 3 {
		t.Fatalf("Run returned with %d of 3 calls done", d)
	}
}

func TestRunConcurrent(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs 2 procs")
	}
	p := New(2)
	defer p.Close()
	// Worker 1 waits for worker 0's signal: this deadlocks unless they run
	// at the same time.
	var flag atomic.Bool
	p.Run(func(w int) {
		if w == 0 {
			flag.Store(true)
			return
		}
		deadline := time.Now().Add(10 * time.Second)
		for !flag.Load() {
			if time.Now().After(deadline) {
				panic("worker 0 never ran while worker 1 waited")
			}
			runtime.Gosched()
		}
	})
}

func TestRunNoAlloc(t *testing.T) {
	p := New(3)
	defer p.Close()
	var sink atomic.Int64
	fn := func(w int) { sink.Add(int64(w)) }
	p.Run(fn)
	if a := testing.AllocsPerRun(1000, func() { p.Run(fn) }); a != 0 {
		t.Errorf("Run allocates %v times per call, want 0", a)
	}
}

func TestWorkerPanic(t *testing.T) {
	p := New(3)
	defer p.Close()
	boom := errors.New("boom")
	got := func() (r any) {
		defer func() { r = recover() }()
		p.Run(func(w int) {
			if w == 2 {
				panic(boom)
			}
		})
		return nil
	}()
	pe, ok := got.(*Panic)
	if !ok {
		t.Fatalf("Run re-panicked with %T %v, want *Panic", got, got)
	}
	if pe.Worker != 2 || !errors.Is(pe, boom) {
		t.Errorf("panic = worker %d value %v, want worker 2 value boom", pe.Worker, pe.Value)
	}
	if !strings.Contains(string(pe.Stack), "TestWorkerPanic") {
		t.Errorf("worker stack does not show the panicking function:\n%s", pe.Stack)
	}
	// The pool still works after a panic.
	var n atomic.Int32
	p.Run(func(int) { n.Add(1) })
	if n.Load() != 3 {
		t.Errorf("after a panic, Run ran %d of 3 calls", n.Load())
	}
}

func TestCallerPanicWaitsForWorkers(t *testing.T) {
	p := New(2)
	defer p.Close()
	var finished atomic.Bool
	got := func() (r any) {
		defer func() { r = recover() }()
		p.Run(func(w int) {
			if w == 0 {
				panic("caller")
			}
			time.Sleep(10 * time.Millisecond)
			finished.Store(true)
		})
		return nil
	}()
	if got != "caller" {
		t.Errorf("recovered %v, want the caller's own panic", got)
	}
	if !finished.Load() {
		t.Errorf("Run unwound before worker 1 finished")
	}
}

func TestCloseStopsGoroutines(t *testing.T) {
	before := computetest.LiveGoroutines()
	p := New(5)
	p.Run(func(int) {})
	if started := len(before.Started()); started < 4 {
		t.Fatalf("New(5) started %d goroutines, want 4", started)
	}
	p.Close()
	p.Close() // harmless twice
	// Close waits for the goroutines to return; the runtime may take a
	// moment more to drop them from its list.
	if left := before.WaitExited(5 * time.Second); len(left) > 0 {
		t.Fatalf("%d goroutines left after Close:\n%v", len(left), left)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("Run after Close did not panic")
		}
	}()
	p.Run(func(int) {})
}

func TestChunk(t *testing.T) {
	for _, n := range []int{0, 1, 5, 15, 16, 17, 63, 64, 65, 1000, 4099} {
		for _, parts := range []int{1, 2, 3, 7} {
			for _, align := range []int{1, 16, 256} {
				next := 0
				maxLen, minLen := 0, n+1
				for i := 0; i < parts; i++ {
					lo, hi := Chunk(n, parts, align, i)
					if lo != next || hi < lo {
						t.Fatalf("Chunk(%d,%d,%d,%d) = [%d,%d), want to start at %d", n, parts, align, i, lo, hi, next)
					}
					if (lo != n && lo%align != 0) || (hi != n && hi%align != 0) {
						t.Fatalf("Chunk(%d,%d,%d,%d) = [%d,%d) not aligned", n, parts, align, i, lo, hi)
					}
					next = hi
					maxLen, minLen = max(maxLen, hi-lo), min(minLen, hi-lo)
				}
				if next != n {
					t.Fatalf("Chunks of %d in %d parts (align %d) end at %d", n, parts, align, next)
				}
				if n >= parts*align && maxLen-minLen > align {
					t.Errorf("Chunks of %d in %d parts (align %d) range from %d to %d items", n, parts, align, minLen, maxLen)
				}
			}
		}
	}
}

func TestParts(t *testing.T) {
	for _, c := range []struct{ n, workers, align, min, want int }{
		{0, 4, 16, 1000, 1},
		{999, 4, 16, 1000, 1},
		{2000, 4, 16, 1000, 2},
		{1 << 20, 4, 16, 1000, 4},
		{1 << 20, 0, 16, 1000, 1},
		{100, 4, 64, 1, 1},
	} {
		if got := Parts(c.n, c.workers, c.align, c.min); got != c.want {
			t.Errorf("Parts(%d, %d, %d, %d) = %d, want %d", c.n, c.workers, c.align, c.min, got, c.want)
		}
	}
}

func BenchmarkRun(b *testing.B) {
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			p := New(n)
			defer p.Close()
			var sink atomic.Int64
			fn := func(w int) { sink.Add(1) }
			b.ReportAllocs()
			for b.Loop() {
				p.Run(fn)
			}
		})
	}
}
