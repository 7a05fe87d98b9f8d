package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/gpubench/gpubench/harness"
)

// progressAfter is how long a run goes before its progress line shows:
// a quick run finishes before a line would be worth reading.
const progressAfter = time.Second

// progressEvery is how often the line is drawn again while a case runs,
// so that the elapsed time and the ETA move on during a long case.
const progressEvery = time.Second

// progressLine draws "[n/m] case on backend  elapsed  ETA" over itself on
// a terminal. The ETA is the expected cost of the cases left (their
// FLOPs and bytes, harness.Cost) at the pace the cost done so far took,
// less the time the current case has run: a sweep's last, largest cases
// are not taken for as quick as its first. A nil progressLine draws
// nothing.
type progressLine struct {
	w     io.Writer
	now   func() time.Time
	after time.Duration

	mu      sync.Mutex
	start   time.Time // of the run
	started time.Time // of the current case
	p       harness.Progress
	seen    bool
	drawn   bool
	quit    chan struct{}
	done    sync.WaitGroup
}

// progress is the progress line of a command on stderr: nil (nothing
// drawn) with --quiet or where stderr is not a terminal (a pipe, a file).
func (o *runOptions) progress(stderr io.Writer) *progressLine {
	if o.g.quiet {
		return nil
	}
	f, ok := stderr.(*os.File)
	if !ok || !isTerminal(f) {
		return nil
	}
	pl := newProgress(stderr, time.Now, progressAfter)
	pl.redrawEvery(progressEvery)
	return pl
}

// redrawEvery draws the line again every d until stop.
func (pl *progressLine) redrawEvery(d time.Duration) {
	pl.done.Add(1)
	go func() {
		defer pl.done.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-pl.quit:
				return
			case <-t.C:
				pl.mu.Lock()
				pl.draw()
				pl.mu.Unlock()
			}
		}
	}()
}

// newProgress is a progress line on w that reads the clock through now
// and draws nothing before after has passed; nothing redraws it but its
// updates.
func newProgress(w io.Writer, now func() time.Time, after time.Duration) *progressLine {
	t := now()
	return &progressLine{w: w, now: now, after: after, start: t, started: t, quit: make(chan struct{})}
}

// update records that a case starts, and draws the line.
func (pl *progressLine) update(p harness.Progress) {
	if pl == nil {
		return
	}
	pl.mu.Lock()
	defer pl.mu.Unlock()
	pl.p, pl.seen, pl.started = p, true, pl.now()
	pl.draw()
}

// updater is update as a harness.Config.Progress: nil for a nil line,
// so that the harness skips its bookkeeping.
func (pl *progressLine) updater() func(harness.Progress) {
	if pl == nil {
		return nil
	}
	return pl.update
}

// draw writes the line, once the run has lasted pl.after. Call with
// pl.mu held.
func (pl *progressLine) draw() {
	now := pl.now()
	el := now.Sub(pl.start)
	if !pl.seen || el < pl.after {
		return
	}
	p := pl.p
	eta := ""
	if p.DoneCost > 0 && p.TotalCost > p.DoneCost {
		pace := float64(pl.started.Sub(pl.start)) / p.DoneCost
		left := time.Duration(pace*(p.TotalCost-p.DoneCost)) - now.Sub(pl.started)
		eta = "  ETA " + max(left, 0).Round(time.Second).String()
	}
	fmt.Fprintf(pl.w, "\r\033[K[%d/%d] %s on %s  %s%s", p.Done+1, p.Total, p.Case, p.Backend, el.Round(time.Second), eta)
	pl.drawn = true
}

// stop ends the redrawing and clears the line.
func (pl *progressLine) stop() {
	if pl == nil {
		return
	}
	close(pl.quit)
	pl.done.Wait()
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if pl.drawn {
		fmt.Fprint(pl.w, "\r\033[K")
	}
}
