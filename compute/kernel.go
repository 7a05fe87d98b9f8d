package compute

import (
	"fmt"
	"math"
	"strings"
)

// Kernel names one kernel of the catalogue. It is a typed value so that
// the compiler checks every use: a kernel is a string only at the edges,
// where ParseKernel reads a flag and String writes a report.
type Kernel uint8

// The catalogue, in the order it is listed and reported.
const (
	Copy Kernel = iota + 1
	Scale
	Add
	Triad
	Saxpy
	Dot
	Sum
	Gemv
	Gemm
	Transpose
	FMA

	numKernels = iota
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

// kernelInfo describes one kernel once, for every backend: the operands
// it reads, the shapes it accepts, the work it does, and how its rounding
// error grows. All matrices are dense and row-major.
type kernelInfo struct {
	name string
	// math states what the kernel writes to out, as docs/usage.md's
	// kernel table does.
	math string
	form Form
	// inputs names the operands read, in the order a Launch passes them:
	// "x", "y" for vectors, "A", "B", "C" for matrices.
	inputs []string
	// inPlace names the input the kernel updates in place, which is then
	// also its out ("y" for saxpy, as BLAS's axpy); "" where it writes a
	// separate out.
	inPlace string
	// alpha and beta say which scalars the kernel reads.
	alpha, beta bool
	// reduction marks kernels whose result sums many terms in an order
	// the backend chooses (dot, sum): their error bound uses the
	// backend's summation leaf, see Depth.
	reduction bool

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

// catalogue is indexed by Kernel; it is never written after
// initialisation.
var catalogue = [numKernels + 1]kernelInfo{
	Copy: {name: "copy", math: "out = x", form: VectorForm, inputs: []string{"x"},
		flops: func(s Shape) float64 { return 0 },
		elems: func(s Shape) float64 { return 2 * float64(s.N) },
		terms: func(Shape) int { return 1 }, ops: func(Shape) int { return 0 }},
	Scale: {name: "scale", math: "out = α·x", form: VectorForm, inputs: []string{"x"}, alpha: true,
		flops: func(s Shape) float64 { return float64(s.N) },
		elems: func(s Shape) float64 { return 2 * float64(s.N) },
		terms: func(Shape) int { return 1 }, ops: func(Shape) int { return 1 }},
	Add: {name: "add", math: "out = x + y", form: VectorForm, inputs: []string{"x", "y"},
		flops: func(s Shape) float64 { return float64(s.N) },
		elems: func(s Shape) float64 { return 3 * float64(s.N) },
		terms: func(Shape) int { return 2 }, ops: func(Shape) int { return 1 }},
	Triad: {name: "triad", math: "out = x + α·y", form: VectorForm, inputs: []string{"x", "y"}, alpha: true,
		flops: func(s Shape) float64 { return 2 * float64(s.N) },
		elems: func(s Shape) float64 { return 3 * float64(s.N) },
		terms: func(Shape) int { return 2 }, ops: func(Shape) int { return 2 }},
	// saxpy is BLAS's axpy (daxpy in float64): it updates y in place,
	// reading x and y and writing y, 3N elements, as BLAS counts it.
	// triad, STREAM's, writes a third array, also 3N: STREAM counts
	// neither the write-allocate read of out nor its absence.
	Saxpy: {name: "saxpy", math: "y ← α·x + y (in place)", form: VectorForm, inputs: []string{"x", "y"}, inPlace: "y", alpha: true,
		flops: func(s Shape) float64 { return 2 * float64(s.N) },
		elems: func(s Shape) float64 { return 3 * float64(s.N) },
		terms: func(Shape) int { return 2 }, ops: func(Shape) int { return 2 }},
	Dot: {name: "dot", math: "out = Σ xᵢ·yᵢ", form: VectorForm, inputs: []string{"x", "y"}, reduction: true,
		flops: func(s Shape) float64 { return 2 * float64(s.N) },
		elems: func(s Shape) float64 { return 2*float64(s.N) + 1 },
		terms: vecLen, ops: func(s Shape) int { return s.N }},
	Sum: {name: "sum", math: "out = Σ xᵢ", form: VectorForm, inputs: []string{"x"}, reduction: true,
		flops: func(s Shape) float64 { return float64(s.N) },
		elems: func(s Shape) float64 { return float64(s.N) + 1 },
		terms: vecLen, ops: func(s Shape) int { return max(s.N-1, 0) }},
	Gemv: {name: "gemv", math: "out = A·x", form: MatrixForm, inputs: []string{"A", "x"},
		flops: func(s Shape) float64 { return 2 * float64(s.M) * float64(s.N) },
		elems: func(s Shape) float64 { return float64(s.M)*float64(s.N) + float64(s.N) + float64(s.M) },
		terms: vecLen, ops: func(s Shape) int { return s.N }},
	Gemm: {name: "gemm", math: "out = α·A·B + β·C", form: GEMMForm, inputs: []string{"A", "B", "C"}, alpha: true, beta: true,
		flops: func(s Shape) float64 { return 2 * float64(s.M) * float64(s.N) * float64(s.K) },
		elems: func(s Shape) float64 {
			return float64(s.M)*float64(s.K) + float64(s.K)*float64(s.N) + 2*float64(s.M)*float64(s.N)
		},
		// k products and k-1 additions, then α·(…), β·c and the final add.
		terms: func(s Shape) int { return s.K + 1 }, ops: func(s Shape) int { return s.K + 3 }},
	Transpose: {name: "transpose", math: "out = Aᵀ", form: MatrixForm, inputs: []string{"A"},
		flops: func(s Shape) float64 { return 0 },
		elems: func(s Shape) float64 { return 2 * float64(s.M) * float64(s.N) },
		terms: func(Shape) int { return 1 }, ops: func(Shape) int { return 0 }},
	// fma reads x and writes out, N elements each, and does K dependent
	// fused multiply-adds (2 FLOP) per element, so its intensity is
	// 2K/(2·size) FLOP per byte: K/4 in float32, K/8 in float64. Varying
	// K sweeps it across the roofline; a large K measures the peak.
	FMA: {name: "fma", math: "out = fᴷ(x), f(a) = a·1 + 2⁻¹⁰", form: ChainForm, inputs: []string{"x"},
		flops: func(s Shape) float64 { return 2 * float64(s.N) * float64(s.K) },
		elems: func(s Shape) float64 { return 2 * float64(s.N) },
		terms: func(Shape) int { return 2 }, ops: fmaDepth},
}

// Kernels lists the catalogue in its fixed order.
func Kernels() []Kernel {
	out := make([]Kernel, 0, numKernels)
	for k := Copy; k <= FMA; k++ {
		out = append(out, k)
	}
	return out
}

// KernelNames lists the catalogue's names in order.
func KernelNames() []string {
	names := make([]string, 0, numKernels)
	for _, k := range Kernels() {
		names = append(names, k.String())
	}
	return names
}

// ParseKernel finds a kernel by name.
func ParseKernel(name string) (Kernel, error) {
	for _, k := range Kernels() {
		if k.String() == name {
			return k, nil
		}
	}
	return 0, fmt.Errorf("%w %q: known kernels are %s", ErrUnknownKernel, name, strings.Join(KernelNames(), ", "))
}

// Valid reports whether k is in the catalogue.
func (k Kernel) Valid() bool { return k >= Copy && k <= FMA }

// info is k's entry; it panics on a kernel outside the catalogue, a
// programming error (ParseKernel checks a user's choice).
func (k Kernel) info() *kernelInfo {
	if !k.Valid() {
		panic(fmt.Sprintf("compute: Kernel(%d) is not in the catalogue", uint8(k)))
	}
	return &catalogue[k]
}

// String is the kernel's name, as flags and reports spell it: "gemm".
func (k Kernel) String() string {
	if !k.Valid() {
		return fmt.Sprintf("Kernel(%d)", uint8(k))
	}
	return catalogue[k].name
}

// Math states what the kernel writes to out, e.g. "out = x + α·y", or
// which input it updates, "y ← α·x + y (in place)".
func (k Kernel) Math() string { return k.info().math }

// Form is the family of shapes k accepts.
func (k Kernel) Form() Form { return k.info().form }

// Inputs names the operands k reads, in the order a Launch passes them:
// "x", "y" for vectors, "A", "B", "C" for matrices. The slice is the
// catalogue's own: read it, do not change it.
func (k Kernel) Inputs() []string { return k.info().inputs }

// InPlace names the input k updates in place, which a Launch passes as
// its Out too ("y" for saxpy, as BLAS's axpy does); "" where k writes a
// separate out. Running such a kernel again changes its result: a
// benchmark that repeats it uploads the operand again before the run
// it checks.
func (k Kernel) InPlace() string { return k.info().inPlace }

// InPlaceIndex is the position of InPlace in Inputs, or −1.
func (k Kernel) InPlaceIndex() int {
	in := k.info()
	for i, name := range in.inputs {
		if name == in.inPlace {
			return i
		}
	}
	return -1
}

// UsesAlpha and UsesBeta say which scalars k reads.
func (k Kernel) UsesAlpha() bool { return k.info().alpha }
func (k Kernel) UsesBeta() bool  { return k.info().beta }

// Reduction marks kernels whose result sums many terms in an order the
// backend chooses (dot, sum): their error bound uses the backend's
// summation leaf, see Depth.
func (k Kernel) Reduction() bool { return k.info().reduction }

// Flops is the number of floating-point operations of one run, counting
// a fused multiply-add as two.
func (k Kernel) Flops(s Shape) float64 { return k.info().flops(s) }

// Bytes is the memory traffic of one run: every operand read once and the
// result written once, at dt's element size.
func (k Kernel) Bytes(s Shape, dt DType) float64 { return k.info().elems(s) * float64(dt.Size()) }

// Terms is the number of products or addends that make one element of out.
func (k Kernel) Terms(s Shape) int { return k.info().terms(s) }

// Intensity is FLOPs per byte moved.
func (k Kernel) Intensity(s Shape, dt DType) float64 {
	b := k.Bytes(s, dt)
	if b == 0 {
		return 0
	}
	return k.Flops(s) / b
}

// OperandLen is the number of elements of the named operand or of "out".
func (k Kernel) OperandLen(name string, s Shape) int { return k.info().operandLen(k, name, s) }

// operandLen is OperandLen for k, whose entry in is.
func (in *kernelInfo) operandLen(k Kernel, name string, s Shape) int {
	form := in.form
	switch name {
	case "x":
		return s.N
	case "y":
		if form == MatrixForm {
			return s.M
		}
		return s.N
	case "A":
		if form == GEMMForm {
			return Elems(s.M, s.K)
		}
		return Elems(s.M, s.N)
	case "B":
		return Elems(s.K, s.N)
	case "C":
		return Elems(s.M, s.N)
	case "out":
		switch {
		case in.reduction:
			return 1
		case k == Gemv:
			return s.M
		case form == VectorForm, form == ChainForm:
			return s.N
		}
		return Elems(s.M, s.N)
	}
	panic("compute: unknown operand " + name)
}

// Validate checks that s is a shape this kernel accepts. Every dimension
// the kernel uses must be at least 1; the others must be 0.
func (k Kernel) Validate(s Shape) error {
	if !k.Valid() {
		return fmt.Errorf("%w: %v", ErrUnknownKernel, k)
	}
	return k.validate(&catalogue[k], s)
}

// validate is Validate for k, whose entry in is.
func (k Kernel) validate(in *kernelInfo, s Shape) error {
	form := in.form
	used := [3]bool{form == MatrixForm || form == GEMMForm, true, form == GEMMForm || form == ChainForm} // M, N, K
	dims := [3]int{s.M, s.N, s.K}
	names := [3]string{"M", "N", "K"}
	for i := range dims {
		switch {
		case used[i] && dims[i] < 1:
			return fmt.Errorf("%w: %s needs %s ≥ 1, got %s", ErrShape, k, names[i], s.Format(k))
		case !used[i] && dims[i] != 0:
			return fmt.Errorf("%w: %s takes %s, got %d×%d×%d", ErrShape, k, k.ShapeHelp(), s.M, s.N, s.K)
		case int64(dims[i]) > MaxDim:
			return fmt.Errorf("%w: %s dimension %s=%d is beyond %d", ErrTooLarge, k, names[i], dims[i], int64(MaxDim))
		}
	}
	return nil
}

// ShapeHelp says which sizes the kernel accepts.
func (k Kernel) ShapeHelp() string {
	switch k.Form() {
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
func (k Kernel) ParseShape(str string) (Shape, error) {
	d, err := ParseShape(str)
	if err != nil {
		return Shape{}, err
	}
	var s Shape
	form := k.Form()
	switch {
	case form == VectorForm && len(d) == 1:
		s = Vec(d[0])
	case form == MatrixForm && len(d) == 1:
		s = Mat(d[0], d[0])
	case form == MatrixForm && len(d) == 2:
		s = Mat(d[0], d[1])
	case form == GEMMForm && len(d) == 1:
		s = MNK(d[0], d[0], d[0])
	case form == GEMMForm && len(d) == 3:
		s = MNK(d[0], d[1], d[2])
	case form == ChainForm && len(d) == 1:
		s = Chain(d[0], FMASteps)
	case form == ChainForm && len(d) == 2:
		s = Chain(d[0], d[1])
	default:
		return Shape{}, fmt.Errorf("%w: %s takes %s, not %q", ErrShape, k, k.ShapeHelp(), str)
	}
	return s, k.Validate(s)
}

// Format writes s the way ParseShape reads it for kernel k.
func (s Shape) Format(k Kernel) string {
	switch k.Form() {
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
func (k Kernel) Depth(s Shape, leaf int) int {
	serial := k.info().ops(s)
	if !k.Reduction() || leaf <= 0 || s.N <= leaf {
		return serial
	}
	runs := (s.N + leaf - 1) / leaf
	d := leaf - 1 + int(math.Ceil(math.Log2(float64(runs))))
	if k == Dot {
		d++
	}
	return min(d, serial)
}

// MarshalText writes the kernel's name, so JSON shows "gemm".
func (k Kernel) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("%w: %v", ErrUnknownKernel, k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText reads a kernel's name.
func (k *Kernel) UnmarshalText(b []byte) error {
	v, err := ParseKernel(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// KernelSet is a set of kernels: those a backend runs.
type KernelSet uint32

// KernelSetOf is the set of ks. A kernel outside the catalogue is a
// programming error in a backend's dispatch table, and panics: backends
// build their Factory.Kernels with it as they register.
func KernelSetOf(ks ...Kernel) KernelSet {
	var s KernelSet
	for _, k := range ks {
		if !k.Valid() {
			panic(fmt.Sprintf("compute: Kernel(%d) is not in the catalogue", uint8(k)))
		}
		s |= 1 << k
	}
	return s
}

// AllKernels is the whole catalogue.
func AllKernels() KernelSet { return KernelSetOf(Kernels()...) }

// Has reports whether k is in s.
func (s KernelSet) Has(k Kernel) bool { return k.Valid() && s&(1<<k) != 0 }

// List is s's kernels in catalogue order.
func (s KernelSet) List() []Kernel {
	var out []Kernel
	for _, k := range Kernels() {
		if s.Has(k) {
			out = append(out, k)
		}
	}
	return out
}
