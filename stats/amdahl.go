package stats

import (
	"errors"
	"math"
)

// Amdahl is a fit of Amdahl's law, T(N) = T₁·(p + (1 − p)/N), to times
// measured with N workers: p is the serial fraction, so the speedup
// T₁/T(N) = 1/(p + (1 − p)/N) can never pass 1/p.
type Amdahl struct {
	T1 float64 // fitted one-worker time, ns
	P  float64 // serial fraction
	// PLow and PHigh bound p with 95 % confidence, from the scatter of
	// the repetitions about the fit.
	PLow, PHigh float64
}

// Speedup is the fitted speedup with n workers.
func (a Amdahl) Speedup(n float64) float64 { return 1 / (a.P + (1-a.P)/n) }

// Limit is the speedup with unbounded workers, 1/p (+Inf for p = 0).
func (a Amdahl) Limit() float64 {
	if a.P <= 0 {
		return math.Inf(1)
	}
	return 1 / a.P
}

// FitAmdahl fits Amdahl's law to repetitions: times[i] are the times (ns)
// measured with workers[i]. T(N) is linear in x = 1/N, T = c + d·x with
// c = T₁·p and d = T₁·(1 − p). The line is fitted by least squares to
// each worker count's median, so that the outlying repetitions a shared
// machine gives do not pull it and the fitted speedups agree with the
// medians a report shows (with two worker counts the line passes through
// both). Its uncertainty comes from the scatter of every repetition
// about it, with the covariance of least squares over them; p = c/(c+d)
// gets a standard error by the delta method, and the interval is ±1.96
// of it (a normal approximation, fair for the dozens of points a sweep
// gives), clipped to [0, 1].
func FitAmdahl(workers []int, times [][]float64) (Amdahl, error) {
	var xs, ys []float64
	distinct := map[int]bool{}
	for i, n := range workers {
		if n < 1 {
			return Amdahl{}, errors.New("amdahl: worker counts must be positive")
		}
		for _, t := range times[i] {
			xs = append(xs, 1/float64(n))
			ys = append(ys, t)
		}
		if len(times[i]) > 0 {
			distinct[n] = true
		}
	}
	if len(distinct) < 2 || len(xs) < 3 {
		return Amdahl{}, errors.New("amdahl: need times for at least two worker counts")
	}
	m := float64(len(xs))
	var mx float64
	for _, x := range xs {
		mx += x
	}
	mx /= m
	var sxx float64
	for _, x := range xs {
		sxx += (x - mx) * (x - mx)
	}
	c, d := medianLine(workers, times)
	var rss float64
	for i := range xs {
		r := ys[i] - (c + d*xs[i])
		rss += r * r
	}
	s2 := rss / max(m-2, 1)
	varD := s2 / sxx
	varC := s2 * (1/m + mx*mx/sxx)
	cov := -mx * s2 / sxx
	t1 := c + d
	p := c / t1
	// ∂p/∂c = d/t1², ∂p/∂d = −c/t1².
	gc, gd := d/(t1*t1), -c/(t1*t1)
	se := math.Sqrt(max(gc*gc*varC+gd*gd*varD+2*gc*gd*cov, 0))
	a := Amdahl{T1: t1, P: min(max(p, 0), 1)}
	a.PLow = min(max(p-1.96*se, 0), 1)
	a.PHigh = min(max(p+1.96*se, 0), 1)
	return a, nil
}

// medianLine fits T = c + d/N by least squares to the median time of
// each worker count, each count once.
func medianLine(workers []int, times [][]float64) (c, d float64) {
	var xs, ys []float64
	for i, n := range workers {
		if len(times[i]) == 0 {
			continue
		}
		xs = append(xs, 1/float64(n))
		ys = append(ys, Summarise(times[i]).Median)
	}
	m := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= m
	my /= m
	var sxx, sxy float64
	for i := range xs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (ys[i] - my)
	}
	d = sxy / sxx
	return my - d*mx, d
}
