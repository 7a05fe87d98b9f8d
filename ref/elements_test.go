package ref

import (
	"math"
	"slices"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestSeek: Seek and FillStrided draw the very values Fill does, at any
// position, for both dtypes, so that an element-wise reference sees the
// inputs the backend was given.
func TestSeek(t *testing.T) {
	t.Parallel()
	k := kernel(t, "gemm")
	for _, dt := range compute.DTypes() {
		const n = 1000
		all := make([]float64, n)
		NewStream(compute.Problem{Kernel: k, DType: dt}, "B", 7).Fill(all)
		st := NewStream(compute.Problem{Kernel: k, DType: dt}, "B", 7)
		for _, p := range []int{0, 1, 2, 63, 64, 500, 999} {
			st.Seek(p)
			got := make([]float64, n-p)
			st.Fill(got)
			if !slices.Equal(got, all[p:]) {
				t.Fatalf("%v: Seek(%d) then Fill differs from Fill", dt, p)
			}
		}
		for _, sc := range [][2]int{{0, 1}, {3, 7}, {6, 37}, {999, 1000}} {
			col := make([]float64, (n-1-sc[0])/sc[1]+1)
			st.FillStrided(col, sc[0], sc[1])
			for i, v := range col {
				if v != all[sc[0]+i*sc[1]] {
					t.Fatalf("%v: FillStrided(start %d, stride %d)[%d] = %v, want %v", dt, sc[0], sc[1], i, v, all[sc[0]+i*sc[1]])
				}
			}
		}
	}
	// A jump far beyond what a test can draw agrees with composing jumps.
	if a, b := pcgStep.pow(1<<30+3), pcgStep.pow(1<<30).then(pcgStep.pow(3)); a != b {
		t.Errorf("pow(2³⁰+3) = %v, pow(2³⁰) then pow(3) = %v", a, b)
	}
}

// TestElements: the element-wise reference of every kernel equals the
// full one (Compute on Inputs) at every element, on odd shapes, with α
// and β and with either zero, in both dtypes; gemm and gemv sum in
// another order than gonum's blocked dgemm, so they agree to float64
// rounding (γ_f64 of the serial depth, twice, times mag), the others bit
// for bit.
func TestElements(t *testing.T) {
	t.Parallel()
	shapes := map[compute.Form][]compute.Shape{
		compute.VectorForm: {compute.Vec(1), compute.Vec(37)},
		compute.MatrixForm: {compute.Mat(1, 1), compute.Mat(7, 13), compute.Mat(33, 5)},
		compute.GEMMForm:   {compute.MNK(1, 1, 1), compute.MNK(7, 13, 5), compute.MNK(17, 3, 65)},
		compute.ChainForm:  {compute.Chain(9, 1), compute.Chain(9, 256)},
	}
	for _, k := range compute.Kernels() {
		for _, s := range shapes[k.Form()] {
			for _, ab := range [][2]float64{{1.5, -0.75}, {0, 2}, {-2, 0}} {
				for _, dt := range compute.DTypes() {
					in := Inputs(compute.Problem{Kernel: k, Shape: s, DType: dt}, 3)
					want, mag, err := Compute(compute.Problem{Kernel: k, Shape: s, Alpha: ab[0], Beta: ab[1]}, in)
					if err != nil {
						t.Fatal(err)
					}
					idx := make([]int, len(want))
					for i := range idx {
						idx[i] = len(idx) - 1 - i // any order
					}
					w, m, err := Elements(compute.Problem{Kernel: k, Shape: s, DType: dt, Alpha: ab[0], Beta: ab[1]}, Seeded(3), idx)
					if err != nil {
						t.Fatal(err)
					}
					tol := 0.0
					if k == compute.Gemm || k == compute.Gemv {
						tol = 2 * compute.Gamma(k.Depth(s, 0), compute.Float64.UnitRoundoff())
					}
					for i, e := range idx {
						if math.Abs(w[i]-want[e]) > tol*mag[e] || math.Abs(m[i]-mag[e]) > tol*mag[e] {
							t.Fatalf("%s %s %v α=%g β=%g: element %d = %g (mag %g), Compute %g (%g)",
								k, s.Format(k), dt, ab[0], ab[1], e, w[i], m[i], want[e], mag[e])
						}
					}
				}
			}
		}
	}
	gemm := kernel(t, "gemm")
	if _, _, err := Elements(compute.Problem{Kernel: gemm, Shape: compute.MNK(2, 2, 2), DType: compute.Float32, Alpha: 1}, Seeded(1), []int{4}); err == nil {
		t.Error("Elements took an element beyond out")
	}
}

// TestSampleIndices: a sample is sorted, distinct, in range, as many as
// asked, the same for the same seed; it holds both ends and tile edges
// of a matrix's rows and columns; a small result is sampled whole.
func TestSampleIndices(t *testing.T) {
	t.Parallel()
	gemm := kernel(t, "gemm")
	s := compute.MNK(1000, 300, 7)
	idx := SampleIndices(gemm, s, 4096, 1)
	if len(idx) != 4096 || !slices.IsSorted(idx) || idx[0] != 0 || idx[len(idx)-1] != 1000*300-1 {
		t.Fatalf("%d indices from %d to %d, want 4096 sorted from 0 to %d", len(idx), idx[0], idx[len(idx)-1], 1000*300-1)
	}
	if len(slices.Compact(slices.Clone(idx))) != len(idx) {
		t.Error("an index repeats")
	}
	for _, rc := range [][2]int{{0, 299}, {999, 0}, {63, 64}, {992, 255}, {767, 296}} {
		if _, ok := slices.BinarySearch(idx, rc[0]*300+rc[1]); !ok {
			t.Errorf("edge element [%d,%d] not sampled", rc[0], rc[1])
		}
	}
	if !slices.Equal(idx, SampleIndices(gemm, s, 4096, 1)) || slices.Equal(idx, SampleIndices(gemm, s, 4096, 2)) {
		t.Error("the sample is not a function of the seed")
	}
	if got := SampleIndices(gemm, compute.MNK(3, 5, 1), 4096, 1); len(got) != 15 || got[14] != 14 {
		t.Errorf("small gemm: %v, want all 15", got)
	}
	if got := SampleIndices(kernel(t, "dot"), compute.Vec(1<<20), 4096, 1); !slices.Equal(got, []int{0}) {
		t.Errorf("dot: %v, want [0]", got)
	}
	if e := edges(300); !slices.Equal(e, []int{0, 1, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 31, 32, 47, 48, 63, 64, 127, 128, 255, 256, 287, 288, 293, 294, 295, 296, 298, 299}) {
		t.Errorf("edges(300) = %v", e)
	}
}

// TestVerifyAt: checking a sample applies Verify's bound and IEEE rules
// and names elements by their index in out.
func TestVerifyAt(t *testing.T) {
	t.Parallel()
	k := kernel(t, "add")
	s := compute.Vec(1000)
	idx := []int{3, 500, 999}
	want := []float64{1, nan, math.Inf(-1)}
	mag := []float64{1, 1, 1}
	if c := VerifyAt(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, idx, []float64{1, nan, math.Inf(-1)}, want, mag); !c.OK || c.Worst != 3 {
		t.Errorf("a matching sample: %+v", c)
	}
	c := VerifyAt(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, idx, []float64{1, 2, math.Inf(-1)}, want, mag)
	if c.OK || c.Bad != 1 || c.NaNPlacement != 1 || c.Reason[:12] != "element 500:" {
		t.Errorf("a lost NaN at 500: %+v", c)
	}
	c = VerifyAt(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, idx, []float64{1.01, nan, math.Inf(-1)}, want, mag)
	if c.OK || c.Worst != 3 || c.Ratio <= 1 {
		t.Errorf("an error beyond the bound at 3: %+v", c)
	}
	if c := VerifyAt(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, idx[:2], want, want, mag); c.OK {
		t.Error("VerifyAt took fewer indices than values")
	}
}
