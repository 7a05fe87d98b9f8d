package cpu

import (
	"fmt"
	"maps"
	"slices"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/internal/hostbuf"
)

// Run validates l and runs it to completion.
func (b *Backend) Run(l compute.Launch) error {
	if err := b.bufs.Launch(&l, &b.ops); err != nil {
		return err
	}
	if l.DType == compute.Float32 {
		return b.f32.run(&l.Problem, &b.ops)
	}
	return b.f64.run(&l.Problem, &b.ops)
}

// operands are one launch's, as slices of the launch's dtype: in holds
// the inputs in the order of the kernel's Inputs.
type operands[T compute.Float] struct {
	kernel      compute.Kernel
	shape       compute.Shape
	alpha, beta T
	in          [3][]T
	out         []T
}

// kernelFunc runs one kernel of the catalogue on r with the launch's
// operands o (r's own, so that the call copies nothing).
type kernelFunc[T compute.Float] func(r *runner[T], o *operands[T])

// kernels is the backend's dispatch table: what Run does for each kernel
// it runs, in T. The factories' Kernels are its keys.
func kernels[T compute.Float]() map[compute.Kernel]kernelFunc[T] {
	return map[compute.Kernel]kernelFunc[T]{
		compute.Copy:      (*runner[T]).elementwise,
		compute.Scale:     (*runner[T]).elementwise,
		compute.Add:       (*runner[T]).elementwise,
		compute.Triad:     (*runner[T]).elementwise,
		compute.Saxpy:     (*runner[T]).elementwise,
		compute.Dot:       (*runner[T]).reduction,
		compute.Sum:       (*runner[T]).reduction,
		compute.Gemv:      (*runner[T]).gemv,
		compute.Transpose: (*runner[T]).transpose,
		compute.Gemm:      (*runner[T]).gemm,
		compute.FMA:       (*runner[T]).fma,
	}
}

// kernelSet is the set of kernels the dispatch table holds.
func kernelSet() compute.KernelSet {
	return compute.KernelSetOf(slices.Collect(maps.Keys(kernels[float32]()))...)
}

// table is the dispatch table as a slice indexed by kernel, for Run.
func table[T compute.Float]() []kernelFunc[T] {
	m := kernels[T]()
	t := make([]kernelFunc[T], int(slices.Max(slices.Collect(maps.Keys(m))))+1)
	for k, f := range m {
		t[k] = f
	}
	return t
}

// run runs p, a valid launch of r's dtype, on its operands.
func (r *runner[T]) run(p *compute.Problem, ops *hostbuf.Operands) error {
	k := p.Kernel
	if int(k) >= len(r.table) || r.table[k] == nil {
		return fmt.Errorf("%w: cpu has no kernel %s", compute.ErrUnsupported, k)
	}
	o := &r.op
	o.kernel, o.shape, o.alpha, o.beta = k, p.Shape, T(p.Alpha), T(p.Beta)
	o.out = hostbuf.Slices(ops, &o.in)
	r.table[k](r, o)
	o.in, o.out = [3][]T{}, nil
	return nil
}
