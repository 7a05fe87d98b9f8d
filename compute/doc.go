// Package compute is gpubench's backend-neutral API: what a kernel is,
// what a problem of it is, and what a backend must do to run one. It
// imports nothing of gpubench's: the backends (cpu, gl, peer), the
// reference (ref) and the harness all depend on it, never the other way.
//
// A program starts from a Problem, a kernel of the catalogue at a shape
// in a dtype, and a Backend opened from a Registry:
//
//	p := compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(1 << 20),
//		DType: compute.Float32, Alpha: 1.5}
//
// then allocates Buffers on the backend, moves Host arrays up and down
// with Upload and Download, and starts the kernel with Run(Launch).
//
// # Kernels and problems
//
// The catalogue is a fixed set of kernels, each a Kernel value (Copy,
// Scale, Add, Triad, Saxpy, Dot, Sum, Gemv, Gemm, Transpose, FMA),
// described once for every backend: the operands it reads
// (Kernel.Inputs), the shapes it accepts (Kernel.ParseShape,
// Kernel.Validate), the work it does (Kernel.Flops, Kernel.Bytes) and
// how its rounding error grows (Kernel.Depth). A Problem is a kernel at
// a Shape in a DType, with the scalars α and β: it is what a Launch
// runs, what the harness measures, what package ref computes a reference
// for and what package computetest checks. Bound derives the largest
// error allowed for one element of a result from the problem and the
// backend's summation order (Device.SumLeaf); it is the tolerance of
// every check.
//
// # Backends
//
// A Backend runs launches on Buffers that live on its device. Data moves
// only through Upload and Download of a Host, an array in host memory of
// one dtype, so that transfers are timed apart from kernels. Each backend
// package exports its Factory values, with the set of kernels its
// dispatch table holds (Factory.Kernels, checked against the catalogue as
// they register), and main registers them in a Registry that it hands to
// whatever opens backends: Registry.Open starts one by name, "auto" the
// first available of the preferences main gives (Registry.Auto), and
// Registry.ResolveBackends expands "all" and the names that stand for
// several backends (Factory.Group, such as "cpu/all"). Options configure
// a backend as it opens: worker threads, a device, code paths to hold
// off.
//
// # Errors
//
// Every error a user can cause wraps one of the Err values (ErrUsage,
// ErrShape, ErrUnavailable, …), so that callers test it with errors.Is
// and print it whole: the wrapped text says what to do. A wrong setting
// is a FieldError, which names the setting by its Go field so that a
// command line can name its flag instead.
package compute
