package peer

import (
	"fmt"
	"math"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// buffer is a Go slice behind compute.Buffer.
type buffer struct {
	b   *Backend
	dt  compute.DType
	n   int
	f32 []float32
	f64 []float64
}

func (u *buffer) Len() int             { return u.n }
func (u *buffer) DType() compute.DType { return u.dt }
func (u *buffer) released() bool       { return u.f32 == nil && u.f64 == nil }

// Release drops the slice; using the buffer afterwards, or releasing it
// again, returns compute.ErrReleased.
func (u *buffer) Release() error {
	if u.released() {
		return fmt.Errorf("%w: buffer released twice", compute.ErrReleased)
	}
	delete(u.b.live, u)
	u.f32, u.f64 = nil, nil
	return nil
}

// Alloc makes a zeroed buffer of n ≥ 1 elements, refusing sizes beyond
// the machine's memory before allocating.
func (b *Backend) Alloc(dt compute.DType, n int) (compute.Buffer, error) {
	if err := b.alive(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("%w: a buffer needs at least 1 element, got %d", compute.ErrShape, n)
	}
	size := dt.Size()
	if size == 0 {
		return nil, fmt.Errorf("%w: %s has float32 and float64, not %v", compute.ErrUnsupported, b.lib.name, dt)
	}
	if n > math.MaxInt/size {
		return nil, fmt.Errorf("%w: %d elements of %d bytes overflow the address space", compute.ErrTooLarge, n, size)
	}
	if total := hwinfo.Probe().Memory.TotalBytes; total > 0 && uint64(n)*uint64(size) > total {
		return nil, fmt.Errorf("%w: a buffer of %d elements needs more than the machine's %.1f GiB: choose a smaller size",
			compute.ErrTooLarge, n, float64(total)/(1<<30))
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
		return nil, fmt.Errorf("%w: %s is not a %s buffer (%T)", compute.ErrUsage, what, b.lib.name, buf)
	case u.b != b:
		return nil, fmt.Errorf("%w: %s belongs to another backend", compute.ErrUsage, what)
	}
	return nil, fmt.Errorf("%w: %s was released", compute.ErrReleased, what)
}

// Upload copies src ([]float32 or []float64 of dst's dtype and length)
// into dst.
func (b *Backend) Upload(dst compute.Buffer, src any) error {
	if err := b.alive(); err != nil {
		return err
	}
	u, err := b.own(dst, "upload destination", "")
	if err != nil {
		return err
	}
	switch s := src.(type) {
	case []float32:
		if u.dt == compute.Float32 && len(s) == u.n {
			copy(u.f32, s)
			return nil
		}
	case []float64:
		if u.dt == compute.Float64 && len(s) == u.n {
			copy(u.f64, s)
			return nil
		}
	}
	return fmt.Errorf("%w: upload: buffer holds %d %v, source is %T of %d", compute.ErrShape, u.n, u.dt, src, sliceLen(src))
}

// Download copies src into dst ([]float32 or []float64 of its dtype and
// length).
func (b *Backend) Download(dst any, src compute.Buffer) error {
	if err := b.alive(); err != nil {
		return err
	}
	u, err := b.own(src, "download source", "")
	if err != nil {
		return err
	}
	switch d := dst.(type) {
	case []float32:
		if u.dt == compute.Float32 && len(d) == u.n {
			copy(d, u.f32)
			return nil
		}
	case []float64:
		if u.dt == compute.Float64 && len(d) == u.n {
			copy(d, u.f64)
			return nil
		}
	}
	return fmt.Errorf("%w: download: buffer holds %d %v, destination is %T of %d", compute.ErrShape, u.n, u.dt, dst, sliceLen(dst))
}

func sliceLen(s any) int {
	switch v := s.(type) {
	case []float32:
		return len(v)
	case []float64:
		return len(v)
	}
	return -1
}
