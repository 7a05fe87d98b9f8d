package harness

import (
	"context"
	"fmt"
	"runtime"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
	"github.com/gpubench/gpubench/stats"
)

// Scale runs c on backend with each worker count. With weak set, the
// problem grows with the workers (Gustafson): the vector length, or the
// rows M of a matrix kernel, is multiplied by N, so each worker keeps the
// same share. Every point is verified; a point that fails is an error.
func Scale(ctx context.Context, cfg Config, backend string, c compute.Problem, workers []int, weak bool) (*results.ScaleReport, error) {
	sr := &results.ScaleReport{Kernel: c.Kernel, DType: c.DType, Backend: backend, Weak: weak, CPUs: runtime.GOMAXPROCS(0)}
	cfg.KeepTimes = true
	shapes := make([]compute.Problem, len(workers))
	mem := cfg.Env.memory()
	for i, n := range workers {
		if n < 1 {
			return nil, fmt.Errorf("%w: worker count %d must be at least 1", compute.ErrUsage, n)
		}
		if n > sr.CPUs {
			sr.Oversubscribed = true
		}
		pc := c
		if weak {
			if f := c.Kernel.Form(); f == compute.VectorForm || f == compute.ChainForm {
				pc.Shape.N *= n
			} else {
				pc.Shape.M *= n
			}
		}
		// Each point is checked as it will run: a weak sweep's last
		// point is workers× the first.
		if err := checkMemory(pc, cfg, mem); err != nil {
			return nil, err
		}
		shapes[i] = pc
	}
	backends := make([]compute.Backend, len(workers))
	abandoned := false
	defer func() {
		for _, b := range backends {
			// An abandoned case still runs on its backend.
			if b != nil && !abandoned {
				b.Close()
			}
		}
	}()
	for i, n := range workers {
		o := cfg.Options
		o.Workers = n
		b, err := cfg.Env.registry().Open(backend, o)
		if err != nil {
			return nil, err
		}
		backends[i] = b
	}
	// The repetitions are taken in scalePasses passes over the worker
	// counts, in alternating order, and pooled: a drift in the machine's
	// speed during the sweep (a neighbour starting, the clock settling)
	// then falls on every worker count alike, not on whichever ran last.
	reps := cfg.Reps
	cfg.Reps = max(1, (reps+scalePasses-1)/scalePasses)
	got := make([]results.Result, len(workers))
	done := make([]bool, len(workers))
	for pass := range scalePasses {
		for j := range workers {
			i := j
			if pass%2 == 1 {
				i = len(workers) - 1 - j
			}
			if ctx.Err() != nil {
				return sr, ctx.Err()
			}
			pc, b := shapes[i], backends[i]
			r, end, _ := runWatched(ctx, b, b.Device(), backend, pc, cfg)
			if end != caseDone {
				abandoned = end == caseAbandoned
				return sr, context.Canceled
			}
			if r.Err != "" || !r.Verified {
				return nil, fmt.Errorf("%s with %d workers did not verify: %s%s", pc, workers[i], r.Err, r.Mismatch)
			}
			if !done[i] {
				got[i], done[i] = r, true
				continue
			}
			got[i].TimesNs = append(got[i].TimesNs, r.TimesNs...)
		}
	}
	for i := range got {
		r := &got[i]
		r.Summarise(r.TimesNs, backends[i].Device().PeakGFLOPS[c.DType])
		sr.Points = append(sr.Points, results.ScalePoint{Workers: workers[i], Shape: r.Shape.String(), Result: *r})
	}
	base := -1
	for i, p := range sr.Points {
		if p.Workers == 1 {
			base = i
		}
	}
	if base < 0 {
		return sr, fmt.Errorf("%w: the sweep needs 1 worker as its baseline", compute.ErrUsage)
	}
	t1 := sr.Points[base].Result.MedianNs
	var ws []int
	var ts [][]float64
	var num, den float64
	for i := range sr.Points {
		p := &sr.Points[i]
		n := float64(p.Workers)
		if weak {
			p.Speedup = n * t1 / p.Result.MedianNs
			num += (p.Speedup - n) * (n - 1)
			den += (n - 1) * (n - 1)
		} else {
			p.Speedup = t1 / p.Result.MedianNs
		}
		p.Efficiency = p.Speedup / n
		ws = append(ws, p.Workers)
		ts = append(ts, p.Result.TimesNs)
	}
	if weak {
		if den > 0 {
			alpha := min(max(-num/den, 0), 1)
			sr.Gustafson = &alpha
		}
	} else if a, err := stats.FitAmdahl(ws, ts); err == nil {
		sr.Amdahl = &a
	}
	return sr, nil
}

// scalePasses is how many passes a scaling sweep makes over its worker
// counts (see Scale).
const scalePasses = 3
