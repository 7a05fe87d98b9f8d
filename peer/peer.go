// Package peer holds backends that run the catalogue's BLAS kernels on
// another library, to be measured beside the cpu backend in one run:
// "gonum" (gonum's pure-Go BLAS, always built) and "openblas" (the
// system OpenBLAS through cgo, built with -tags openblas).
//
// They run gemm, gemv, saxpy and dot; the other kernels are not BLAS
// operations and return compute.ErrUnsupported. Both are registered as
// peers, so "all" leaves them out unless named. BLAS updates y in place
// where the catalogue writes a separate out: saxpy copies y into out and
// then calls axpy on out, and gemm copies C into out (β ≠ 0) and calls
// gemm on out, which the cpu backend does as well for gemm.
package peer

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// lib is one BLAS library: the level 1–3 routines the catalogue uses,
// row-major, unit strides.
type lib struct {
	name, level string
	notes       []string
	// threads sets the library's threads (0: its default) and says how
	// many it will use.
	threads func(workers int) (int, error)
	// maxDim bounds every dimension the library takes (0: none).
	maxDim int

	sgemm func(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
	dgemm func(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)
	// gemv computes y = A·x for the m×n matrix A (row stride lda), without
	// reading y.
	sgemv func(m, n int, a []float32, lda int, x, y []float32)
	dgemv func(m, n int, a []float64, lda int, x, y []float64)
	// axpy computes y += alpha·x.
	saxpy func(alpha float32, x, y []float32)
	daxpy func(alpha float64, x, y []float64)
	sdot  func(x, y []float32) float32
	ddot  func(x, y []float64) float64
}

// Backend runs a BLAS library's kernels on Go slices.
type Backend struct {
	lib    *lib
	dev    compute.Device
	closed bool
	live   map[*buffer]struct{}
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
		Notes:   append([]string{"saxpy and gemm copy y or C into out, then update out in place (BLAS form)"}, l.notes...),
	}
	if pk := info.Peak; pk.Cores > 0 {
		share := float64(min(n, pk.Cores)) / float64(pk.Cores)
		d.PeakGFLOPS = map[compute.DType]float64{compute.Float32: pk.GFLOPS32 * share, compute.Float64: pk.GFLOPS64 * share}
	}
	return &Backend{lib: l, dev: d, live: map[*buffer]struct{}{}}, nil
}

func (b *Backend) Name() string           { return b.lib.name }
func (b *Backend) Device() compute.Device { return b.dev }

// Sync returns at once: Run finishes before it returns.
func (b *Backend) Sync() error { return b.alive() }

func (b *Backend) alive() error {
	if b.closed {
		return fmt.Errorf("%w: %s backend is closed", compute.ErrReleased, b.lib.name)
	}
	return nil
}

// Close releases every buffer still alive.
func (b *Backend) Close() error {
	for u := range b.live {
		u.f32, u.f64 = nil, nil
	}
	b.live, b.closed = nil, true
	return nil
}

// Run validates l and runs it on the library.
func (b *Backend) Run(l compute.Launch) error {
	if err := b.alive(); err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	var in [3]*buffer
	for i, buf := range l.In {
		u, err := b.own(buf, "operand", l.Kernel.Inputs[i])
		if err != nil {
			return err
		}
		in[i] = u
	}
	out, err := b.own(l.Out, "out", "")
	if err != nil {
		return err
	}
	s, lb := l.Shape, b.lib
	if lb.maxDim > 0 && max(s.M, s.N, s.K) > lb.maxDim {
		return fmt.Errorf("%w: %s takes dimensions up to %d, got %s", compute.ErrTooLarge, lb.name, lb.maxDim, s.Format(l.Kernel))
	}
	switch {
	case l.Kernel.Name == "gemm" && l.DType == compute.Float32:
		if l.Beta != 0 {
			copy(out.f32, in[2].f32)
		}
		lb.sgemm(s.M, s.N, s.K, float32(l.Alpha), in[0].f32, s.K, in[1].f32, s.N, float32(l.Beta), out.f32, s.N)
	case l.Kernel.Name == "gemm":
		if l.Beta != 0 {
			copy(out.f64, in[2].f64)
		}
		lb.dgemm(s.M, s.N, s.K, l.Alpha, in[0].f64, s.K, in[1].f64, s.N, l.Beta, out.f64, s.N)
	case l.Kernel.Name == "gemv" && l.DType == compute.Float32:
		lb.sgemv(s.M, s.N, in[0].f32, s.N, in[1].f32, out.f32)
	case l.Kernel.Name == "gemv":
		lb.dgemv(s.M, s.N, in[0].f64, s.N, in[1].f64, out.f64)
	case l.Kernel.Name == "saxpy" && l.DType == compute.Float32:
		copy(out.f32, in[1].f32)
		lb.saxpy(float32(l.Alpha), in[0].f32, out.f32)
	case l.Kernel.Name == "saxpy":
		copy(out.f64, in[1].f64)
		lb.daxpy(l.Alpha, in[0].f64, out.f64)
	case l.Kernel.Name == "dot" && l.DType == compute.Float32:
		out.f32[0] = lb.sdot(in[0].f32, in[1].f32)
	case l.Kernel.Name == "dot":
		out.f64[0] = lb.ddot(in[0].f64, in[1].f64)
	default:
		return fmt.Errorf("%w: %s runs gemm, gemv, saxpy and dot, not %s", compute.ErrUnsupported, lb.name, l.Kernel.Name)
	}
	return nil
}

// Supports reports whether the peer runs the named kernel.
func Supports(kernel string) bool {
	switch kernel {
	case "gemm", "gemv", "saxpy", "dot":
		return true
	}
	return false
}
