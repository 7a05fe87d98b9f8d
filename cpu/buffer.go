package cpu

import (
	"fmt"
	"math"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// buffer is a Go slice behind compute.Buffer: f32 or f64 by dtype.
type buffer struct {
	b   *Backend
	dt  compute.DType
	n   int
	f32 []float32
	f64 []float64
}

func (u *buffer) Len() int             { return u.n }
func (u *buffer) DType() compute.DType { return u.dt }

func (u *buffer) released() bool { return u.f32 == nil && u.f64 == nil }

// Release drops the slice for the garbage collector; using the buffer
// afterwards, or releasing it again, returns compute.ErrReleased.
func (u *buffer) Release() error {
	if u.released() {
		return fmt.Errorf("%w: buffer released twice", compute.ErrReleased)
	}
	if u.b.live != nil {
		delete(u.b.live, u)
	}
	u.free()
	return nil
}

func (u *buffer) free() { u.f32, u.f64 = nil, nil }

// Alloc makes a zeroed buffer of n elements. It refuses n < 1, and sizes
// beyond the memory the machine has, before allocating: an allocation
// the Go runtime cannot satisfy is a fatal error, not a panic.
func (b *Backend) Alloc(dt compute.DType, n int) (compute.Buffer, error) {
	if b.closed {
		return nil, fmt.Errorf("%w: cpu backend is closed", compute.ErrReleased)
	}
	if n < 1 {
		return nil, fmt.Errorf("%w: a buffer needs at least 1 element, got %d", compute.ErrShape, n)
	}
	size := dt.Size()
	if size == 0 {
		return nil, fmt.Errorf("%w: cpu has float32 and float64, not %v", compute.ErrUnsupported, dt)
	}
	if err := fits(n, size); err != nil {
		return nil, err
	}
	u := &buffer{b: b, dt: dt, n: n}
	if dt == compute.Float32 {
		u.f32 = make([]float32, n)
	} else {
		u.f64 = make([]float64, n)
	}
	b.live[u] = struct{}{}
	return u, nil
}

// fits checks that n elements of size bytes could be allocated: within
// the address space, and within the machine's total memory where known.
func fits(n, size int) error {
	if n > math.MaxInt/size {
		return fmt.Errorf("%w: %d elements of %d bytes overflow the address space", compute.ErrTooLarge, n, size)
	}
	bytes := uint64(n) * uint64(size)
	if total := hwinfo.Probe().Memory.TotalBytes; total > 0 && bytes > total {
		return fmt.Errorf("%w: a buffer of %d elements needs %.1f GiB, the machine has %.1f GiB: choose a smaller size",
			compute.ErrTooLarge, n, float64(bytes)/(1<<30), float64(total)/(1<<30))
	}
	return nil
}

// own returns buf as this backend's live buffer, or an error that
// names it as what (and name, if not empty).
func (b *Backend) own(buf compute.Buffer, what, name string) (*buffer, error) {
	u, ok := buf.(*buffer)
	if ok && u != nil && u.b == b && !u.released() {
		return u, nil
	}
	if name != "" {
		what += " " + name
	}
	switch {
	case !ok || u == nil:
		return nil, fmt.Errorf("%w: %s is not a cpu buffer (%T)", compute.ErrUsage, what, buf)
	case u.b != b:
		return nil, fmt.Errorf("%w: %s belongs to another cpu backend", compute.ErrUsage, what)
	}
	return nil, fmt.Errorf("%w: %s was released", compute.ErrReleased, what)
}

// Upload copies src, a []float32 or []float64 of dst's dtype and length,
// into dst.
func (b *Backend) Upload(dst compute.Buffer, src any) error {
	if b.closed {
		return fmt.Errorf("%w: cpu backend is closed", compute.ErrReleased)
	}
	u, err := b.own(dst, "upload destination", "")
	if err != nil {
		return err
	}
	switch s := src.(type) {
	case []float32:
		if u.dt != compute.Float32 || len(s) != u.n {
			return transferMismatch("upload", u, "[]float32", len(s))
		}
		b.copy32(u.f32, s)
	case []float64:
		if u.dt != compute.Float64 || len(s) != u.n {
			return transferMismatch("upload", u, "[]float64", len(s))
		}
		b.copy64(u.f64, s)
	default:
		return fmt.Errorf("%w: upload takes []float32 or []float64, not %T", compute.ErrShape, src)
	}
	return nil
}

// Download copies src into dst, a []float32 or []float64 of src's dtype
// and length.
func (b *Backend) Download(dst any, src compute.Buffer) error {
	if b.closed {
		return fmt.Errorf("%w: cpu backend is closed", compute.ErrReleased)
	}
	u, err := b.own(src, "download source", "")
	if err != nil {
		return err
	}
	switch d := dst.(type) {
	case []float32:
		if u.dt != compute.Float32 || len(d) != u.n {
			return transferMismatch("download", u, "[]float32", len(d))
		}
		b.copy32(d, u.f32)
	case []float64:
		if u.dt != compute.Float64 || len(d) != u.n {
			return transferMismatch("download", u, "[]float64", len(d))
		}
		b.copy64(d, u.f64)
	default:
		return fmt.Errorf("%w: download takes []float32 or []float64, not %T", compute.ErrShape, dst)
	}
	return nil
}

func transferMismatch(op string, u *buffer, typ string, n int) error {
	return fmt.Errorf("%w: %s: buffer holds %d %v, slice is %s of %d", compute.ErrShape, op, u.n, u.dt, typ, n)
}
