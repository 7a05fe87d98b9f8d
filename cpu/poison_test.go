package cpu

import (
	"math"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestPoison: after a dot has filled the backend's reduction partials,
// Poison leaves every one NaN, and the next dot and gemm (whose packing
// workspaces Poison filled too: gemm's TestCachePoison) are still
// right.
func TestPoison(t *testing.T) {
	b, err := Open("cpu", nil, compute.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	run := func(p compute.Problem) compute.Host {
		t.Helper()
		var l compute.Launch
		l.Problem = p
		for _, name := range p.Kernel.Inputs() {
			buf, err := b.Alloc(p.DType, p.OperandLen(name))
			if err != nil {
				t.Fatal(err)
			}
			h := compute.NewHost(p.DType, buf.Len())
			h.Fill(1)
			if err := b.Upload(buf, h); err != nil {
				t.Fatal(err)
			}
			l.In = append(l.In, buf)
		}
		out, err := b.Alloc(p.DType, p.OutLen())
		if err != nil {
			t.Fatal(err)
		}
		l.Out = out
		if err := b.Run(l); err != nil {
			t.Fatal(err)
		}
		got := compute.NewHost(p.DType, p.OutLen())
		if err := b.Download(got, out); err != nil {
			t.Fatal(err)
		}
		return got
	}
	dot := compute.Problem{Kernel: compute.Dot, Shape: compute.Vec(1 << 20), DType: compute.Float32}
	gemm := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(300, 300, 300), DType: compute.Float32, Alpha: 1, Beta: 0}
	for range 2 {
		if got := run(dot).At(0); got != 1<<20 {
			t.Fatalf("dot of ones: %g", got)
		}
		if got := run(gemm).At(301); got != 300 {
			t.Fatalf("gemm of ones: %g", got)
		}
		if err := b.Poison(); err != nil {
			t.Fatal(err)
		}
		nan := func(what string, v []float32) {
			t.Helper()
			if len(v) == 0 {
				t.Fatalf("%s: empty, nothing to poison", what)
			}
			for i, x := range v {
				if !math.IsNaN(float64(x)) {
					t.Fatalf("%s[%d] = %g after Poison, want NaN", what, i, x)
				}
			}
		}
		nan("partials", b.f32.t.partial)
	}
}
