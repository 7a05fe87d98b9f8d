package harness

import "time"

// awaitSettled keeps a case off cores that another backend's threads
// still keep busy (compute.Factory.Settle: OpenBLAS's idle threads spin
// for a while after each call and from the moment the library loads, and
// a case started inside that window shares a core with them): it waits
// until the cores are free of every backend's threads but backend's own.
// Every case goes through runCase, so Run, Scale and the roofline all
// wait here, and only where the backend changes: a backend's own next
// case does not wait on it.
// Measurements: docs/methodology.md#why-these-constants.
func (e *Env) awaitSettled(backend string) {
	s := &e.settle
	s.Lock()
	if !s.loaded {
		s.loaded = true
		if !e.Start.IsZero() {
			if t := e.Start.Add(e.registry().LoadSettle()); t.After(s.until) {
				s.until, s.by = t, ""
			}
		}
	}
	d := time.Until(s.until)
	wait := d > 0 && s.by != backend
	if wait {
		s.until = time.Time{} // waited out once and for all
	}
	s.Unlock()
	if wait {
		e.sleep(d)
	}
}

// markBusy records that backend has just run: its threads keep the cores
// busy for its Settle.
func (e *Env) markBusy(backend string) {
	if d := e.registry().Settle(backend); d > 0 {
		s := &e.settle
		s.Lock()
		s.until, s.by = time.Now().Add(d), backend
		s.Unlock()
	}
}
