//go:build cgo

package gl

import (
	"math"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// TestPoison: after a dot long enough to need partial sums, Poison
// leaves every element of the reduction's scratch buffers NaN, and the
// next dot, which writes its partials before it reads them, is still
// right.
func TestPoison(t *testing.T) {
	b := openOrSkip(t)
	p := compute.Problem{Kernel: compute.Dot, Shape: compute.Vec(100003), DType: compute.Float32}
	in := ref.Inputs(p, 3)
	l, err := launchOf(b, p, in)
	if err != nil {
		t.Fatal(err)
	}
	want, mag, err := ref.Compute(p, in)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		if err := b.Run(l); err != nil {
			t.Fatal(err)
		}
		got := compute.NewHost(p.DType, 1)
		if err := b.Download(got, l.Out); err != nil {
			t.Fatal(err)
		}
		if chk := ref.Verify(p, b.dev.SumLeaf, got.Float64s(), want, mag); !chk.OK {
			t.Fatalf("round %d: %s", round, chk.Reason)
		}
		if err := b.Poison(); err != nil {
			t.Fatal(err)
		}
		s := b.scratch[p.DType]
		if s == nil || s[0] == nil {
			t.Fatal("the dot kept no scratch buffer")
		}
		for i, x := range s {
			if x == nil {
				continue
			}
			h := compute.NewHost(p.DType, x.n)
			if err := b.Download(h, x); err != nil {
				t.Fatal(err)
			}
			for j, v := range h.Float64s() {
				if !math.IsNaN(v) {
					t.Fatalf("round %d: scratch %d element %d = %g after Poison, want NaN", round, i, j, v)
				}
			}
		}
	}
}
