// Package stats summarises repeated timings (median, extremes, spread)
// and fits the laws of parallel speedup to them (Amdahl's).
package stats

import (
	"math"
	"slices"
)

// Stats summarises repeated timings.
type Stats struct {
	Median, Min, Max, Mean, CV float64
}

// Summarise computes the median, extremes, mean and coefficient of
// variation (sample standard deviation over mean) of xs.
func Summarise(xs []float64) Stats {
	if len(xs) == 0 {
		return Stats{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	st := Stats{Min: s[0], Max: s[len(s)-1]}
	if n := len(s); n%2 == 1 {
		st.Median = s[n/2]
	} else {
		st.Median = (s[n/2-1] + s[n/2]) / 2
	}
	for _, x := range s {
		st.Mean += x
	}
	st.Mean /= float64(len(s))
	if len(s) > 1 && st.Mean > 0 {
		var v float64
		for _, x := range s {
			v += (x - st.Mean) * (x - st.Mean)
		}
		st.CV = math.Sqrt(v/float64(len(s)-1)) / st.Mean
	}
	return st
}
