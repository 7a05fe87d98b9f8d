package cpu

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/gemm"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// Run validates l and runs it to completion.
func (b *Backend) Run(l compute.Launch) error {
	if b.closed {
		return fmt.Errorf("%w: cpu backend is closed", compute.ErrReleased)
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
	if kern.Current() != b.level {
		defer kern.SetLevel(b.level)()
	}
	s := l.Shape
	if l.DType == compute.Float32 {
		a, beta := float32(l.Alpha), float32(l.Beta)
		switch l.Kernel.Name {
		case "copy":
			b.vector(opCopy, out.f32, in[0].f32, nil, a)
		case "scale":
			b.vector(opScale, out.f32, in[0].f32, nil, a)
		case "add":
			b.vector(opAdd, out.f32, in[0].f32, in[1].f32, a)
		case "triad":
			b.vector(opTriad, out.f32, in[0].f32, in[1].f32, a)
		case "saxpy":
			b.vector(opAxpy, out.f32, in[0].f32, in[1].f32, a)
		case "dot":
			out.f32[0] = b.reduce32(opDot, in[0].f32, in[1].f32)
		case "sum":
			out.f32[0] = b.reduce32(opSum, in[0].f32, nil)
		case "gemv":
			b.gemv32(out.f32, in[0].f32, in[1].f32, s.M, s.N)
		case "transpose":
			b.transpose32(out.f32, in[0].f32, s.M, s.N)
		case "gemm":
			if beta != 0 {
				b.copy32(out.f32, in[2].f32)
			}
			gemm.Gemm32(b.pool, s.M, s.N, s.K, a, in[0].f32, s.K, in[1].f32, s.N, beta, out.f32, s.N)
		case "fma":
			b.fma32(out.f32, in[0].f32, s.K)
		default:
			return fmt.Errorf("%w: cpu has no kernel %s", compute.ErrUnsupported, l.Kernel.Name)
		}
		return nil
	}
	a, beta := l.Alpha, l.Beta
	switch l.Kernel.Name {
	case "copy":
		b.vector64(opCopy, out.f64, in[0].f64, nil, a)
	case "scale":
		b.vector64(opScale, out.f64, in[0].f64, nil, a)
	case "add":
		b.vector64(opAdd, out.f64, in[0].f64, in[1].f64, a)
	case "triad":
		b.vector64(opTriad, out.f64, in[0].f64, in[1].f64, a)
	case "saxpy":
		b.vector64(opAxpy, out.f64, in[0].f64, in[1].f64, a)
	case "dot":
		out.f64[0] = b.reduce64(opDot, in[0].f64, in[1].f64)
	case "sum":
		out.f64[0] = b.reduce64(opSum, in[0].f64, nil)
	case "gemv":
		b.gemv64(out.f64, in[0].f64, in[1].f64, s.M, s.N)
	case "transpose":
		b.transpose64(out.f64, in[0].f64, s.M, s.N)
	case "gemm":
		if beta != 0 {
			b.copy64(out.f64, in[2].f64)
		}
		gemm.Gemm64(b.pool, s.M, s.N, s.K, a, in[0].f64, s.K, in[1].f64, s.N, beta, out.f64, s.N)
	case "fma":
		b.fma64(out.f64, in[0].f64, s.K)
	default:
		return fmt.Errorf("%w: cpu has no kernel %s", compute.ErrUnsupported, l.Kernel.Name)
	}
	return nil
}
