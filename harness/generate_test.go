package harness

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// TestFillInputStops: a stop set while a large input is being drawn
// (here, as the first chunk ends) ends the drawing before the next
// chunk, with errInterrupted, the other chunks undrawn.
func TestFillInputStops(t *testing.T) {
	const chunks = 8
	p := compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(chunks * inputChunk), DType: compute.Float32, Alpha: 1}
	h := compute.NewHost(p.DType, p.OperandLen("x"))
	var stop atomic.Bool
	done := 0
	err := fillInput(&stop, ref.NewStream(p, "x", 1), h, func(drawn int) {
		done++
		stop.Store(true) // as a SIGINT's cancelled context does
	})
	if !errors.Is(err, errInterrupted) {
		t.Fatalf("fillInput returned %v, want errInterrupted", err)
	}
	if done != 1 {
		t.Errorf("%d of %d chunks drawn after the stop, want 1", done, chunks)
	}
}

// TestFillInputSameValues: drawn in chunks, an input holds the values
// of one Fill, at a length that does not divide into chunks.
func TestFillInputSameValues(t *testing.T) {
	p := compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(inputChunk + 3), DType: compute.Float64, Alpha: 1}
	n := p.OperandLen("y")
	h := compute.NewHost(p.DType, n)
	if err := fillInput(nil, ref.NewStream(p, "y", 7), h, nil); err != nil {
		t.Fatal(err)
	}
	want := make([]float64, n)
	ref.NewStream(p, "y", 7).Fill(want)
	for i, w := range want {
		if got := h.At(i); got != w {
			t.Fatalf("element %d: %v, want %v", i, got, w)
		}
	}
}
