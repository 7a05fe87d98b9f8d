package compute

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Form is the family of shapes a kernel accepts.
type Form int

const (
	// VectorForm kernels take vectors of length N and write a vector of
	// length N, or one number (dot, sum).
	VectorForm Form = iota + 1
	// MatrixForm kernels take an M×N matrix (gemv, transpose).
	MatrixForm
	// GEMMForm kernels take M, N and K.
	GEMMForm
	// ChainForm kernels take N elements and K steps per element (fma):
	// their work grows with K while their memory traffic does not.
	ChainForm
)

// Kernel describes one kernel once, for every backend: the operands it
// reads, the shapes it accepts, the work it does, and how its rounding
// error grows. All matrices are dense and row-major.
type Kernel struct {
	Name string
	// Math states what the kernel writes to out, as in the README.
	Math string
	Form Form
	// Inputs names the operands read, in the order a Launch passes them:
	// "x", "y" for vectors, "A", "B", "C" for matrices.
	Inputs []string
	// Alpha and Beta say which scalars the kernel reads.
	Alpha, Beta bool
	// Reduction marks kernels whose result sums many terms in an order the
	// backend chooses (dot, sum): their error bound uses the backend's
	// summation leaf, see Depth.
	Reduction bool

	flops func(s Shape) float64
	// elems counts the elements read and written, for bytes moved.
	elems func(s Shape) float64
	// terms is the number of products or addends behind one output
	// element, and ops the roundings a serial evaluation of it makes.
	terms func(s Shape) int
	ops   func(s Shape) int
}

func vecLen(s Shape) int { return s.N }

// FMASteps is fma's K where a size gives N alone: 256 steps, 64 FLOP per
// byte in float32, past the ridge point of CPUs and GPUs alike, so that
// "gpubench run --kernel all --size N" measures the peak.
const FMASteps = 256

var catalogue = []*Kernel{
	{Name: "copy", Math: "out = x", Form: VectorForm, Inputs: []string{"x"},
		flops: func(s Shape) float64 { return 0 },
		elems: func(s Shape) float64 { return 2 * float64(s.N) },
		terms: func(Shape) int { return 1 }, ops: func(Shape) int { return 0 }},
	{Name: "scale", Math: "out = α·x", Form: VectorForm, Inputs: []string{"x"}, Alpha: true,
		flops: func(s Shape) float64 { return float64(s.N) },
		elems: func(s Shape) float64 { return 2 * float64(s.N) },
		terms: func(Shape) int { return 1 }, ops: func(Shape) int { return 1 }},
	{Name: "add", Math: "out = x + y", Form: VectorForm, Inputs: []string{"x", "y"},
		flops: func(s Shape) float64 { return float64(s.N) },
		elems: func(s Shape) float64 { return 3 * float64(s.N) },
		terms: func(Shape) int { return 2 }, ops: func(Shape) int { return 1 }},
	{Name: "triad", Math: "out = x + α·y", Form: VectorForm, Inputs: []string{"x", "y"}, Alpha: true,
		flops: func(s Shape) float64 { return 2 * float64(s.N) },
		elems: func(s Shape) float64 { return 3 * float64(s.N) },
		terms: func(Shape) int { return 2 }, ops: func(Shape) int { return 2 }},
	{Name: "saxpy", Math: "out = α·x + y", Form: VectorForm, Inputs: []string{"x", "y"}, Alpha: true,
		flops: func(s Shape) float64 { return 2 * float64(s.N) },
		elems: func(s Shape) float64 { return 3 * float64(s.N) },
		terms: func(Shape) int { return 2 }, ops: func(Shape) int { return 2 }},
	{Name: "dot", Math: "out = Σ xᵢ·yᵢ", Form: VectorForm, Inputs: []string{"x", "y"}, Reduction: true,
		flops: func(s Shape) float64 { return 2 * float64(s.N) },
		elems: func(s Shape) float64 { return 2*float64(s.N) + 1 },
		terms: vecLen, ops: func(s Shape) int { return s.N }},
	{Name: "sum", Math: "out = Σ xᵢ", Form: VectorForm, Inputs: []string{"x"}, Reduction: true,
		flops: func(s Shape) float64 { return float64(s.N) },
		elems: func(s Shape) float64 { return float64(s.N) + 1 },
		terms: vecLen, ops: func(s Shape) int { return max(s.N-1, 0) }},
	{Name: "gemv", Math: "out = A·x", Form: MatrixForm, Inputs: []string{"A", "x"},
		flops: func(s Shape) float64 { return 2 * float64(s.M) * float64(s.N) },
		elems: func(s Shape) float64 { return float64(s.M)*float64(s.N) + float64(s.N) + float64(s.M) },
		terms: vecLen, ops: func(s Shape) int { return s.N }},
	{Name: "gemm", Math: "out = α·A·B + β·C", Form: GEMMForm, Inputs: []string{"A", "B", "C"}, Alpha: true, Beta: true,
		flops: func(s Shape) float64 { return 2 * float64(s.M) * float64(s.N) * float64(s.K) },
		elems: func(s Shape) float64 {
			return float64(s.M)*float64(s.K) + float64(s.K)*float64(s.N) + 2*float64(s.M)*float64(s.N)
		},
		// k products and k-1 additions, then α·(…), β·c and the final add.
		terms: func(s Shape) int { return s.K + 1 }, ops: func(s Shape) int { return s.K + 3 }},
	{Name: "transpose", Math: "out = Aᵀ", Form: MatrixForm, Inputs: []string{"A"},
		flops: func(s Shape) float64 { return 0 },
		elems: func(s Shape) float64 { return 2 * float64(s.M) * float64(s.N) },
		terms: func(Shape) int { return 1 }, ops: func(Shape) int { return 0 }},
	// fma reads x and writes out, N elements each, and does K dependent
	// fused multiply-adds (2 FLOP) per element, so its intensity is
	// 2K/(2·size) FLOP per byte: K/4 in float32, K/8 in float64. Varying
	// K sweeps it across the roofline; a large K measures the peak.
	{Name: "fma", Math: "out = fᴷ(x), f(a) = a·½ + ¼", Form: ChainForm, Inputs: []string{"x"},
		flops: func(s Shape) float64 { return 2 * float64(s.N) * float64(s.K) },
		elems: func(s Shape) float64 { return 2 * float64(s.N) },
		terms: func(Shape) int { return 2 }, ops: fmaDepth},
}

// Kernels lists the catalogue in its fixed order.
func Kernels() []*Kernel { return slices.Clone(catalogue) }

// KernelNames lists the catalogue's names in order.
func KernelNames() []string {
	names := make([]string, len(catalogue))
	for i, k := range catalogue {
		names[i] = k.Name
	}
	return names
}

// LookupKernel finds a kernel by name.
func LookupKernel(name string) (*Kernel, error) {
	for _, k := range catalogue {
		if k.Name == name {
			return k, nil
		}
	}
	return nil, fmt.Errorf("%w %q: known kernels are %s", ErrUnknownKernel, name, strings.Join(KernelNames(), ", "))
}

// Flops is the number of floating-point operations of one run, counting
// a fused multiply-add as two.
func (k *Kernel) Flops(s Shape) float64 { return k.flops(s) }

// Bytes is the memory traffic of one run: every operand read once and the
// result written once, at dt's element size.
func (k *Kernel) Bytes(s Shape, dt DType) float64 { return k.elems(s) * float64(dt.Size()) }

// Terms is the number of products or addends that make one element of out.
func (k *Kernel) Terms(s Shape) int { return k.terms(s) }

// Intensity is FLOPs per byte moved.
func (k *Kernel) Intensity(s Shape, dt DType) float64 {
	b := k.Bytes(s, dt)
	if b == 0 {
		return 0
	}
	return k.Flops(s) / b
}

// OperandLen is the number of elements of the named operand or of "out".
func (k *Kernel) OperandLen(name string, s Shape) int {
	switch name {
	case "x":
		return s.N
	case "y":
		if k.Form == MatrixForm {
			return s.M
		}
		return s.N
	case "A":
		if k.Form == GEMMForm {
			return Elems(s.M, s.K)
		}
		return Elems(s.M, s.N)
	case "B":
		return Elems(s.K, s.N)
	case "C":
		return Elems(s.M, s.N)
	case "out":
		switch {
		case k.Reduction:
			return 1
		case k.Name == "gemv":
			return s.M
		case k.Form == VectorForm, k.Form == ChainForm:
			return s.N
		}
		return Elems(s.M, s.N)
	}
	panic("compute: unknown operand " + name)
}

// Validate checks that s is a shape this kernel accepts. Every dimension
// the kernel uses must be at least 1; the others must be 0.
func (k *Kernel) Validate(s Shape) error {
	used := [3]bool{k.Form == MatrixForm || k.Form == GEMMForm, true, k.Form == GEMMForm || k.Form == ChainForm} // M, N, K
	dims := [3]int{s.M, s.N, s.K}
	names := [3]string{"M", "N", "K"}
	for i := range dims {
		switch {
		case used[i] && dims[i] < 1:
			return fmt.Errorf("%w: %s needs %s ≥ 1, got %s", ErrShape, k.Name, names[i], s.Format(k))
		case !used[i] && dims[i] != 0:
			return fmt.Errorf("%w: %s takes %s, got %d×%d×%d", ErrShape, k.Name, k.ShapeHelp(), s.M, s.N, s.K)
		case int64(dims[i]) > MaxDim:
			return fmt.Errorf("%w: %s dimension %s=%d is beyond %d", ErrTooLarge, k.Name, names[i], dims[i], int64(MaxDim))
		}
	}
	return nil
}

// ShapeHelp says which sizes the kernel accepts.
func (k *Kernel) ShapeHelp() string {
	switch k.Form {
	case VectorForm:
		return "a length N"
	case MatrixForm:
		return "MxN (or N for square)"
	case ChainForm:
		return "NxK (N elements, K FMA steps each; N alone for K = 256)"
	}
	return "MxNxK (or N for square)"
}

// ParseShape reads a size for this kernel: "N" for vector kernels, "MxN"
// or "N" (square) for gemv and transpose, "MxNxK" or "N" (cube) for gemm,
// "NxK" or "N" (K = FMASteps) for fma.
func (k *Kernel) ParseShape(str string) (Shape, error) {
	d, err := ParseShape(str)
	if err != nil {
		return Shape{}, err
	}
	var s Shape
	switch {
	case k.Form == VectorForm && len(d) == 1:
		s = Vec(d[0])
	case k.Form == MatrixForm && len(d) == 1:
		s = Mat(d[0], d[0])
	case k.Form == MatrixForm && len(d) == 2:
		s = Mat(d[0], d[1])
	case k.Form == GEMMForm && len(d) == 1:
		s = GEMM(d[0], d[0], d[0])
	case k.Form == GEMMForm && len(d) == 3:
		s = GEMM(d[0], d[1], d[2])
	case k.Form == ChainForm && len(d) == 1:
		s = Chain(d[0], FMASteps)
	case k.Form == ChainForm && len(d) == 2:
		s = Chain(d[0], d[1])
	default:
		return Shape{}, fmt.Errorf("%w: %s takes %s, not %q", ErrShape, k.Name, k.ShapeHelp(), str)
	}
	return s, k.Validate(s)
}

// Format writes s the way ParseShape reads it for this kernel.
func (s Shape) Format(k *Kernel) string {
	switch k.Form {
	case VectorForm:
		return fmt.Sprint(s.N)
	case MatrixForm:
		return fmt.Sprintf("%dx%d", s.M, s.N)
	case ChainForm:
		return fmt.Sprintf("%dx%d", s.N, s.K)
	}
	return fmt.Sprintf("%dx%dx%d", s.M, s.N, s.K)
}

// Depth is the number of roundings on the longest path from the inputs
// to one element of out, the d of the error bound γ(d) (see Bound).
//
// A sum of n terms evaluated in any order has a longest path of at most
// n−1 additions. A backend that sums in runs of at most leaf terms and
// then adds the runs' results pairwise has a path of at most
// (leaf−1) + ⌈log₂⌈n/leaf⌉⌉ additions (Higham, Accuracy and Stability of
// Numerical Algorithms, 2nd ed., §4.2). leaf ≤ 0 means serial. dot adds
// one rounding for the products. Kernels that are not reductions use the
// serial count, which holds for any order.
func (k *Kernel) Depth(s Shape, leaf int) int {
	serial := k.ops(s)
	if !k.Reduction || leaf <= 0 || s.N <= leaf {
		return serial
	}
	runs := (s.N + leaf - 1) / leaf
	d := leaf - 1 + int(math.Ceil(math.Log2(float64(runs))))
	if k.Name == "dot" {
		d++
	}
	return min(d, serial)
}
