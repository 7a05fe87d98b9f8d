package computetest

import (
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestBenchName: every part is key=value, the shape's keys by the
// kernel's form.
func TestBenchName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p    compute.Problem
		want string
	}{
		{compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(512), DType: compute.Float32}, "kernel=saxpy/backend=cpu/n=512/dtype=float32"},
		{compute.Problem{Kernel: compute.Gemv, Shape: compute.Mat(3, 4), DType: compute.Float64}, "kernel=gemv/backend=cpu/m=3/n=4/dtype=float64"},
		{compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(2, 3, 4), DType: compute.Float32}, "kernel=gemm/backend=cpu/m=2/n=3/k=4/dtype=float32"},
		{compute.Problem{Kernel: compute.FMA, Shape: compute.Chain(64, 8), DType: compute.Float32}, "kernel=fma/backend=cpu/n=64/k=8/dtype=float32"},
	} {
		if got := BenchName(c.p, "cpu"); got != c.want {
			t.Errorf("BenchName(%v) = %q, want %q", c.p, got, c.want)
		}
	}
}
