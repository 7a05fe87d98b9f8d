package compute

import (
	"fmt"
	"strings"
)

// DType is the element type of a buffer and of a kernel's arithmetic.
type DType int

const (
	Float32 DType = iota + 1
	Float64
)

// dtypeInfo is what the catalogue knows of an element type: its name,
// its size in bytes, its unit roundoff u (half the distance from 1 to the
// next larger number: every correctly rounded operation has relative
// error ≤ u) and its smallest positive subnormal.
type dtypeInfo struct {
	name    string
	size    int
	u, tiny float64
}

func (d DType) info() dtypeInfo {
	switch d {
	case Float32:
		return dtypeInfo{"float32", 4, 0x1p-24, 0x1p-149}
	case Float64:
		return dtypeInfo{"float64", 8, 0x1p-53, 0x1p-1074}
	}
	return dtypeInfo{}
}

// Size is the number of bytes one element occupies (0 for a DType
// outside the catalogue).
func (d DType) Size() int { return d.info().size }

// UnitRoundoff is u, half the distance from 1 to the next larger number
// of the type: every correctly rounded operation has relative error ≤ u.
func (d DType) UnitRoundoff() float64 { return d.info().u }

// Tiny is the smallest positive subnormal of the type: the most an
// underflowing product can lose in absolute terms is half of it.
func (d DType) Tiny() float64 { return d.info().tiny }

func (d DType) String() string {
	if n := d.info().name; n != "" {
		return n
	}
	return fmt.Sprintf("DType(%d)", int(d))
}

// DTypes lists every element type in the order they are reported.
func DTypes() []DType { return []DType{Float32, Float64} }

// ParseDType reads "float32", "f32", "float64" or "f64".
func ParseDType(s string) (DType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "float32", "f32", "single":
		return Float32, nil
	case "float64", "f64", "double":
		return Float64, nil
	}
	return 0, fmt.Errorf("%w: unknown dtype %q: use float32 or float64", ErrUsage, s)
}

// MarshalText writes the dtype's name, so JSON shows "float32".
func (d DType) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a dtype's name.
func (d *DType) UnmarshalText(b []byte) error {
	v, err := ParseDType(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Float is the element types of the kernels.
type Float interface{ float32 | float64 }

// DTypeOf is the DType of T.
func DTypeOf[T Float]() DType {
	var z T
	if _, ok := any(z).(float32); ok {
		return Float32
	}
	return Float64
}
