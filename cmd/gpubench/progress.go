package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

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
	// plain writes each case's line once, with a newline: no control
	// codes, no redraw. drawn then says whether the current case's line
	// is written.
	plain bool
	quit  chan struct{}
	done  sync.WaitGroup
}

// progress is the progress line of a command on stderr: nil (nothing
// drawn) with --quiet or where stderr is not a terminal (isTerminal: a
// pipe, a file, /dev/null). On a terminal that takes no control codes
// (plainTerminal) the line is plain: one line per case, written once
// the run has lasted progressAfter and never redrawn, with no escape
// sequence or carriage return.
func (o *runOptions) progress(stderr io.Writer) *progressLine {
	if o.g.quiet {
		return nil
	}
	f, ok := stderr.(*os.File)
	if !ok || !isTerminal(f) {
		return nil
	}
	pl := newProgress(stderr, time.Now, progressAfter)
	pl.plain = plainTerminal(os.Getenv("TERM"), os.Getenv("NO_COLOR"))
	pl.redrawEvery(progressEvery)
	return pl
}

// redraws reports whether the progress line on stderr is redrawn in
// place, with control codes: not with --quiet, off a terminal, or on
// one that takes none (plainTerminal).
func (o *runOptions) redraws(stderr io.Writer) bool {
	f, ok := stderr.(*os.File)
	return ok && !o.g.quiet && isTerminal(f) && !plainTerminal(os.Getenv("TERM"), os.Getenv("NO_COLOR"))
}

// isTerminal reports whether f is a terminal, as the terminal driver
// answers for it (term.IsTerminal, TCGETS on Linux): /dev/null and
// /dev/full are character devices too, but not terminals.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// plainTerminal reports whether a terminal of type termType (TERM) gets
// no control codes: where TERM is unset or "dumb" (an editor's shell, a
// CI log) it may not move the cursor, and where NO_COLOR is set
// (noColor not empty, https://no-color.org) its user asked for plain
// text.
func plainTerminal(termType, noColor string) bool {
	return termType == "" || termType == "dumb" || noColor != ""
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
	if pl.plain {
		pl.drawn = false // a new case: its line is yet to be written
	}
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
	line := fmt.Sprintf("[%d/%d] %s on %s  %s%s", p.Done+1, p.Total, p.Case, p.Backend, el.Round(time.Second), eta)
	if pl.plain {
		if !pl.drawn {
			fmt.Fprintln(pl.w, line)
		}
		pl.drawn = true // until the next case
		return
	}
	fmt.Fprint(pl.w, "\r\033[K"+line)
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
	if pl.drawn && !pl.plain {
		fmt.Fprint(pl.w, "\r\033[K")
	}
}
