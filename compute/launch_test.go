package compute

import (
	"errors"
	"testing"
)

// TestLaunchInPlace: saxpy's Out is its y and nothing else; every other
// kernel's Out aliases none of its inputs.
func TestLaunchInPlace(t *testing.T) {
	t.Parallel()
	if Saxpy.InPlace() != "y" || Saxpy.InPlaceIndex() != 1 || Triad.InPlace() != "" || Triad.InPlaceIndex() != -1 {
		t.Fatalf("InPlace: saxpy %q (%d), triad %q (%d)", Saxpy.InPlace(), Saxpy.InPlaceIndex(), Triad.InPlace(), Triad.InPlaceIndex())
	}
	for _, k := range Kernels() {
		if name := k.InPlace(); name != "" && k != Saxpy {
			t.Errorf("%v updates %s in place: only saxpy does", k, name)
		}
	}
	x, y, out := &benchBuf{16, Float32}, &benchBuf{16, Float32}, &benchBuf{16, Float32}
	saxpy := Problem{Kernel: Saxpy, Shape: Vec(16), DType: Float32, Alpha: 2}
	add := Problem{Kernel: Add, Shape: Vec(16), DType: Float32}
	for _, tc := range []struct {
		name string
		l    Launch
		ok   bool
	}{
		{"saxpy in place", Launch{Problem: saxpy, In: []Buffer{x, y}, Out: y}, true},
		{"saxpy to a third array", Launch{Problem: saxpy, In: []Buffer{x, y}, Out: out}, false},
		{"saxpy into x", Launch{Problem: saxpy, In: []Buffer{x, y}, Out: x}, false},
		{"saxpy with x as y", Launch{Problem: saxpy, In: []Buffer{x, x}, Out: x}, false},
		{"add to a third array", Launch{Problem: add, In: []Buffer{x, y}, Out: out}, true},
		{"add into y", Launch{Problem: add, In: []Buffer{x, y}, Out: y}, false},
	} {
		err := tc.l.Validate()
		if tc.ok && err != nil || !tc.ok && !errors.Is(err, ErrShape) {
			t.Errorf("%s: Validate = %v, want ok %v (else ErrShape)", tc.name, err, tc.ok)
		}
	}
}
