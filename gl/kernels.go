//go:build cgo

package gl

import (
	"fmt"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
)

// Binding points of the shaders' storage blocks (see package shaders).
const (
	bindOut = 3 // the result
	bindA4  = 4 // gemm's A as 4-vectors
	bindB4  = 5 // gemm's B as 4-vectors
)

// Run starts one kernel; it returns once the dispatches are issued.
func (b *backend) Run(l compute.Launch) error {
	in, out, err := b.checkLaunch(l)
	if err != nil {
		return err
	}
	return b.do(func() error { return b.launch(l, in, out) })
}

// checkLaunch validates l and resolves its buffers.
func (b *backend) checkLaunch(l compute.Launch) ([]*buffer, *buffer, error) {
	if err := l.Validate(); err != nil {
		return nil, nil, err
	}
	if !b.dev.Supports(l.DType) {
		return nil, nil, fmt.Errorf("%w: gl: %v on %s (no GL_ARB_gpu_shader_fp64)", compute.ErrUnsupported, l.DType, b.dev.Name)
	}
	in := make([]*buffer, len(l.In))
	for i, buf := range l.In {
		x, err := b.own(buf, "operand "+l.Kernel.Inputs[i])
		if err != nil {
			return nil, nil, err
		}
		in[i] = x
	}
	out, err := b.own(l.Out, "out")
	if err != nil {
		return nil, nil, err
	}
	return in, out, nil
}

// launch issues the dispatches of l. Call on the owner thread.
func (b *backend) launch(l compute.Launch, in []*buffer, out *buffer) error {
	dt, s := l.DType, l.Shape
	t := tune(b.gpu, dt)
	wg := t.vectorDefines(dt)
	switch name := l.Kernel.Name; name {
	case "copy", "scale", "add", "triad", "saxpy":
		p, err := b.program(name, wg)
		if err != nil {
			return err
		}
		b.bind(in, out)
		p.setUint("n", s.N)
		p.setScalar("alpha", dt, l.Alpha)
		b.dispatch(p, ceilDiv(s.N, t.wg), 1, 1)
	case "dot", "sum":
		return b.reduce(name, dt, t, s.N, in, out)
	case "fma":
		p, err := b.program(name, t.fmaDefines(dt))
		if err != nil {
			return err
		}
		b.bind(in, out)
		p.setUint("n", s.N)
		p.setUint("k", s.K)
		// fmaChains elements per invocation, k steps each.
		b.dispatch(p, ceilDiv(s.N, t.wg*fmaChains), 1, s.K*fmaChains)
	case "gemv":
		p, err := b.program(name, wg)
		if err != nil {
			return err
		}
		b.bind(in, out)
		p.setUint("m", s.M)
		p.setUint("n", s.N)
		b.dispatch(p, s.M, 1, s.N)
	case "transpose":
		p, err := b.program(name, t.transposeDefines(dt))
		if err != nil {
			return err
		}
		b.bind(in, out)
		p.setUint("m", s.M)
		p.setUint("n", s.N)
		b.dispatch(p, ceilDiv(s.N, t.tile), ceilDiv(s.M, t.tile), 1)
	case "gemm":
		vecA, vecB := s.K%4 == 0, s.N%4 == 0
		p, err := b.program(name, t.gemmDefines(dt, vecA, vecB))
		if err != nil {
			return err
		}
		b.bind(in, out)
		if vecA {
			gl.BindBufferBase(gl.SHADER_STORAGE_BUFFER, bindA4, in[0].id)
		}
		if vecB {
			gl.BindBufferBase(gl.SHADER_STORAGE_BUFFER, bindB4, in[1].id)
		}
		p.setUint("m", s.M)
		p.setUint("n", s.N)
		p.setUint("k", s.K)
		p.setScalar("alpha", dt, l.Alpha)
		p.setScalar("beta", dt, l.Beta)
		b.dispatch(p, ceilDiv(s.N, t.gemm.bn), ceilDiv(s.M, t.gemm.bm), s.K)
	default:
		return fmt.Errorf("%w: gl has no shader for kernel %s", compute.ErrUnsupported, name)
	}
	return nil
}

// reduce computes out[0] = Σ over n terms (x[i] for sum, x[i]·y[i] for
// dot). The first pass leaves one partial sum per work group of
// WG·sumLeaf terms; further passes of sum.comp with LEAF = 1 add WG
// partials each, until one is left. Partials alternate between two
// scratch buffers.
func (b *backend) reduce(name string, dt compute.DType, t tuning, n int, in []*buffer, out *buffer) error {
	p, err := b.program(name, t.reduceDefines(dt, sumLeaf))
	if err != nil {
		return err
	}
	groups := ceilDiv(n, t.wg*sumLeaf)
	var scratch *[2]*buffer
	if groups > 1 {
		if scratch, err = b.scratchFor(dt, groups, ceilDiv(groups, t.wg)); err != nil {
			return err
		}
	}
	dst := out
	if groups > 1 {
		dst = scratch[0]
	}
	b.bind(in, dst)
	p.setUint("n", n)
	b.dispatch(p, groups, 1, 1)
	if groups == 1 {
		return nil
	}
	p, err = b.program("sum", t.reduceDefines(dt, 1))
	if err != nil {
		return err
	}
	for i := 0; groups > 1; i++ {
		src := scratch[i%2]
		next := ceilDiv(groups, t.wg)
		dst := out
		if next > 1 {
			dst = scratch[(i+1)%2]
		}
		b.bind([]*buffer{src}, dst)
		p.setUint("n", groups)
		b.dispatch(p, next, 1, 1)
		groups = next
	}
	return nil
}

// scratchFor returns two scratch buffers of dt holding at least n0 and n1
// elements, growing them as needed. Call on the owner thread.
func (b *backend) scratchFor(dt compute.DType, n0, n1 int) (*[2]*buffer, error) {
	s := b.scratch[dt]
	if s == nil {
		s = &[2]*buffer{}
		b.scratch[dt] = s
	}
	for i, n := range []int{n0, n1} {
		if s[i] != nil && s[i].n >= n {
			continue
		}
		if s[i] != nil {
			s[i].free()
		}
		x := &buffer{b: b, n: max(n, 1), dt: dt}
		if err := x.alloc(); err != nil {
			s[i] = nil
			return nil, err
		}
		s[i] = x
	}
	return s, nil
}

// bind binds the inputs at 0, 1, 2 and out at bindOut.
func (b *backend) bind(in []*buffer, out *buffer) {
	for i, x := range in {
		gl.BindBufferBase(gl.SHADER_STORAGE_BUFFER, uint32(i), x.id)
	}
	gl.BindBufferBase(gl.SHADER_STORAGE_BUFFER, bindOut, out.id)
}

// dispatch runs p over gx×gy work groups, unit being the relative work
// of one group (see dispatchBlock). A grid larger than the driver's
// GL_MAX_COMPUTE_WORK_GROUP_COUNT (or maxGroupsPerDispatch) runs as
// several dispatches, each told its first group by group_base, and a
// block longer than the time budget runs in slices (watchdog.go); they
// write disjoint parts of the result and need no barrier between them.
//
// A dispatch may read what the one before wrote: shader storage writes
// are incoherent, so GL_SHADER_STORAGE_BARRIER_BIT must separate them
// (OpenGL 4.3 core, §7.12.2). It is issued before the dispatch, and the
// barrier that glBufferSubData and glGetBufferSubData need
// (GL_BUFFER_UPDATE_BARRIER_BIT) is owed from here on.
func (b *backend) dispatch(p *program, gx, gy, unit int) {
	if b.owedStorage {
		gl.MemoryBarrier(gl.SHADER_STORAGE_BARRIER_BIT)
		b.owedStorage = false
	}
	gl.UseProgram(p.id)
	mx, my := b.groupLimit(0), b.groupLimit(1)
	for y0 := 0; y0 < gy; y0 += my {
		for x0 := 0; x0 < gx; x0 += mx {
			b.dispatchBlock(p, x0, y0, min(mx, gx-x0), min(my, gy-y0), unit)
		}
	}
	b.owedStorage, b.owedUpdate = true, true
}

// groupLimit is the most work groups one dispatch may have along axis i.
func (b *backend) groupLimit(i int) int {
	if b.maxGroups[i] > 0 {
		return b.maxGroups[i]
	}
	return max(1, min(b.gpu.MaxWorkGroupCount[i], maxGroupsPerDispatch))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
