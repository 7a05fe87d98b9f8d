//go:build cgo

package gl

import (
	"slices"
	"time"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
)

// A GL_TIME_ELAPSED result is a lie where it is 0, or where a dispatch
// that took at least lieWall from issue to glFinish spent under
// 1/lieRatio of it on the device, as llvmpipe's timer does. A GPU whose
// timer lied once is not believed again; one busy with other work may
// make a true time look like a lie, which costs only the fallback to the
// host clock.
// Measurements: docs/methodology.md#why-these-constants.
const (
	lieWall  = time.Millisecond
	lieRatio = 100
)

// RunTimed runs l to completion and returns its GL_TIME_ELAPSED time.
// ok is false where that time is implausible: longer than the wall-clock
// time from before the dispatch to after glFinish, which bounds it, or
// from a timer that lied (see lieWall).
func (b *backend) RunTimed(l compute.Launch) (gpu time.Duration, ok bool, err error) {
	in, out, err := b.checkLaunch(l)
	if err != nil {
		return 0, false, err
	}
	err = b.doWait(func() error {
		if b.query == 0 {
			gl.GenQueries(1, &b.query)
			b.live[objQuery]++
		}
		start := time.Now()
		gl.BeginQuery(gl.TIME_ELAPSED, b.query)
		err := b.launch(l, in, out)
		gl.EndQuery(gl.TIME_ELAPSED)
		gl.Finish()
		wall := time.Since(start)
		if err != nil {
			return err
		}
		var ns uint64
		gl.GetQueryObjectui64v(b.query, gl.QUERY_RESULT, &ns)
		gpu = time.Duration(ns)
		if ns == 0 || wall >= lieWall && gpu*lieRatio < wall {
			b.timerLies = true
		}
		ok = !b.timerLies && gpu <= wall
		return nil
	})
	return gpu, ok, err
}

// DispatchLatency is the median over reps of the wall time to dispatch
// one work group of an empty kernel and wait for it with glFinish. The
// program is compiled and run once before timing.
func (b *backend) DispatchLatency(reps int) (time.Duration, error) {
	reps = max(reps, 1)
	times := make([]time.Duration, reps)
	err := b.doWait(func() error {
		p, err := b.program(emptyShader, nil)
		if err != nil {
			return err
		}
		b.storageBarrier()
		gl.UseProgram(p.id)
		gl.DispatchCompute(1, 1, 1)
		gl.Finish()
		for i := range times {
			start := time.Now()
			gl.DispatchCompute(1, 1, 1)
			gl.Finish()
			times[i] = time.Since(start)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	slices.Sort(times)
	return times[reps/2], nil
}
