package compute

import "fmt"

// Problem is one kernel at one size: what a launch runs, the harness
// measures, the reference computes and the conformance suite checks.
type Problem struct {
	Kernel Kernel
	Shape  Shape
	DType  DType
	// Alpha and Beta are the scalars of the kernels that read them (see
	// Kernel.UsesAlpha); the others ignore them.
	Alpha, Beta float64
}

// String is "kernel/shape/dtype", the problem's identity across runs,
// e.g. "gemm/512x512x512/float32".
func (p Problem) String() string {
	return p.Kernel.String() + "/" + p.Shape.Format(p.Kernel) + "/" + p.DType.String()
}

// Validate checks that the kernel is in the catalogue, takes the shape,
// and that the dtype is one the catalogue has.
func (p Problem) Validate() error {
	if err := p.Kernel.Validate(p.Shape); err != nil {
		return err
	}
	if p.DType != Float32 && p.DType != Float64 {
		return fmt.Errorf("%w: dtype %v", ErrUnsupported, p.DType)
	}
	return nil
}

// WithShape is p at shape s: the same kernel, dtype and scalars.
func (p Problem) WithShape(s Shape) Problem {
	p.Shape = s
	return p
}

// Flops is the number of floating-point operations of one run.
func (p Problem) Flops() float64 { return p.Kernel.Flops(p.Shape) }

// Bytes is the memory traffic of one run (see Kernel.Bytes).
func (p Problem) Bytes() float64 { return p.Kernel.Bytes(p.Shape, p.DType) }

// OperandLen is the number of elements of the named operand or of "out".
func (p Problem) OperandLen(name string) int { return p.Kernel.OperandLen(name, p.Shape) }

// OutLen is the number of elements of the result.
func (p Problem) OutLen() int { return p.Kernel.OperandLen("out", p.Shape) }

// Depth is the d of the error bound of a backend that sums in runs of
// leaf terms (see Kernel.Depth).
func (p Problem) Depth(leaf int) int { return p.Kernel.Depth(p.Shape, leaf) }

// Bound is the largest error allowed for an element of mag (see Bound).
func (p Problem) Bound(leaf int, mag float64) float64 { return Bound(p, leaf, mag) }
