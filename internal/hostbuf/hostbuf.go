// Package hostbuf holds the buffers of backends whose memory is the
// host's own, the cpu backend and the BLAS peers: a compute.Buffer over a
// compute.Host, and the set of one backend's live buffers with the checks
// such a backend makes before it touches one. A buffer belongs to the
// set that made it; using it after Release, or after the set is closed,
// returns compute.ErrReleased, and handing a set another's buffer returns
// compute.ErrUsage. Launch is the whole preamble of a Run: the backend
// is open, the launch is valid, and its buffers are the backend's own.
//
// A Set, like the backend that holds it, is driven by one goroutine.
package hostbuf

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/gpubench/gpubench/compute"
)

// Buffer is n elements of host memory behind compute.Buffer.
type Buffer struct {
	set  *Set
	dt   compute.DType
	n    int
	data compute.Host // the zero Host once released
	// first is data's first element, nil once released: Data makes the
	// launch's typed slices from it without a type switch per operand.
	first unsafe.Pointer
}

func (u *Buffer) Len() int             { return u.n }
func (u *Buffer) DType() compute.DType { return u.dt }

// released reports whether the buffer's memory was dropped.
func (u *Buffer) released() bool { return u.first == nil }

// free drops the memory for the garbage collector.
func (u *Buffer) free() { u.data, u.first = compute.Host{}, nil }

// Release drops the memory for the garbage collector; using the buffer
// afterwards, or releasing it again, returns compute.ErrReleased.
func (u *Buffer) Release() error {
	if u.released() {
		return fmt.Errorf("%w: buffer released twice", compute.ErrReleased)
	}
	if u.set.live != nil {
		delete(u.set.live, u)
	}
	u.free()
	return nil
}

// Set is one backend's buffers: those it made and has not released.
type Set struct {
	backend string // the backend's kind, for messages: "cpu", "gonum"
	memory  uint64 // the machine's memory in bytes, 0 where unknown
	live    map[*Buffer]struct{}
	closed  bool
}

// NewSet makes the set of buffers of a backend of the named kind on a
// machine of memory bytes of memory (0: unknown), which the backend's
// caller knows (hwinfo.Memory.TotalBytes): no buffer may be larger.
func NewSet(backend string, memory uint64) *Set {
	return &Set{backend: backend, memory: memory, live: map[*Buffer]struct{}{}}
}

// Alive returns compute.ErrReleased once the set is closed.
func (s *Set) Alive() error {
	if s.closed {
		return s.closedErr()
	}
	return nil
}

func (s *Set) closedErr() error {
	return fmt.Errorf("%w: %s backend is closed", compute.ErrReleased, s.backend)
}

// Close releases every buffer still alive. Closing twice is harmless.
func (s *Set) Close() {
	for u := range s.live {
		u.free()
	}
	s.live, s.closed = nil, true
}

// Alloc makes a zeroed buffer of n elements. It refuses n < 1, and sizes
// beyond the memory the machine has (NewSet's memory), before
// allocating: an allocation the Go runtime cannot satisfy is a fatal
// error, not a panic.
func (s *Set) Alloc(dt compute.DType, n int) (*Buffer, error) {
	if err := s.Alive(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("%w: a buffer needs at least 1 element, got %d", compute.ErrShape, n)
	}
	size := dt.Size()
	if size == 0 {
		return nil, fmt.Errorf("%w: %s has float32 and float64, not %v", compute.ErrUnsupported, s.backend, dt)
	}
	if err := fits(n, size, s.memory); err != nil {
		return nil, err
	}
	u := &Buffer{set: s, dt: dt, n: n, data: compute.NewHost(dt, n)}
	if dt == compute.Float32 {
		u.first = unsafe.Pointer(&compute.Data[float32](u.data)[0])
	} else {
		u.first = unsafe.Pointer(&compute.Data[float64](u.data)[0])
	}
	s.live[u] = struct{}{}
	return u, nil
}

// fits checks that n elements of size bytes could be allocated: within
// the address space, and within the machine's total memory where known
// (total > 0).
func fits(n, size int, total uint64) error {
	if n > math.MaxInt/size {
		return fmt.Errorf("%w: %d elements of %d bytes overflow the address space", compute.ErrTooLarge, n, size)
	}
	bytes := uint64(n) * uint64(size)
	if total > 0 && bytes > total {
		return fmt.Errorf("%w: a buffer of %d elements needs %.1f GiB, the machine has %.1f GiB: choose a smaller size",
			compute.ErrTooLarge, n, float64(bytes)/(1<<30), float64(total)/(1<<30))
	}
	return nil
}

// own returns buf if it is one of the set's live buffers.
func (s *Set) own(buf compute.Buffer) (*Buffer, bool) {
	u, ok := buf.(*Buffer)
	return u, ok && u != nil && u.set == s && !u.released()
}

// notOwned says why buf, which own refused, is not one of the set's live
// buffers, naming it as what.
func (s *Set) notOwned(buf compute.Buffer, what string) error {
	u, ok := buf.(*Buffer)
	switch {
	case !ok || u == nil:
		return fmt.Errorf("%w: %s is not a %s buffer (%T)", compute.ErrUsage, what, s.backend, buf)
	case u.set != s:
		return fmt.Errorf("%w: %s belongs to another %s backend", compute.ErrUsage, what, s.backend)
	}
	return fmt.Errorf("%w: %s was released", compute.ErrReleased, what)
}

// Upload checks an upload of src into dst, one of the set's live buffers
// of src's dtype and length, and returns dst's memory for the backend to
// copy src into.
func (s *Set) Upload(dst compute.Buffer, src compute.Host) (compute.Host, error) {
	return s.transfer("upload", "upload destination", dst, src)
}

// Download checks a download of src, one of the set's live buffers, into
// dst, of src's dtype and length, and returns src's memory for the
// backend to copy into dst.
func (s *Set) Download(dst compute.Host, src compute.Buffer) (compute.Host, error) {
	return s.transfer("download", "download source", src, dst)
}

func (s *Set) transfer(op, what string, buf compute.Buffer, h compute.Host) (compute.Host, error) {
	if err := s.Alive(); err != nil {
		return compute.Host{}, err
	}
	u, ok := s.own(buf)
	if !ok {
		return compute.Host{}, s.notOwned(buf, what)
	}
	if h.DType() != u.dt || h.Len() != u.n {
		return compute.Host{}, fmt.Errorf("%w: %s: buffer holds %d %v, host array holds %d %v",
			compute.ErrShape, op, u.n, u.dt, h.Len(), h.DType())
	}
	return u.data, nil
}

// Operands are a launch's buffers, checked: In in the order of the
// kernel's Inputs (nil past them), and Out, all of the launch's dtype.
type Operands struct {
	In  [3]*Buffer
	Out *Buffer
}

// Launch checks l for the backend that holds s: the backend is open, l
// is valid (compute.Launch.Validate), and its buffers are live buffers of
// s. It sets ops to them. (ops is the caller's, kept from launch to
// launch, so that a launch copies no Operands.)
func (s *Set) Launch(l *compute.Launch, ops *Operands) error {
	if err := s.Alive(); err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	if len(l.In) > len(ops.In) {
		return fmt.Errorf("%w: %s takes %d inputs, more than a %s backend holds", compute.ErrUnsupported, l.Kernel, len(l.In), s.backend)
	}
	*ops = Operands{}
	for i, buf := range l.In {
		u, ok := s.own(buf)
		if !ok {
			return s.notOwned(buf, "operand "+l.Kernel.Inputs()[i])
		}
		ops.In[i] = u
	}
	out, ok := s.own(l.Out)
	if !ok {
		return s.notOwned(l.Out, "out")
	}
	ops.Out = out
	return nil
}

// Slices sets in to the memory of ops's inputs as slices of T (nil past
// them) and returns out's. T must be the launch's dtype, which Launch
// has checked every operand against; Slices panics, with a "hostbuf: "
// prefix, where it is not.
func Slices[T compute.Float](ops *Operands, in *[3][]T) (out []T) {
	if dt := compute.DTypeOf[T](); ops.Out.dt != dt {
		wrongType(ops.Out, dt)
	}
	in[0], in[1], in[2] = slice[T](ops.In[0]), slice[T](ops.In[1]), slice[T](ops.In[2])
	return slice[T](ops.Out)
}

// slice is u's memory as a []T, nil for a nil u.
func slice[T compute.Float](u *Buffer) []T {
	if u == nil {
		return nil
	}
	return unsafe.Slice((*T)(u.first), u.n)
}

func wrongType(u *Buffer, dt compute.DType) {
	panic(fmt.Sprintf("hostbuf: %v operands read as %v", u.dt, dt))
}

var _ compute.Buffer = (*Buffer)(nil)
