package ref

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// same reports whether a and b hold the same values, NaN meeting NaN.
func same(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// specialProblem is p of kernel name at shape s in dt, with the quick
// suite's scalars.
func specialProblem(t *testing.T, name string, s compute.Shape, dt compute.DType) compute.Problem {
	return compute.Problem{Kernel: kernel(t, name), Shape: s, DType: dt, Alpha: 1.5, Beta: -0.75}
}

// TestSpecialStreamSeek: the Special set's values at any position are
// those a sequential Fill draws, through Seek, FillStrided and readBlock
// alike, marks included, flushed or not.
func TestSpecialStreamSeek(t *testing.T) {
	t.Parallel()
	for _, dt := range compute.DTypes() {
		p := specialProblem(t, "gemm", compute.MNK(37, 41, 29), dt)
		for _, name := range []string{"A", "B", "C"} {
			for _, src := range []Source{{Set: Special, Seed: 7}, {Set: Special, Seed: 7, Flushed: true}} {
				n := p.OperandLen(name)
				all := make([]float64, n)
				NewStreamOf(p, name, src).Fill(all)
				st := NewStreamOf(p, name, src)
				for _, at := range []int{0, 1, 2, 63, 64, n / 2, n - 1} {
					st.Seek(at)
					got := make([]float64, n-at)
					st.Fill(got)
					if !same(got, all[at:]) {
						t.Fatalf("%v %s %+v: Seek(%d) then Fill differs from Fill", dt, name, src, at)
					}
				}
				for _, m := range specialMarks(p, name, 7) {
					st.Seek(m.at)
					if v := st.next(); math.Float64bits(v) != math.Float64bits(all[m.at]) {
						t.Errorf("%v %s: element %d by Seek = %g, by Fill %g", dt, name, m.at, v, all[m.at])
					}
				}
				col := make([]float64, (n-1-3)/41+1)
				st.FillStrided(col, 3, 41)
				for i, v := range col {
					if math.Float64bits(v) != math.Float64bits(all[3+i*41]) {
						t.Fatalf("%v %s: FillStrided[%d] = %g, want %g", dt, name, i, v, all[3+i*41])
					}
				}
				block := make([]float64, 5*7)
				readBlock(NewStreamOf(p, name, src), block, 2*41+3, 5, 7, 41)
				for r := range 5 {
					if !same(block[r*7:(r+1)*7], all[(2+r)*41+3:(2+r)*41+10]) {
						t.Fatalf("%v %s: readBlock row %d differs", dt, name, r)
					}
				}
			}
		}
	}
}

// TestSpecialClasses: every operand holds one NaN, one +Inf, one −Inf
// and one huge value of each sign, at positions that depend on the seed
// and the operand alone, about a quarter of ±0 and subnormals, and
// Random's kind of values elsewhere; gemv's x holds no special value and
// gemm's C is all NaN where β = 0. The flushed inputs are the same with
// every subnormal a zero of its sign.
func TestSpecialClasses(t *testing.T) {
	t.Parallel()
	for _, dt := range compute.DTypes() {
		for _, c := range []struct {
			kernel string
			shape  compute.Shape
		}{{"saxpy", compute.Vec(4000)}, {"gemm", compute.MNK(60, 50, 40)}, {"gemv", compute.Mat(30, 70)}, {"dot", compute.Vec(3)}} {
			p := specialProblem(t, c.kernel, c.shape, dt)
			in := InputsOf(p, Source{Set: Special, Seed: 3})
			again := InputsOf(p, Source{Set: Special, Seed: 3})
			other := InputsOf(p, Source{Set: Special, Seed: 4})
			flush := InputsOf(p, Source{Set: Special, Seed: 3, Flushed: true})
			h := Huge(p)
			for i, name := range p.Kernel.Inputs() {
				v := in[i]
				if !same(v, again[i]) {
					t.Errorf("%v %s %s: two draws of seed 3 differ", dt, c.kernel, name)
				}
				if !same(flush[i], FlushSubnormals(in[i:i+1], dt)[0]) {
					t.Errorf("%v %s %s: the flushed draw is not the draw flushed", dt, c.kernel, name)
				}
				var nan, pinf, ninf, phuge, nhuge, tiny []int
				for j, x := range v {
					switch {
					case math.IsNaN(x):
						nan = append(nan, j)
					case math.IsInf(x, 1):
						pinf = append(pinf, j)
					case math.IsInf(x, -1):
						ninf = append(ninf, j)
					case x == h:
						phuge = append(phuge, j)
					case x == -h:
						nhuge = append(nhuge, j)
					case math.Abs(x) < SmallestNormal(dt):
						tiny = append(tiny, j)
					case math.Abs(x) > 1:
						t.Fatalf("%v %s %s[%d] = %g", dt, c.kernel, name, j, x)
					}
				}
				want := 1
				if c.kernel == "gemv" && name == "x" {
					want = 0
				}
				counts := []int{len(nan), len(pinf), len(ninf), len(phuge), len(nhuge)}
				if len(v) < 5 || c.kernel == "dot" && name == "y" || c.kernel == "gemm" && name == "B" {
					// dot of 3, and the second factor of dot and gemm
					// (no huge value times a huge value): NaN, +Inf, −Inf only.
					if !slices.Equal(counts, []int{1, 1, 1, 0, 0}) {
						t.Errorf("%v %s %s: NaN, +Inf, −Inf, ±huge counts %v, want 1 1 1 0 0", dt, c.kernel, name, counts)
					}
					continue
				}
				for _, n := range counts {
					if n != want {
						t.Errorf("%v %s %s: NaN, +Inf, −Inf, ±huge counts %v, want %d each", dt, c.kernel, name, counts, want)
						break
					}
				}
				if f := float64(len(tiny)) / float64(len(v)); f < 0.2 || f > 0.3 {
					t.Errorf("%v %s %s: %.2f of the elements are ±0 or subnormal, want about a quarter", dt, c.kernel, name, f)
				}
				if want == 1 && slices.Equal(nan, positionsOf(other[i], math.IsNaN)) && len(v) > 100 {
					t.Errorf("%v %s %s: the NaN is at %v for seeds 3 and 4 alike", dt, c.kernel, name, nan)
				}
			}
		}
		p := specialProblem(t, "gemm", compute.MNK(6, 5, 4), dt)
		p.Beta = 0
		c := InputsOf(p, Source{Set: Special, Seed: 3})[2]
		if len(positionsOf(c, math.IsNaN)) != len(c) {
			t.Errorf("%v: gemm's C with β = 0 is %v, want all NaN", dt, c)
		}
	}
}

func positionsOf(v []float64, f func(float64) bool) []int {
	var at []int
	for i, x := range v {
		if f(x) {
			at = append(at, i)
		}
	}
	return at
}

// specialResult is what a correct device gives for p on the Special
// inputs of seed (flushed where flush): the reference rounded to p's
// dtype, overflowing to infinity where it leaves the range.
func specialResult(t *testing.T, p compute.Problem, seed uint64, flush bool) (compute.Host, []float64) {
	t.Helper()
	want, _, err := Compute(p, InputsOf(p, Source{Set: Special, Seed: seed, Flushed: flush}))
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float64, len(want))
	for i, w := range want {
		got[i] = Round(w, p.DType)
	}
	return compute.HostFrom(got, p.DType), got
}

// TestJudgeSpecial: on the Special inputs a correct result passes, for
// a streamed kernel, gemv and gemm (sampled and whole), on a device that
// flushes subnormals and one that does not; a result where one NaN was
// turned into 0 fails with the NaN lost, the sampled gemm's included,
// whichever NaN it was; and a result of the inputs flushed fails on a
// device that does not flush.
func TestJudgeSpecial(t *testing.T) {
	t.Parallel()
	plain, flushing := compute.Device{SumLeaf: 16}, compute.Device{SumLeaf: 16, FlushesSubnormals: true}
	src := Source{Set: Special, Seed: 11}
	for _, dt := range compute.DTypes() {
		for _, c := range []struct {
			kernel  string
			shape   compute.Shape
			sampled bool
		}{
			{"saxpy", compute.Vec(10000), false},
			{"dot", compute.Vec(10000), false},
			{"gemv", compute.Mat(300, 200), false},
			{"gemm", compute.MNK(100, 120, 30), true},
			{"gemm", compute.MNK(30, 20, 10), false},
			{"transpose", compute.Mat(200, 300), true},
		} {
			p := specialProblem(t, c.kernel, c.shape, dt)
			name := dt.String() + " " + p.String()
			for _, dev := range []compute.Device{plain, flushing} {
				h, _ := specialResult(t, p, src.Seed, false)
				if chk, _, err := Judge(p, dev, src, c.sampled, h); err != nil || !chk.OK {
					t.Errorf("%s (flushes %v): a correct result failed: %v %s", name, dev.FlushesSubnormals, err, chk.Reason)
				}
			}
			h, _ := specialResult(t, p, src.Seed, true)
			if chk, _, _ := Judge(p, flushing, src, c.sampled, h); !chk.OK {
				t.Errorf("%s: the flushed inputs' result failed on a flushing device: %s", name, chk.Reason)
			}
			if c.kernel == "gemm" { // a huge value meets a subnormal: their product is a normal number
				if chk, _, _ := Judge(p, plain, src, c.sampled, h); chk.OK {
					t.Errorf("%s: the flushed inputs' result passed on a device that does not flush", name)
				}
			}
			_, got := specialResult(t, p, src.Seed, false)
			nans := positionsOf(got, math.IsNaN)
			if len(nans) == 0 {
				t.Fatalf("%s: no NaN in the result", name)
			}
			picks := []int{nans[0], nans[len(nans)/2], nans[len(nans)-1]}
			if c.sampled {
				// A NaN outside the sample of the other sets: caught only
				// because the Special sample adds what the marks reach.
				idx := SampleIndices(p.Kernel, p.Shape, SampleSize, src.Seed)
				i := slices.IndexFunc(nans, func(e int) bool { _, in := slices.BinarySearch(idx, e); return !in })
				if i < 0 {
					t.Fatalf("%s: every NaN of the result is in the sample", name)
				}
				picks = append(picks, nans[i])
			}
			for _, at := range picks {
				_, got := specialResult(t, p, src.Seed, false)
				got[at] = 0
				chk, _, err := Judge(p, flushing, src, c.sampled, compute.HostFrom(got, dt))
				if err != nil || chk.OK || !strings.Contains(chk.Reason, "a NaN was lost") {
					t.Errorf("%s: NaN at %d turned into 0: ok %v, %q, %v", name, at, chk.OK, chk.Reason, err)
				}
			}
		}
	}
}

// TestVerifyOverflow: where an element's magnitude reaches the dtype's
// range, some order of its sum may overflow, and an infinity or NaN is
// accepted in place of a finite want where its terms can reach it (see
// reachable); a NaN want must still be met, and a finite element well
// within the range may not be infinite.
func TestVerifyOverflow(t *testing.T) {
	t.Parallel()
	p := compute.Problem{Kernel: kernel(t, "sum"), Shape: compute.Vec(3), DType: compute.Float32}
	big := 0.9 * math.MaxFloat32
	for _, c := range []struct {
		got, want, mag float64
		ok             bool
	}{
		{inf, 1, 3 * big, true},
		{-inf, 1, 3 * big, true},
		{nan, 1, 3 * big, true},
		// Positive terms of 1.8·max, negative of 0.9·max: +Inf is
		// reachable, −Inf and so NaN are not.
		{inf, big, 3 * big, true},
		{nan, big, 3 * big, false},
		{-inf, big, 3 * big, false},
		{1, 1, 3 * big, true},
		{0, nan, 3 * big, false},
		{inf, nan, inf, false},
		{inf, 1, 1e30, false},
		// An input infinity reaches the element (mag infinite): only
		// the reference's infinity is right.
		{nan, inf, inf, false},
		{-inf, inf, inf, false},
		{inf, inf, inf, true},
		{1, inf, inf, false},
	} {
		chk := Verify(p, 0, []float64{c.got}, []float64{c.want}, []float64{c.mag})
		if chk.OK != c.ok {
			t.Errorf("got %g, want %g, mag %g: ok %v (%s), want %v", c.got, c.want, c.mag, chk.OK, chk.Reason, c.ok)
		}
	}
}
