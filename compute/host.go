package compute

import "fmt"

// Host is an array in host memory, of float32 or float64 elements: what
// Backend.Upload reads and Download writes. It refers to its elements
// (copying a Host copies no data). The zero Host holds nothing and has
// no dtype.
type Host struct {
	f32 []float32
	f64 []float64
}

// HostOf is the Host of s's elements.
func HostOf[T Float](s []T) Host {
	var h Host
	switch v := any(s).(type) {
	case []float32:
		h.f32 = v
	case []float64:
		h.f64 = v
	}
	return h
}

// NewHost makes a zeroed Host of n elements of dt.
func NewHost(dt DType, n int) Host {
	switch dt {
	case Float32:
		return Host{f32: make([]float32, n)}
	case Float64:
		return Host{f64: make([]float64, n)}
	}
	panic(fmt.Sprintf("compute: NewHost of %v", dt))
}

// HostFrom is v rounded to dt, in a new Host.
func HostFrom(v []float64, dt DType) Host {
	h := NewHost(dt, len(v))
	if dt == Float64 {
		copy(h.f64, v)
		return h
	}
	for i, x := range v {
		h.f32[i] = float32(x)
	}
	return h
}

// Data is h's elements as a []T: nil where h is not of T's dtype.
func Data[T Float](h Host) []T {
	var z T
	switch any(z).(type) {
	case float32:
		return any(h.f32).([]T)
	default:
		return any(h.f64).([]T)
	}
}

// DType is the element type, 0 for the zero Host.
func (h Host) DType() DType {
	switch {
	case h.f32 != nil:
		return Float32
	case h.f64 != nil:
		return Float64
	}
	return 0
}

// Len is the number of elements.
func (h Host) Len() int { return len(h.f32) + len(h.f64) }

// Slice is elements lo..hi of h, sharing them.
func (h Host) Slice(lo, hi int) Host {
	if h.f32 != nil {
		return Host{f32: h.f32[lo:hi]}
	}
	if h.f64 != nil {
		return Host{f64: h.f64[lo:hi]}
	}
	return Host{}
}

// At is element i as a float64.
func (h Host) At(i int) float64 {
	if h.f32 != nil {
		return float64(h.f32[i])
	}
	return h.f64[i]
}

// Widen appends elements lo..hi of h to dst as float64s.
func (h Host) Widen(dst []float64, lo, hi int) []float64 {
	if h.f32 != nil {
		for _, x := range h.f32[lo:hi] {
			dst = append(dst, float64(x))
		}
		return dst
	}
	return append(dst, h.f64[lo:hi]...)
}

// Float64s is every element of h widened to a new []float64.
func (h Host) Float64s() []float64 { return h.Widen(make([]float64, 0, h.Len()), 0, h.Len()) }

// CopyHost copies src into dst, which must be of the same dtype and
// length.
func CopyHost(dst, src Host) error {
	if dst.DType() != src.DType() || dst.Len() != src.Len() {
		return fmt.Errorf("%w: copy of %d %v into %d %v", ErrShape, src.Len(), src.DType(), dst.Len(), dst.DType())
	}
	copy(dst.f32, src.f32)
	copy(dst.f64, src.f64)
	return nil
}

// Fill sets every element of h to v (rounded to h's dtype).
func (h Host) Fill(v float64) {
	for i := range h.f32 {
		h.f32[i] = float32(v)
	}
	for i := range h.f64 {
		h.f64[i] = v
	}
}
