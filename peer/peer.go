// Package peer holds backends that run the catalogue's BLAS kernels on
// another library, to be measured beside the cpu backend in one run:
// "gonum" (gonum's pure-Go BLAS, always built), "gonum+gpubench"
// (gonum's BLAS interface on our kernels, cpu/blas: what a gonum program
// gains by switching) and "openblas" (the system OpenBLAS through cgo,
// built with -tags openblas).
//
// They run gemm, gemv, saxpy and dot; the other kernels are not BLAS
// operations and return compute.ErrUnsupported. Factories gives them to
// a compute.Registry marked as peers, so "all" leaves them out unless
// named. saxpy updates y in place
// in the catalogue as in BLAS, so axpy runs on y itself; gemm, where the
// catalogue writes a separate out, copies C into out (β ≠ 0) and calls
// gemm on out, which the cpu backend does as well.
package peer

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/internal/hostbuf"
)

// lib is one BLAS library: its level 1–3 routines the catalogue uses, in
// float32 and float64.
type lib struct {
	name, level string
	notes       []string
	// threads sets the library's threads (0: its default) and says how
	// many it will use.
	threads func(workers int) (int, error)
	// maxDim bounds every dimension the library takes (0: none).
	maxDim int
	// close releases what the library holds (nil: nothing).
	close func()

	f32 routines[float32]
	f64 routines[float64]
}

// routines are a library's BLAS routines for T: row-major, unit strides.
type routines[T compute.Float] struct {
	// gemm computes C = α·A·B + β·C.
	gemm func(m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
	// gemv computes y = A·x for the m×n matrix A (row stride lda), without
	// reading y.
	gemv func(m, n int, a []T, lda int, x, y []T)
	// axpy computes y += alpha·x.
	axpy func(alpha T, x, y []T)
	dot  func(x, y []T) T
}

// kernelFunc runs one kernel of the catalogue with a library's routines:
// in holds the operands in the order of the kernel's Inputs.
type kernelFunc[T compute.Float] func(r *routines[T], s compute.Shape, alpha, beta T, in [3][]T, out []T)

// kernels is the peers' dispatch table: the catalogue's BLAS kernels, in
// T. saxpy's out is its y (compute.Kernel.InPlace); BLAS updates C in
// place, so gemm copies C into out (β ≠ 0) before it calls the library
// on out.
func kernels[T compute.Float]() map[compute.Kernel]kernelFunc[T] {
	return map[compute.Kernel]kernelFunc[T]{
		compute.Gemm: func(r *routines[T], s compute.Shape, alpha, beta T, in [3][]T, out []T) {
			if beta != 0 {
				copy(out, in[2])
			}
			r.gemm(s.M, s.N, s.K, alpha, in[0], s.K, in[1], s.N, beta, out, s.N)
		},
		compute.Gemv: func(r *routines[T], s compute.Shape, alpha, beta T, in [3][]T, out []T) {
			r.gemv(s.M, s.N, in[0], s.N, in[1], out)
		},
		compute.Saxpy: func(r *routines[T], s compute.Shape, alpha, beta T, in [3][]T, out []T) {
			r.axpy(alpha, in[0], out) // out is y
		},
		compute.Dot: func(r *routines[T], s compute.Shape, alpha, beta T, in [3][]T, out []T) {
			out[0] = r.dot(in[0], in[1])
		},
	}
}

// kernelSet is the set of kernels the dispatch table holds, for the
// factories' Kernels.
func kernelSet() compute.KernelSet {
	var s compute.KernelSet
	for k := range kernels[float32]() {
		s |= compute.KernelSetOf(k)
	}
	return s
}

// Backend runs a BLAS library's kernels on Go slices.
type Backend struct {
	lib  *lib
	dev  compute.Device
	bufs *hostbuf.Set
	f32  map[compute.Kernel]kernelFunc[float32]
	f64  map[compute.Kernel]kernelFunc[float64]
}

func open(l *lib, o compute.Options) (*Backend, error) {
	if o.Workers < 0 {
		return nil, fmt.Errorf("%w: %d workers: use a positive count, or 0 for the library's default", compute.ErrUsage, o.Workers)
	}
	n, err := l.threads(o.Workers)
	if err != nil {
		return nil, err
	}
	info := hwinfo.Probe()
	d := compute.Device{
		Backend: l.name,
		Name:    info.CPU.Brand,
		Level:   l.level,
		Workers: n,
		DTypes:  []compute.DType{compute.Float32, compute.Float64},
		// The libraries promise no order of summation; the bound of a
		// serial sum holds for every order.
		SumLeaf: 0,
		Notes:   append([]string{"gemm copies C into out, then updates out in place (BLAS form); saxpy updates y in place"}, l.notes...),
	}
	if pk := info.Peak; pk.Cores > 0 {
		share := float64(min(n, pk.Cores)) / float64(pk.Cores)
		d.PeakGFLOPS = map[compute.DType]float64{compute.Float32: pk.GFLOPS32 * share, compute.Float64: pk.GFLOPS64 * share}
	}
	return &Backend{lib: l, dev: d, bufs: hostbuf.NewSet(l.name, info.Memory.TotalBytes), f32: kernels[float32](), f64: kernels[float64]()}, nil
}

func (b *Backend) Name() string           { return b.lib.name }
func (b *Backend) Device() compute.Device { return b.dev }

// Sync returns at once: Run finishes before it returns.
func (b *Backend) Sync() error { return b.bufs.Alive() }

// Close releases every buffer still alive, and the library's workers
// where it has its own. Closing twice is harmless.
func (b *Backend) Close() error {
	if b.bufs.Alive() == nil && b.lib.close != nil {
		b.lib.close()
	}
	b.bufs.Close()
	return nil
}

// Alloc makes a zeroed buffer of n ≥ 1 elements, refusing sizes beyond
// the machine's memory before allocating.
func (b *Backend) Alloc(dt compute.DType, n int) (compute.Buffer, error) {
	u, err := b.bufs.Alloc(dt, n)
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Upload copies src, of dst's dtype and length, into dst.
func (b *Backend) Upload(dst compute.Buffer, src compute.Host) error {
	d, err := b.bufs.Upload(dst, src)
	if err != nil {
		return err
	}
	return compute.CopyHost(d, src)
}

// Download copies src into dst, of src's dtype and length.
func (b *Backend) Download(dst compute.Host, src compute.Buffer) error {
	s, err := b.bufs.Download(dst, src)
	if err != nil {
		return err
	}
	return compute.CopyHost(dst, s)
}

// Run validates l and runs it on the library.
func (b *Backend) Run(l compute.Launch) error {
	var ops hostbuf.Operands
	if err := b.bufs.Launch(&l, &ops); err != nil {
		return err
	}
	s, lb := l.Shape, b.lib
	if lb.maxDim > 0 && max(s.M, s.N, s.K) > lb.maxDim {
		return fmt.Errorf("%w: %s takes dimensions up to %d, got %s", compute.ErrTooLarge, lb.name, lb.maxDim, s.Format(l.Kernel))
	}
	if l.DType == compute.Float32 {
		return run(lb.name, b.f32, &lb.f32, &l.Problem, &ops)
	}
	return run(lb.name, b.f64, &lb.f64, &l.Problem, &ops)
}

// run runs p, a valid launch of dtype T, with the library's routines r.
func run[T compute.Float](name string, table map[compute.Kernel]kernelFunc[T], r *routines[T], p *compute.Problem, ops *hostbuf.Operands) error {
	f, ok := table[p.Kernel]
	if !ok {
		return fmt.Errorf("%w: %s runs %v, not %s", compute.ErrUnsupported, name, kernelSet().List(), p.Kernel)
	}
	var in [3][]T
	out := hostbuf.Slices(ops, &in)
	f(r, p.Shape, T(p.Alpha), T(p.Beta), in, out)
	return nil
}
