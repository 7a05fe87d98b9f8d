package harness

import (
	"sync"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// Env is what a measurement takes from the program that runs it: the
// backends it may open, and the clock, sleep and memory gauge it reads,
// which tests replace with their own. A nil function is the real one.
// One Env serves every measurement of a process, and its pointer is
// shared by the Configs that carry it: it remembers which backend's
// threads may still keep the cores busy (compute.Factory.Settle), so
// that a case waits for them.
type Env struct {
	// Registry opens the backends a Config names; it is required.
	Registry *compute.Registry
	// Start is about when the process started: a linked library's
	// threads may spin from the moment it loads (Registry.LoadSettle).
	// Zero waits for no library from the start.
	Start time.Time
	// Now is the clock a warm-up reads (time.Now).
	Now func() time.Time
	// Sleep waits out another backend's busy threads (time.Sleep).
	Sleep func(time.Duration)
	// Memory is the memory the process can use now, limits included
	// (hwinfo.CurrentMemory).
	Memory func() hwinfo.Memory

	settle struct {
		sync.Mutex
		loaded bool      // until includes the wait from Start
		until  time.Time // when the cores are free again
		by     string    // the backend that keeps them busy; "" for any
	}
}

// NewEnv is an Env that opens backends from r, with the real clock and
// memory gauge, started now: call it as the process starts.
func NewEnv(r *compute.Registry) *Env { return &Env{Registry: r, Start: time.Now()} }

// registry is e's Registry; a Config without one is a programming error.
func (e *Env) registry() *compute.Registry {
	if e == nil || e.Registry == nil {
		panic("harness: Config.Env has no Registry: build one with NewEnv")
	}
	return e.Registry
}

func (e *Env) now() time.Time {
	if e == nil || e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e *Env) sleep(d time.Duration) {
	if e == nil || e.Sleep == nil {
		time.Sleep(d)
		return
	}
	e.Sleep(d)
}

// memory is what a plan may use; a nil Env reads the machine's.
func (e *Env) memory() hwinfo.Memory {
	if e == nil || e.Memory == nil {
		return hwinfo.CurrentMemory()
	}
	return e.Memory()
}
