package compute

import "testing"

type benchBuf struct {
	n  int
	dt DType
}

func (b *benchBuf) Len() int       { return b.n }
func (b *benchBuf) DType() DType   { return b.dt }
func (b *benchBuf) Release() error { return nil }

// BenchmarkLaunchValidate is the check every backend makes of every
// launch: its cost is paid by the smallest kernels.
func BenchmarkLaunchValidate(b *testing.B) {
	x, y := &benchBuf{16, Float32}, &benchBuf{16, Float32}
	l := Launch{Problem: Problem{Kernel: Saxpy, Shape: Vec(16), DType: Float32, Alpha: 2}, In: []Buffer{x, y}, Out: y}
	for b.Loop() {
		if err := l.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
