package bench

import (
	"context"
	"fmt"
	"runtime"

	"github.com/gpubench/gpubench/compute"
)

// ScalePoint is one worker count of a scaling sweep.
type ScalePoint struct {
	Workers int    `json:"workers"`
	Shape   string `json:"shape"`
	Result  Result `json:"result"`
	// Speedup is T(1)/T(N) for strong scaling; for weak scaling it is the
	// scaled speedup N·T(1, s)/T(N, N·s). Efficiency is Speedup/N.
	Speedup    float64 `json:"speedup"`
	Efficiency float64 `json:"efficiency"`
}

// ScaleReport is a sweep of one case over worker counts.
type ScaleReport struct {
	Kernel  string        `json:"kernel"`
	DType   compute.DType `json:"dtype"`
	Backend string        `json:"backend"`
	Weak    bool          `json:"weak"`
	Points  []ScalePoint  `json:"points"`
	// Amdahl is fitted to strong scaling; Gustafson's serial fraction to
	// weak scaling (S = N − α·(N − 1)).
	Amdahl    *Amdahl  `json:"amdahl,omitempty"`
	Gustafson *float64 `json:"gustafson_serial_fraction,omitempty"`
	// CPUs is the logical CPUs the process may use; Oversubscribed is set
	// when a sweep asked for more workers than that.
	CPUs           int  `json:"cpus"`
	Oversubscribed bool `json:"oversubscribed"`
}

// Scale runs c on backend with each worker count. With weak set, the
// problem grows with the workers (Gustafson): the vector length, or the
// rows M of a matrix kernel, is multiplied by N, so each worker keeps the
// same share. Every point is verified; a point that fails is an error.
func Scale(ctx context.Context, cfg Config, backend string, c Case, workers []int, weak bool) (*ScaleReport, error) {
	sr := &ScaleReport{Kernel: c.Kernel.Name, DType: c.DType, Backend: backend, Weak: weak, CPUs: runtime.GOMAXPROCS(0)}
	cfg.KeepTimes = true
	for _, n := range workers {
		if n < 1 {
			return nil, fmt.Errorf("%w: worker count %d must be at least 1", compute.ErrUsage, n)
		}
		if n > sr.CPUs {
			sr.Oversubscribed = true
		}
		pc := c
		if weak {
			if c.Kernel.Form == compute.VectorForm || c.Kernel.Form == compute.ChainForm {
				pc.Shape.N *= n
			} else {
				pc.Shape.M *= n
			}
		}
		if err := CheckMemory(pc, 0); err != nil {
			return nil, err
		}
		if ctx.Err() != nil {
			return sr, ctx.Err()
		}
		o := cfg.Options
		o.Workers = n
		b, err := compute.Open(backend, o)
		if err != nil {
			return nil, err
		}
		r := runCase(b, b.Device(), backend, pc, cfg)
		b.Close()
		if r.Err != "" || !r.Verified {
			return nil, fmt.Errorf("%s with %d workers did not verify: %s%s", pc.Name(), n, r.Err, r.Mismatch)
		}
		sr.Points = append(sr.Points, ScalePoint{Workers: n, Shape: r.Shape, Result: r})
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
	} else if a, err := FitAmdahl(ws, ts); err == nil {
		sr.Amdahl = &a
	}
	return sr, nil
}
