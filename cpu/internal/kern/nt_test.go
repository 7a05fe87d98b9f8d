package kern

import (
	"math"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestNonTemporal: CopyNT, ScaleNT, AddNT and TriadNT give the bits of
// Copy and the rest at every level, at every start within a vector (so
// every length of the ordinary head before the first aligned one) and
// every tail, write nothing outside dst, and leave the inputs alone.
func TestNonTemporal(t *testing.T) {
	for _, set := range sets(t) {
		t.Run(string(set.Level()), func(t *testing.T) {
			nonTemporal(t, For[float32](set))
			nonTemporal(t, For[float64](set))
		})
	}
	if For[float32](sets(t)[0]).HasNT() {
		t.Error("the generic level says it stores non-temporally")
	}
	if best := best(t); best.Level() != Generic && !For[float32](best).HasNT() {
		t.Errorf("%s has no non-temporal stores", best.Level())
	}
}

func nonTemporal[T compute.Float](t *testing.T, tab *Table[T]) {
	t.Helper()
	for _, k := range []compute.Kernel{compute.Copy, compute.Scale, compute.Add, compute.Triad} {
		for _, n := range []int{0, 1, 15, 16, 17, 63, 64, 65, 200, 1000, 4099} {
			for off := 0; off < 17; off++ {
				x, y := make([]T, n), make([]T, n)
				for i := range x {
					x[i], y[i] = T(math.Sin(float64(i))), T(math.Cos(float64(3*i+off)))
				}
				want := make([]T, n)
				run(tab, k, false, want, x, y)
				xb, xs := guarded(x, off)
				yb, ys := guarded(y, off)
				ob, os := guarded(make([]T, n), off)
				run(tab, k, true, os, xs, ys)
				for i := range want {
					if math.Float64bits(float64(os[i])) != math.Float64bits(float64(want[i])) {
						t.Fatalf("%s NT %T n=%d offset %d: element %d is %v, want %v", k, want, n, off, i, os[i], want[i])
					}
				}
				if !bandsNaN(ob, n, off) || !bandsNaN(xb, n, off) || !bandsNaN(yb, n, off) {
					t.Fatalf("%s NT %T n=%d offset %d: a write landed outside dst", k, want, n, off)
				}
				for i := range x {
					if xs[i] != x[i] || ys[i] != y[i] {
						t.Fatalf("%s NT %T n=%d offset %d: an input changed", k, want, n, off)
					}
				}
			}
		}
	}
}

// run runs copy, scale, add or triad through tab, with non-temporal
// stores where nt.
func run[T compute.Float](tab *Table[T], k compute.Kernel, nt bool, dst, x, y []T) {
	const a = -1.5
	switch {
	case k == compute.Copy && nt:
		tab.CopyNT(dst, x)
	case k == compute.Copy:
		tab.Copy(dst, x)
	case k == compute.Scale && nt:
		tab.ScaleNT(dst, a, x)
	case k == compute.Scale:
		tab.Scale(dst, a, x)
	case k == compute.Add && nt:
		tab.AddNT(dst, x, y)
	case k == compute.Add:
		tab.Add(dst, x, y)
	case k == compute.Triad && nt:
		tab.TriadNT(dst, x, a, y)
	default:
		tab.Triad(dst, x, a, y)
	}
}
