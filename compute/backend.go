package compute

import (
	"fmt"
	"time"
)

// Backend runs the catalogue's kernels on one device. Buffers live on the
// backend: data moves only through Upload and Download, so that a
// benchmark can time transfers apart from kernels. A Backend is not safe
// for concurrent use; one goroutine drives it.
type Backend interface {
	// Name is the name it was opened by, e.g. "cpu" or "gl".
	Name() string
	// Device describes what runs the kernels.
	Device() Device
	// Alloc makes a buffer of n elements of dt, zeroed. n ≥ 1.
	Alloc(dt DType, n int) (Buffer, error)
	// Upload copies src, of dst's dtype and length, into dst.
	Upload(dst Buffer, src Host) error
	// Download copies src into dst, of src's dtype and length, waiting
	// for the kernels that write src to finish.
	Download(dst Host, src Buffer) error
	// Run starts one kernel. It may return before the kernel finishes.
	Run(l Launch) error
	// Sync waits until every kernel started so far has finished.
	Sync() error
	// Close releases the device and every buffer still alive.
	Close() error
}

// Poisoner is implemented by backends that keep workspaces of their own
// from one launch to the next: partial sums, packed blocks, scratch
// buffers. Poison fills every one of them with NaN, so that a launch
// that reads what it did not write in that very launch gives NaN where
// it would otherwise reuse an earlier launch's right values. The
// verifier poisons before each run it checks (as it poisons the output
// buffer and the host memory a download lands in); a launch that runs
// after it must be as correct as any other, at any cost.
type Poisoner interface {
	Poison() error
}

// Buffer is an array of elements that lives on a backend.
type Buffer interface {
	Len() int
	DType() DType
	// Release frees the buffer; using it afterwards is an error.
	Release() error
}

// Launch is one run of a problem on a backend's buffers:
// out = kernel(In...) with α and β.
type Launch struct {
	Problem
	// In holds the operands named by Kernel.Inputs, in that order.
	In []Buffer
	// Out receives the result. It must not be one of In, but for a
	// kernel that updates an input in place (Kernel.InPlace: saxpy's y),
	// whose Out is that input's buffer.
	Out Buffer
}

// Validate checks the launch against the catalogue: a known kernel, a
// shape it accepts, and buffers of the dtype and lengths the shape needs.
// Backends call it before touching any buffer.
func (l *Launch) Validate() error {
	k := l.Kernel
	if !k.Valid() {
		return fmt.Errorf("%w: launch without a kernel of the catalogue (%v)", ErrUnknownKernel, k)
	}
	// Every backend validates every launch: the catalogue's entry is
	// looked up once here, not in each of its accessors.
	info := &catalogue[k]
	if err := k.validate(info, l.Shape); err != nil {
		return err
	}
	if l.DType != Float32 && l.DType != Float64 {
		return fmt.Errorf("%w: dtype %v", ErrUnsupported, l.DType)
	}
	inputs := info.inputs
	if len(l.In) != len(inputs) {
		return fmt.Errorf("%w: %s takes %d inputs (%v), got %d", ErrShape, k, len(inputs), inputs, len(l.In))
	}
	check := func(name string, b Buffer) error {
		if b == nil {
			return fmt.Errorf("%w: %s: operand %s is missing", ErrShape, k, name)
		}
		if b.DType() != l.DType {
			return fmt.Errorf("%w: %s: operand %s is %v, launch is %v", ErrShape, k, name, b.DType(), l.DType)
		}
		if want := info.operandLen(k, name, l.Shape); b.Len() != want {
			return fmt.Errorf("%w: %s %s: operand %s has %d elements, needs %d",
				ErrShape, k, l.Shape.Format(k), name, b.Len(), want)
		}
		return nil
	}
	for i, name := range inputs {
		if err := check(name, l.In[i]); err != nil {
			return err
		}
		if name == info.inPlace {
			if l.Out != l.In[i] {
				return fmt.Errorf("%w: %s updates %s in place: out must be operand %s's buffer", ErrShape, k, name, name)
			}
			continue
		}
		if l.In[i] == l.Out {
			return fmt.Errorf("%w: %s: out must not alias input %s", ErrShape, k, name)
		}
	}
	return check("out", l.Out)
}

// Device describes the hardware behind a backend.
type Device struct {
	// Backend is the backend's name ("cpu", "gl").
	Backend string `json:"backend"`
	// Name is what a person would call the device: a CPU's brand string, a
	// GPU's renderer string.
	Name string `json:"name"`
	// Level is the code path chosen, e.g. "avx512", "avx2", "generic", or
	// the GL context's kind ("egl-device", "egl-surfaceless", "glfw").
	Level string `json:"level"`
	// Software marks a device emulated on the CPU (llvmpipe): its figures
	// check correctness, not speed.
	Software bool `json:"software"`
	// Workers is the number of threads a CPU backend runs kernels on.
	Workers int `json:"workers,omitempty"`
	// DTypes lists the element types the backend supports.
	DTypes []DType `json:"dtypes"`
	// SumLeaf is the longest run of terms the backend's reductions add
	// serially before combining runs pairwise (0: serial throughout).
	// Verification derives the error bound of dot and sum from it.
	SumLeaf int `json:"sum_leaf"`
	// FlushesSubnormals marks a device that may treat subnormal numbers as
	// zero, in its inputs and its results (GLSL allows it for float32;
	// GPUs and llvmpipe do it). Verification of special values then
	// accepts the flushed result too (ref.FlushSubnormals).
	FlushesSubnormals bool `json:"flushes_subnormals,omitempty"`
	// PeakGFLOPS is the theoretical peak per dtype, an estimate; 0 where
	// unknown.
	PeakGFLOPS map[DType]float64 `json:"peak_gflops,omitempty"`
	// GPU is the GL probe, for GPU backends.
	GPU *GPU `json:"gpu,omitempty"`
	// Notes says anything a reader of the figures should know.
	Notes []string `json:"notes,omitempty"`
}

// Supports reports whether the device runs kernels in dt.
func (d Device) Supports(dt DType) bool {
	for _, t := range d.DTypes {
		if t == dt {
			return true
		}
	}
	return false
}

// Timer is implemented by backends that can time a kernel on the
// device's own clock (GL_TIME_ELAPSED). RunTimed runs l to completion and
// returns the device time, with ok false where the device has no usable
// timer for it; the harness then relies on the host clock alone.
type Timer interface {
	RunTimed(l Launch) (gpu time.Duration, ok bool, err error)
}

// LatencyProber is implemented by backends where starting a kernel has a
// cost worth reporting: DispatchLatency is the median time to dispatch
// and finish an empty kernel, over reps tries.
type LatencyProber interface {
	DispatchLatency(reps int) (time.Duration, error)
}
