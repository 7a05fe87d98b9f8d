package computetest

import (
	"bytes"
	"runtime"
	"strconv"
	"time"
)

// Goroutines is a snapshot of the process's goroutines: each one's stack
// by its ID. Leak checks compare snapshots by ID, as goleak does, and not
// by runtime.NumGoroutine: a goroutine of an earlier test that is still
// exiting when the first count is taken would otherwise hide one that
// the code under test started, or fail a check that it started enough.
type Goroutines map[uint64][]byte

// LiveGoroutines takes a snapshot of the goroutines alive now.
func LiveGoroutines() Goroutines {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	g := Goroutines{}
	for _, stack := range bytes.Split(buf, []byte("\n\n")) {
		// Each stack opens "goroutine 17 [chan receive]:".
		head, _, _ := bytes.Cut(stack, []byte(" ["))
		id, err := strconv.ParseUint(string(bytes.TrimPrefix(head, []byte("goroutine "))), 10, 64)
		if err == nil {
			g[id] = stack
		}
	}
	return g
}

// Started is the goroutines alive now that were not in g, by ID.
func (g Goroutines) Started() Goroutines {
	now := LiveGoroutines()
	for id := range now {
		if _, ok := g[id]; ok {
			delete(now, id)
		}
	}
	return now
}

// WaitExited waits up to d for every goroutine not in g to exit (one that
// has returned may stay in the runtime's list a moment longer) and
// returns those still alive at the end, empty when none are.
func (g Goroutines) WaitExited(d time.Duration) Goroutines {
	deadline := time.Now().Add(d)
	for {
		left := g.Started()
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(time.Millisecond)
	}
}

// String is the stacks, separated by blank lines, for a test's message.
func (g Goroutines) String() string {
	var b bytes.Buffer
	for _, stack := range g {
		b.Write(stack)
		b.WriteString("\n\n")
	}
	return b.String()
}
