//go:build cgo

package gl

import (
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// TestFMALongChain: a chain longer than one dispatch's fmaSpan steps
// (and than the 65535 turns after which llvmpipe ends a loop) is
// computed whole: K = 70001 steps of 2⁻¹⁰ add about 68 to each element,
// where the bound allows a fraction of one.
func TestFMALongChain(t *testing.T) {
	b := openOrSkip(t)
	for _, dt := range b.dev.DTypes {
		p := compute.Problem{Kernel: compute.FMA, Shape: compute.Chain(37, 70001), DType: dt}
		in := ref.Inputs(p, 5)
		l, err := launchOf(b, p, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Run(l); err != nil {
			t.Fatal(err)
		}
		got := compute.NewHost(dt, p.OutLen())
		if err := b.Download(got, l.Out); err != nil {
			t.Fatal(err)
		}
		want, mag, err := ref.Compute(p, in)
		if err != nil {
			t.Fatal(err)
		}
		if chk := ref.Verify(p, b.dev.SumLeaf, got.Float64s(), want, mag); !chk.OK {
			t.Errorf("%v fma of %d steps: %s", dt, p.Shape.K, chk.Reason)
		}
	}
}
