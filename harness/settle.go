package harness

import (
	"sync"
	"time"

	"github.com/gpubench/gpubench/compute"
)

// settle keeps a case off cores that another backend's threads still
// keep busy (compute.Factory.Settle: OpenBLAS's idle threads spin for
// about 0.1 s after each call and from the moment the library loads,
// taking 65–86 % of a CPU on a 2-vCPU VM; a case started
// inside that window shares a core with them). Every case goes through
// runCase, so Run, Scale and the roofline all wait here, and only where
// the backend changes: a backend's own next case does not wait on it.
var settle struct {
	sync.Mutex
	loaded bool      // until includes the wait from process start
	until  time.Time // when the cores are free again
	by     string    // the backend that keeps them busy; "" for any
}

// loadTime is about when the process started (package variables are set
// before main runs).
var loadTime = time.Now()

// sleep is time.Sleep; tests replace it.
var sleep = time.Sleep

// awaitSettled waits until the cores are free of every backend's
// threads but backend's own.
func awaitSettled(backend string) {
	settle.Lock()
	if !settle.loaded {
		settle.loaded = true
		if t := loadTime.Add(compute.LoadSettle()); t.After(settle.until) {
			settle.until, settle.by = t, ""
		}
	}
	d := time.Until(settle.until)
	wait := d > 0 && settle.by != backend
	if wait {
		settle.until = time.Time{} // waited out once and for all
	}
	settle.Unlock()
	if wait {
		sleep(d)
	}
}

// markBusy records that backend has just run: its threads keep the cores
// busy for its Settle.
func markBusy(backend string) {
	if s := compute.Settle(backend); s > 0 {
		settle.Lock()
		settle.until, settle.by = time.Now().Add(s), backend
		settle.Unlock()
	}
}
