package ref

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestVerifyStream: the streamed check of every kernel but gemm passes
// the result computed from Inputs (rounded to dt, as a backend returns
// it) and catches one element made wrong anywhere — first, last, and at
// a chunk's and a part's edge, by twice its bound — naming it; shapes span several chunks
// and parts (GOMAXPROCS is raised to 3 so that parts split unevenly), in
// both dtypes.
func TestVerifyStream(t *testing.T) {
	t.Parallel()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	chunk := partChunk(runtime.GOMAXPROCS(0))
	shapes := map[compute.Form][]compute.Shape{
		compute.VectorForm: {compute.Vec(1), compute.Vec(37), compute.Vec(3*chunk + 5)},
		compute.MatrixForm: {compute.Mat(1, 1), compute.Mat(33, 5), compute.Mat(3, chunk+7), compute.Mat(2*chunk/64+3, 65)},
		compute.ChainForm:  {compute.Chain(9, 1), compute.Chain(2*chunk+1, 8)},
	}
	for _, k := range compute.Kernels() {
		if !Streamed(k) {
			continue
		}
		for _, s := range shapes[k.Form()] {
			for _, dt := range compute.DTypes() {
				name := fmt.Sprintf("%s %s %v", k, s.Format(k), dt)
				want, mag, err := Compute(compute.Problem{Kernel: k, Shape: s, Alpha: 1.5, Beta: -0.75}, Inputs(compute.Problem{Kernel: k, Shape: s, DType: dt}, 5))
				if err != nil {
					t.Fatal(err)
				}
				got := make([]float64, len(want))
				for i, w := range want {
					got[i] = Round(w, dt)
				}
				res := compute.HostFrom(got, dt)
				if c, err := VerifyStream(compute.Problem{Kernel: k, Shape: s, DType: dt, Alpha: 1.5, Beta: -0.75}, 0, Seeded(5), res); err != nil || !c.OK {
					t.Fatalf("%s: correct result: %+v, %v", name, c, err)
				}
				for _, e := range []int{0, len(got) / 3, min(chunk, len(got)-1), len(got) - 1} {
					bad := append([]float64(nil), got...)
					bad[e] += 2*compute.Bound(compute.Problem{Kernel: k, Shape: s, DType: dt}, 0, mag[e]) + 1e-3*(1+math.Abs(bad[e]))
					c, err := VerifyStream(compute.Problem{Kernel: k, Shape: s, DType: dt, Alpha: 1.5, Beta: -0.75}, 0, Seeded(5), compute.HostOf(bad))
					if err != nil || c.OK || c.Bad != 1 || !strings.HasPrefix(c.Reason, fmt.Sprintf("element %d:", e)) {
						t.Errorf("%s: element %d wrong: %+v, %v", name, e, c, err)
					}
				}
			}
		}
	}
	if _, err := VerifyStream(compute.Problem{Kernel: kernel(t, "add"), Shape: compute.Vec(4), DType: compute.Float32, Alpha: 1}, 0, Seeded(1), compute.HostOf([]float32{1, 2, 3})); err == nil {
		t.Error("VerifyStream took a result of the wrong length")
	}
	if _, err := VerifyStream(compute.Problem{Kernel: kernel(t, "gemm"), Shape: compute.MNK(2, 2, 2), DType: compute.Float32, Alpha: 1}, 0, Seeded(1), compute.HostOf(make([]float32, 4))); err == nil {
		t.Error("VerifyStream took gemm")
	}
}

func float32s(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
