//go:build cgo

package gl

import (
	"time"

	"github.com/go-gl/gl/v4.3-core/gl"
)

// defaultBudget bounds the time of one dispatch. Display drivers reset a
// GPU whose one job runs longer than their watchdog allows, killing the
// context; a benchmark's gemm of a few thousand rows can take that long
// on a small GPU. The budget is a small part of the shortest watchdog,
// which leaves room for a rate measured on a slice that ran faster per
// group than the rest will.
// Measurements: docs/methodology.md#why-these-constants.
const defaultBudget = 100 * time.Millisecond

// probeWork is the work (groups × the kernel's per-group unit) of the
// first, timed slice of a program whose rate is not yet known: small
// enough to stay far inside any watchdog, large enough to time.
const probeWork = 1024

// dispatchBlock runs the w×h work groups from (x0, y0) of a grid that
// fits the driver's work-group count limit. unit is the relative work of
// one group (1 for the vector kernels, k for gemm, n for gemv), in which
// the program's rate is measured.
//
// A block whose estimated time fits b.budget is one dispatch. Otherwise
// it runs in slices of whole rows of groups (or of part of a row, where
// one row is over budget), each followed by glFinish and timed, the
// rate refined from each so that the next slice fills the budget; the
// last rate stays with the program for later launches. A program whose
// rate is unknown times a first slice of probeWork. The bound is on one
// dispatch: nothing splits a work group, so a single group longer than
// the budget still runs whole.
func (b *backend) dispatchBlock(p *program, x0, y0, w, h, unit int) {
	unit = max(unit, 1)
	work := float64(w) * float64(h) * float64(unit)
	switch {
	case b.budget <= 0 || w*h == 1,
		p.rate > 0 && work/p.rate <= b.budget.Seconds(),
		p.rate == 0 && work <= probeWork:
		b.issue(p, x0, y0, w, h)
		return
	}
	// Wait for the work before, so that each slice's time is its own.
	gl.Finish()
	x, y := x0, y0
	for y < y0+h {
		per := b.sliceGroups(p, unit)
		if x == x0 && per >= w {
			r := min(per/w, y0+h-y)
			b.timedIssue(p, x, y, w, r, unit)
			y += r
			continue
		}
		c := min(per, x0+w-x)
		b.timedIssue(p, x, y, c, 1, unit)
		if x += c; x == x0+w {
			x, y = x0, y+1
		}
	}
}

// sliceGroups is the number of work groups of the next slice: those that
// fill the budget at the program's rate, or probeWork's worth while the
// rate is unknown; at least 1.
func (b *backend) sliceGroups(p *program, unit int) int {
	g := float64(probeWork) / float64(unit)
	if p.rate > 0 {
		g = p.rate * b.budget.Seconds() / float64(unit)
	}
	const most = 1 << 30 // no grid has more groups; keeps the int in range
	return int(max(1, min(g, most)))
}

// timedIssue dispatches one slice, waits for it and sets the program's
// rate from its time.
func (b *backend) timedIssue(p *program, x0, y0, w, h, unit int) {
	start := time.Now()
	b.issue(p, x0, y0, w, h)
	gl.Finish()
	if d := time.Since(start); d > 0 {
		p.rate = float64(w) * float64(h) * float64(unit) / d.Seconds()
	}
	b.slices++
}

// issue is one glDispatchCompute of w×h groups from (x0, y0).
func (b *backend) issue(p *program, x0, y0, w, h int) {
	if loc := p.uniforms[uniformGroupBase]; loc >= 0 {
		gl.ProgramUniform2ui(p.id, loc, uint32(x0), uint32(y0))
	}
	gl.DispatchCompute(uint32(w), uint32(h), 1)
	b.dispatches++
}
