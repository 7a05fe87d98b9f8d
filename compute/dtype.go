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

// Size is the number of bytes one element occupies.
func (d DType) Size() int {
	switch d {
	case Float32:
		return 4
	case Float64:
		return 8
	}
	return 0
}

// UnitRoundoff is u, half the distance from 1 to the next larger number
// of the type: every correctly rounded operation has relative error ≤ u.
func (d DType) UnitRoundoff() float64 {
	switch d {
	case Float32:
		return 0x1p-24
	case Float64:
		return 0x1p-53
	}
	return 0
}

// Tiny is the smallest positive subnormal of the type: the most an
// underflowing product can lose in absolute terms is half of it.
func (d DType) Tiny() float64 {
	switch d {
	case Float32:
		return 0x1p-149
	case Float64:
		return 0x1p-1074
	}
	return 0
}

func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Float64:
		return "float64"
	}
	return fmt.Sprintf("DType(%d)", int(d))
}

// DTypes lists every element type in the order they are reported.
var DTypes = []DType{Float32, Float64}

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
