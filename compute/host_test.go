package compute

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// TestHost: a Host shares its slice's elements, reports its dtype and
// length, reads and widens them, and copies only into a Host of the same
// dtype and length.
func TestHost(t *testing.T) {
	t.Parallel()
	f := []float32{1.5, -2, 3}
	h := HostOf(f)
	if h.DType() != Float32 || h.Len() != 3 || &Data[float32](h)[0] != &f[0] || Data[float64](h) != nil {
		t.Fatalf("HostOf([]float32): dtype %v, len %d", h.DType(), h.Len())
	}
	if h.At(1) != -2 || !slices.Equal(h.Widen([]float64{9}, 1, 3), []float64{9, -2, 3}) || !slices.Equal(h.Float64s(), []float64{1.5, -2, 3}) {
		t.Errorf("At/Widen/Float64s of %v", f)
	}
	if s := h.Slice(1, 2); s.Len() != 1 || s.At(0) != -2 || s.DType() != Float32 {
		t.Errorf("Slice(1, 2) = %v", s.Float64s())
	}
	g := HostFrom([]float64{1 + 0x1p-30, math.Inf(-1), 2}, Float32)
	if g.At(0) != 1 || !math.IsInf(g.At(1), -1) {
		t.Errorf("HostFrom does not round to float32: %v", g.Float64s())
	}
	if err := CopyHost(g, h); err != nil || !slices.Equal(g.Float64s(), h.Float64s()) {
		t.Errorf("CopyHost: %v, %v", err, g.Float64s())
	}
	for _, bad := range []Host{NewHost(Float64, 3), NewHost(Float32, 2), {}} {
		if err := CopyHost(bad, h); !errors.Is(err, ErrShape) {
			t.Errorf("CopyHost into %d %v: %v, want ErrShape", bad.Len(), bad.DType(), err)
		}
	}
	d := NewHost(Float64, 2)
	if d.DType() != Float64 || d.Len() != 2 || len(Data[float64](d)) != 2 || (Host{}).DType() != 0 {
		t.Errorf("NewHost(float64, 2): %v %d", d.DType(), d.Len())
	}
	if DTypeOf[float32]() != Float32 || DTypeOf[float64]() != Float64 {
		t.Error("DTypeOf")
	}
}
