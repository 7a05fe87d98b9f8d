package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFitAmdahlRecoversP: synthetic timings from a known serial fraction,
// with 2 % multiplicative noise, give back p within its interval, and the
// interval is narrow enough to mean something.
func TestFitAmdahlRecoversP(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 1))
	for _, p := range []float64{0, 0.05, 0.2, 0.6} {
		workers := []int{1, 2, 3, 4, 6, 8}
		times := make([][]float64, len(workers))
		for i, n := range workers {
			for range 10 {
				exact := 1e6 * (p + (1-p)/float64(n))
				times[i] = append(times[i], exact*(1+0.02*r.NormFloat64()))
			}
		}
		a, err := FitAmdahl(workers, times)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(a.P-p) > 0.02 || a.PLow > p+1e-9 || a.PHigh < p-1e-9 || a.PHigh-a.PLow > 0.05 {
			t.Errorf("p = %v: fit %.4f in [%.4f, %.4f]", p, a.P, a.PLow, a.PHigh)
		}
		if math.Abs(a.T1-1e6)/1e6 > 0.02 {
			t.Errorf("p = %v: T1 = %v", p, a.T1)
		}
	}
	exact := Amdahl{P: 0.1}
	if s := exact.Speedup(4); math.Abs(s-1/(0.1+0.9/4)) > 1e-12 || exact.Limit() != 10 {
		t.Errorf("speedup %v limit %v", s, exact.Limit())
	}
	if _, err := FitAmdahl([]int{2}, [][]float64{{1, 2, 3}}); err == nil {
		t.Error("a fit from one worker count succeeded")
	}
}

// TestFitAmdahlFollowsMedians: one wild repetition (a neighbour's burst)
// does not move the fit, which passes through the medians of two worker
// counts, so its speedup is the one a report shows.
func TestFitAmdahlFollowsMedians(t *testing.T) {
	t.Parallel()
	one := []float64{100, 101, 99, 100, 100}
	two := []float64{55, 56, 54, 55, 400}
	a, err := FitAmdahl([]int{1, 2}, [][]float64{one, two})
	if err != nil {
		t.Fatal(err)
	}
	if s := a.Speedup(2); math.Abs(s-100.0/55) > 1e-9 {
		t.Errorf("fitted speedup at 2 workers %v, medians give %v", s, 100.0/55)
	}
	if math.Abs(a.P-0.1) > 1e-9 {
		t.Errorf("p = %v, want 0.1 from the medians", a.P)
	}
	if a.PHigh-a.PLow < 0.05 {
		t.Errorf("interval [%v, %v] ignores the outlier's scatter", a.PLow, a.PHigh)
	}
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	s := Summarise([]float64{5, 1, 3, 2, 4})
	if s.Median != 3 || s.Min != 1 || s.Max != 5 || s.Mean != 3 || math.Abs(s.CV-math.Sqrt(2.5)/3) > 1e-12 {
		t.Errorf("%+v", s)
	}
	if s := Summarise([]float64{1, 2}); s.Median != 1.5 {
		t.Errorf("even median %v", s.Median)
	}
}
