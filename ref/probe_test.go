package ref

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// gemmResult is gemm's reference for the inputs of seed, rounded to dt
// as a backend returns it, in float64.
func gemmResult(t *testing.T, s compute.Shape, dt compute.DType, seed uint64, alpha, beta float64) []float64 {
	t.Helper()
	k := kernel(t, "gemm")
	want, _, err := Compute(compute.Problem{Kernel: k, Shape: s, Alpha: alpha, Beta: beta}, Inputs(compute.Problem{Kernel: k, Shape: s, DType: dt}, seed))
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		want[i] = Round(w, dt)
	}
	return want
}

// TestGEMMProbesPass: a correct result passes the probes on odd shapes,
// shapes below and across ProbeWidth, K = 1, α and β other than 1 and 0
// and either of them 0, in both dtypes, as a []float32 or []float64.
func TestGEMMProbesPass(t *testing.T) {
	t.Parallel()
	k := kernel(t, "gemm")
	for _, s := range []compute.Shape{compute.MNK(1, 1, 1), compute.MNK(300, 257, 1), compute.MNK(300, 257, 33),
		compute.MNK(7, 513, 64), compute.MNK(600, 3, 300)} {
		for _, ab := range [][2]float64{{1.5, -0.75}, {1, 0}, {0, 2}, {-3, 0.5}} {
			for _, dt := range compute.DTypes() {
				got := compute.HostFrom(gemmResult(t, s, dt, 9, ab[0], ab[1]), dt)
				c, ok := VerifyGEMMProbes(compute.Problem{Kernel: k, Shape: s, DType: dt, Alpha: ab[0], Beta: ab[1]}, 0, Seeded(9), got)
				if !ok || !c.OK {
					t.Errorf("%s %v α=%g β=%g: correct result: ok %v, %+v", s.Format(k), dt, ab[0], ab[1], ok, c)
				}
			}
		}
	}
}

// TestGEMMProbesCatch: in a 300×257 result (K = 33, float32, α = 1.5,
// β = −0.75) the probes catch, with the fixed seed and so every time, a
// whole row wrong, a whole column wrong, a row zeroed, one element off
// by 1 (about 0.1 % of the row's scale, under a sample's notice unless
// sampled), one NaN and one infinity, each at an edge and inside, and
// name the row or column.
func TestGEMMProbesCatch(t *testing.T) {
	t.Parallel()
	k := kernel(t, "gemm")
	s := compute.MNK(300, 257, 33)
	const alpha, beta = 1.5, -0.75
	good := gemmResult(t, s, compute.Float32, 9, alpha, beta)
	type fault struct {
		name   string
		spoil  func(v []float64)
		reason string // what the Reason starts with
	}
	var faults []fault
	for _, i := range []int{0, 137, 299} {
		faults = append(faults,
			fault{fmt.Sprintf("row %d + 0.01", i), func(v []float64) {
				for j := range s.N {
					v[i*s.N+j] += 0.01
				}
			}, fmt.Sprintf("row %d,", i)},
			fault{fmt.Sprintf("row %d zeroed", i), func(v []float64) { clear(v[i*s.N : (i+1)*s.N]) }, fmt.Sprintf("row %d,", i)},
			fault{fmt.Sprintf("element [%d,5] + 1", i), func(v []float64) { v[i*s.N+5]++ }, fmt.Sprintf("row %d,", i)},
			fault{fmt.Sprintf("element [%d,200] NaN", i), func(v []float64) { v[i*s.N+200] = math.NaN() }, fmt.Sprintf("row %d, columns 0–255: Σ x·out = NaN", i)},
			fault{fmt.Sprintf("element [%d,256] −Inf", i), func(v []float64) { v[i*s.N+256] = math.Inf(-1) }, fmt.Sprintf("row %d, columns 256–256: Σ x·out = -Inf", i)},
		)
	}
	for _, j := range []int{0, 100, 256} {
		faults = append(faults,
			fault{fmt.Sprintf("column %d × 1.01", j), func(v []float64) {
				for i := range s.M {
					v[i*s.N+j] *= 1.01
				}
			}, ""},
			fault{fmt.Sprintf("column %d − 0.01", j), func(v []float64) {
				for i := range s.M {
					v[i*s.N+j] -= 0.01
				}
			}, ""},
		)
	}
	for _, f := range faults {
		bad := append([]float64(nil), good...)
		f.spoil(bad)
		c, ok := VerifyGEMMProbes(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32, Alpha: alpha, Beta: beta}, 0, Seeded(9), compute.HostOf(float32s(bad)))
		if !ok || c.OK || c.Bad == 0 || !strings.HasPrefix(c.Reason, f.reason) {
			t.Errorf("%s: ok %v, %d probes failed, %q", f.name, ok, c.Bad, c.Reason)
		}
	}
	// Two errors in one row that cancel in its probe (e·x_j1 = e′·x_j2)
	// are seen by the column probes, and two in one column that cancel
	// there by the row probes.
	x, xr := probeVector(9, "x", s.N, false), probeVector(9, "x′", s.M, false)
	bad := append([]float64(nil), good...)
	bad[120*s.N+10] += 1
	bad[120*s.N+11] -= x[10] / x[11]
	if c, ok := VerifyGEMMProbes(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32, Alpha: alpha, Beta: beta}, 0, Seeded(9), compute.HostOf(float32s(bad))); !ok || c.OK || c.Bad != 2 || !strings.HasPrefix(c.Reason, "column 10, rows 0–255:") {
		t.Errorf("errors cancelling in row 120: ok %v, %d probes failed, %q", ok, c.Bad, c.Reason)
	}
	bad = append([]float64(nil), good...)
	bad[10*s.N+120] += 1
	bad[11*s.N+120] -= xr[10] / xr[11]
	if c, ok := VerifyGEMMProbes(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32, Alpha: alpha, Beta: beta}, 0, Seeded(9), compute.HostOf(float32s(bad))); !ok || c.OK || c.Bad != 2 || !strings.HasPrefix(c.Reason, "row 10, columns 0–255:") {
		t.Errorf("errors cancelling in column 120: ok %v, %d probes failed, %q", ok, c.Bad, c.Reason)
	}
}

// TestGEMMProbesSpecialInputs: inputs holding NaN or Inf make the probes
// stand aside (false) rather than fail a result that follows IEEE, or
// pass one that does not; finite ones are checked.
func TestGEMMProbesSpecialInputs(t *testing.T) {
	t.Parallel()
	k := kernel(t, "gemm")
	s := compute.MNK(3, 4, 2)
	in := [][]float64{{1, 0, 2, 1, 0, 1}, {math.Inf(1), 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, math.NaN()}}
	read := func(name string, v []float64, start, rows, width, ld int) {
		op := in[map[string]int{"A": 0, "B": 1, "C": 2}[name]]
		for r := range rows {
			copy(v[r*width:(r+1)*width], op[start+r*ld:])
		}
	}
	x, xr := probeVector(1, "x", s.N, false), probeVector(1, "x′", s.M, false)
	want, _, _ := Compute(compute.Problem{Kernel: k, Shape: s, Alpha: 1.5, Beta: -0.75}, in)
	if _, ok := gemmProbes(compute.Problem{Kernel: k, Shape: s, DType: compute.Float64, Alpha: 1.5, Beta: -0.75}, tolerance{leaf: 0}, read, x, xr, compute.HostOf(want)); ok {
		t.Error("inputs with Inf and NaN: the probes judged")
	}
	in[1][0], in[2][11] = 3, 4
	want, _, _ = Compute(compute.Problem{Kernel: k, Shape: s, Alpha: 1.5, Beta: -0.75}, in)
	if c, ok := gemmProbes(compute.Problem{Kernel: k, Shape: s, DType: compute.Float64, Alpha: 1.5, Beta: -0.75}, tolerance{leaf: 0}, read, x, xr, compute.HostOf(want)); !ok || !c.OK {
		t.Errorf("finite inputs, correct result: ok %v, %+v", ok, c)
	}
	want[5] += 1
	if c, ok := gemmProbes(compute.Problem{Kernel: k, Shape: s, DType: compute.Float64, Alpha: 1.5, Beta: -0.75}, tolerance{leaf: 0}, read, x, xr, compute.HostOf(want)); !ok || c.OK || !strings.HasPrefix(c.Reason, "row 1,") {
		t.Errorf("finite inputs, element [1,1] wrong: ok %v, %+v", ok, c)
	}
}

// TestGEMMProbesGOMAXPROCS: the probes' sums, verdict and Reason are
// the same bits with GOMAXPROCS 1 and 4, on a shape of several probe
// blocks each way that splits unevenly among the goroutines, for a
// correct result and for one with a wrong element.
func TestGEMMProbesGOMAXPROCS(t *testing.T) {
	t.Parallel()
	k := kernel(t, "gemm")
	s := compute.MNK(700, 900, 300)
	const alpha, beta, seed = 1.5, -0.75, 9
	good := gemmResult(t, s, compute.Float32, seed, alpha, beta)
	bad := append([]float64(nil), good...)
	bad[600*s.N+777] += 1
	x, xr := probeVector(seed, "x", s.N, false), probeVector(seed, "x′", s.M, false)
	read := func(name string, v []float64, start, rows, width, ld int) {
		readBlock(NewStream(compute.Problem{Kernel: k, DType: compute.Float32}, name, seed), v, start, rows, width, ld)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, res := range [][]float64{good, bad} {
		got := float32s(res)
		var sums [2]*probeSums
		var checks [2]Check
		var oks [2]bool
		for i, procs := range []int{1, 4} {
			runtime.GOMAXPROCS(procs)
			sums[i] = gemmProbeSums(s, alpha, beta, read, x, xr, compute.HostOf(got))
			checks[i], oks[i] = VerifyGEMMProbes(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32, Alpha: alpha, Beta: beta}, 0, Seeded(seed), compute.HostOf(got))
		}
		if wantOK := &res[0] == &good[0]; checks[0].OK != wantOK || !oks[0] {
			t.Errorf("GOMAXPROCS 1, result good %v: ok %v, %+v", wantOK, oks[0], checks[0])
		}
		if checks[0] != checks[1] || oks[0] != oks[1] {
			t.Errorf("GOMAXPROCS 1: ok %v, %+v; GOMAXPROCS 4: ok %v, %+v", oks[0], checks[0], oks[1], checks[1])
		}
		a, b := reflect.ValueOf(*sums[0]), reflect.ValueOf(*sums[1])
		for f := range a.NumField() {
			name := a.Type().Field(f).Name
			if name == "finite" {
				if a.Field(f).Bool() != b.Field(f).Bool() {
					t.Errorf("finite: %v with GOMAXPROCS 1, %v with 4", a.Field(f).Bool(), b.Field(f).Bool())
				}
				continue
			}
			u, v := a.Field(f).Interface().([]float64), b.Field(f).Interface().([]float64)
			for e := range u {
				if math.Float64bits(u[e]) != math.Float64bits(v[e]) {
					t.Errorf("%s[%d]: %v with GOMAXPROCS 1, %v with 4", name, e, u[e], v[e])
					break
				}
			}
		}
	}
}

// BenchmarkVerifyGEMMProbes times the probes alone on a gemm result
// (the inputs' own C, so every probe fails: the arithmetic is the same).
func BenchmarkVerifyGEMMProbes(b *testing.B) {
	k, err := compute.ParseKernel("gemm")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1024, 4096} {
		s := compute.MNK(n, n, n)
		got := make([]float32, n*n)
		NewStream(compute.Problem{Kernel: k, DType: compute.Float32}, "C", 9).FillHost(compute.HostOf(got))
		b.Run(fmt.Sprintf("dtype=float32/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				VerifyGEMMProbes(compute.Problem{Kernel: k, Shape: s, DType: compute.Float32, Alpha: 1.5, Beta: -0.75}, 0, Seeded(9), compute.HostOf(got))
			}
		})
	}
}
