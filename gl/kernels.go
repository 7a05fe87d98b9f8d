//go:build cgo

package gl

import (
	"fmt"
	"maps"
	"slices"

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
		x, err := b.own(buf, "operand "+l.Kernel.Inputs()[i])
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

// launcher issues the dispatches of l on the buffers in and out, with
// t's sizes for l's dtype. Call on the owner thread.
type launcher func(b *backend, l compute.Launch, t tuning, in []*buffer, out *buffer) error

// dispatchTable is how the backend launches each kernel it runs, each
// with the shader named as the kernel (gemm.comp for compute.Gemm).
// Factory.Kernels is made from its keys.
func dispatchTable() map[compute.Kernel]launcher {
	return map[compute.Kernel]launcher{
		compute.Copy:      (*backend).launchVector,
		compute.Scale:     (*backend).launchVector,
		compute.Add:       (*backend).launchVector,
		compute.Triad:     (*backend).launchVector,
		compute.Saxpy:     (*backend).launchVector,
		compute.Dot:       (*backend).reduce,
		compute.Sum:       (*backend).reduce,
		compute.Gemv:      (*backend).launchGemv,
		compute.Gemm:      (*backend).launchGemm,
		compute.Transpose: (*backend).launchTranspose,
		compute.FMA:       (*backend).launchFMA,
	}
}

// kernelSet is the set of kernels in the dispatch table.
func kernelSet() compute.KernelSet {
	return compute.KernelSetOf(slices.Collect(maps.Keys(dispatchTable()))...)
}

// launch issues the dispatches of l. Call on the owner thread.
func (b *backend) launch(l compute.Launch, in []*buffer, out *buffer) error {
	run, ok := b.kernels[l.Kernel]
	if !ok {
		return fmt.Errorf("%w: gl has no shader for kernel %s", compute.ErrUnsupported, l.Kernel)
	}
	return run(b, l, tune(b.gpu, l.DType), in, out)
}

// runShader runs the shader of pr's kernel, specialised with ds, over
// gx×gy work groups of unit work each (see dispatch), with in and out
// bound and the uniforms set from pr's shape and scalars.
func (b *backend) runShader(pr compute.Problem, ds []define, in []*buffer, out *buffer, gx, gy, unit int) error {
	p, err := b.program(pr.Kernel.String(), ds)
	if err != nil {
		return err
	}
	b.bind(in, out)
	p.setProblem(pr)
	b.dispatch(p, gx, gy, unit)
	return nil
}

// launchVector runs copy, scale, add, triad and saxpy: one invocation
// per element.
func (b *backend) launchVector(l compute.Launch, t tuning, in []*buffer, out *buffer) error {
	return b.runShader(l.Problem, t.vectorDefines(l.DType), in, out, ceilDiv(l.Shape.N, t.wg), 1, 1)
}

// launchFMA runs fma: fmaChains elements per invocation, k steps each,
// in dispatches of at most fmaSpan steps, each after the first going on
// from the chains the one before left in out.
func (b *backend) launchFMA(l compute.Launch, t tuning, in []*buffer, out *buffer) error {
	s := l.Shape
	src := in
	for done := 0; done < s.K; {
		pr := l.Problem
		pr.Shape.K = min(fmaSpan, s.K-done)
		if err := b.runShader(pr, t.fmaDefines(l.DType), src, out, ceilDiv(s.N, t.wg*fmaChains), 1, pr.Shape.K*fmaChains); err != nil {
			return err
		}
		done += pr.Shape.K
		src = []*buffer{out}
	}
	return nil
}

// fmaSpan is the most steps of one fma dispatch: llvmpipe ends a
// shader's loop after 65535 turns (its guard against shaders that never
// end), which cut longer chains short and returned them as if done, and
// a dispatch of 32768 steps already takes far longer than its launch.
const fmaSpan = 1 << 15

// launchGemv runs gemv: one work group per row of n products.
func (b *backend) launchGemv(l compute.Launch, t tuning, in []*buffer, out *buffer) error {
	return b.runShader(l.Problem, t.vectorDefines(l.DType), in, out, l.Shape.M, 1, l.Shape.N)
}

// launchTranspose runs transpose: one work group per tile.
func (b *backend) launchTranspose(l compute.Launch, t tuning, in []*buffer, out *buffer) error {
	s := l.Shape
	return b.runShader(l.Problem, t.transposeDefines(l.DType), in, out, ceilDiv(s.N, t.tile), ceilDiv(s.M, t.tile), 1)
}

// launchGemm runs gemm: one work group per block of the result, k
// products per element. A and B are also bound as 4-vectors where k (for
// A) and n (for B) are multiples of 4, which turns on the shader's
// 4-vector loads.
func (b *backend) launchGemm(l compute.Launch, t tuning, in []*buffer, out *buffer) error {
	s := l.Shape
	vecA, vecB := s.K%4 == 0, s.N%4 == 0
	if vecA {
		gl.BindBufferBase(gl.SHADER_STORAGE_BUFFER, bindA4, in[0].id)
	}
	if vecB {
		gl.BindBufferBase(gl.SHADER_STORAGE_BUFFER, bindB4, in[1].id)
	}
	return b.runShader(l.Problem, t.gemmDefines(l.DType, vecA, vecB), in, out, ceilDiv(s.N, t.gemm.bn), ceilDiv(s.M, t.gemm.bm), s.K)
}

// reduce computes out[0] = Σ over n terms (x[i] for sum, x[i]·y[i] for
// dot). The first pass leaves one partial sum per work group of
// WG·sumLeaf terms; further passes of sum.comp with LEAF = 1 add WG
// partials each, until one is left. Partials alternate between two
// scratch buffers.
func (b *backend) reduce(l compute.Launch, t tuning, in []*buffer, out *buffer) error {
	dt, n := l.DType, l.Shape.N
	p, err := b.program(l.Kernel.String(), t.reduceDefines(dt, sumLeaf))
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
	p.setUint(uniformN, n)
	b.dispatch(p, groups, 1, 1)
	if groups == 1 {
		return nil
	}
	p, err = b.program(compute.Sum.String(), t.reduceDefines(dt, 1))
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
		p.setUint(uniformN, groups)
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
	b.storageBarrier()
	gl.UseProgram(p.id)
	mx, my := b.groupLimit(0), b.groupLimit(1)
	for y0 := 0; y0 < gy; y0 += my {
		for x0 := 0; x0 < gx; x0 += mx {
			b.dispatchBlock(p, x0, y0, min(mx, gx-x0), min(my, gy-y0), unit)
		}
	}
	b.owedStorage, b.owedUpdate = true, true
}

// storageBarrier makes the storage writes of the dispatches before
// visible to the next one, where they are owed a barrier.
func (b *backend) storageBarrier() {
	if b.owedStorage {
		gl.MemoryBarrier(gl.SHADER_STORAGE_BARRIER_BIT)
		b.owedStorage = false
	}
}

// groupLimit is the most work groups one dispatch may have along axis i.
func (b *backend) groupLimit(i int) int {
	if b.maxGroups[i] > 0 {
		return b.maxGroups[i]
	}
	return max(1, min(b.gpu.MaxWorkGroupCount[i], maxGroupsPerDispatch))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
