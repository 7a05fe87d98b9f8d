package ref

import (
	"math"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestGEMMChunks: the chunked reference matches Compute on the same
// inputs, block edges and panels included, and with β = 0 and α = 0.
func TestGEMMChunks(t *testing.T) {
	t.Parallel()
	k := kernel(t, "gemm")
	for _, sh := range []compute.Shape{compute.MNK(1, 1, 1), compute.MNK(37, 5, 300), compute.MNK(3000, 2, 513)} {
		for _, ab := range [][2]float64{{1.5, -0.75}, {1, 0}, {0, 2}} {
			in := Inputs(compute.Problem{Kernel: k, Shape: sh, DType: compute.Float32}, 4)
			want, mag, err := Compute(compute.Problem{Kernel: k, Shape: sh, Alpha: ab[0], Beta: ab[1]}, in)
			if err != nil {
				t.Fatal(err)
			}
			rows := 0
			GEMMChunks(compute.Problem{Kernel: k, Shape: sh, DType: compute.Float32, Alpha: ab[0], Beta: ab[1]}, Seeded(4), func(row int, w, m []float64) {
				if row != rows {
					t.Fatalf("%+v: block at row %d, want %d", sh, row, rows)
				}
				for i := range w {
					j := row*sh.N + i
					if d := math.Abs(w[i] - want[j]); d > 1e-12*mag[j] || math.Abs(m[i]-mag[j]) > 1e-12*mag[j] {
						t.Fatalf("%+v α=%g β=%g: element %d = %g (mag %g), Compute %g (%g)", sh, ab[0], ab[1], j, w[i], m[i], want[j], mag[j])
					}
				}
				rows += len(w) / sh.N
			})

			if rows != sh.M {
				t.Errorf("%+v: %d rows, want %d", sh, rows, sh.M)
			}
		}
	}
}

// TestVerifyParts: Verify of a result in parts, merged, is Verify of the
// whole.
func TestVerifyParts(t *testing.T) {
	t.Parallel()
	k := kernel(t, "add")
	s := compute.Vec(6)
	got := []float64{1, 2, nan, 4, 5.1, 6}
	want := []float64{1, 2, 3, 4, 5, 6}
	mag := []float64{1, 2, 3, 4, 5, 6}
	whole := Verify(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, got, want, mag)
	merged := Check{OK: true, Worst: -1}
	for _, p := range [][2]int{{0, 2}, {2, 4}, {4, 6}} {
		merged.Merge(VerifyPart(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32}, 0, p[0], got[p[0]:p[1]], want[p[0]:p[1]], mag[p[0]:p[1]]))
	}
	if merged != whole {
		t.Errorf("merged %+v, whole %+v", merged, whole)
	}
}
