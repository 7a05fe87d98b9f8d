package results

import "github.com/gpubench/gpubench/compute"

// Crossover is one kernel swept over sizes on two backends, a CPU one
// (Base) and a GPU one (Challenger), with where the challenger starts to
// win: with its data already on the device (KernelOnly), and counting the
// upload of the inputs and the download of the result (EndToEnd). Every
// point's cases are among the report's Results, each verified.
type Crossover struct {
	Kernel     compute.Kernel `json:"kernel"`
	DType      compute.DType  `json:"dtype"`
	Base       string         `json:"base"`
	Challenger string         `json:"challenger"`
	Points     []CrossPoint   `json:"points"`
	KernelOnly Verdict        `json:"kernel_only"`
	EndToEnd   Verdict        `json:"end_to_end"`
	// Notes says where the sweep stopped short and why, and which cases
	// failed and were left out.
	Notes []string `json:"notes,omitempty"`
}

// CrossPoint is one size on both backends: the median time of one run of
// the kernel alone, and end to end (the inputs uploaded, the kernel run,
// the result downloaded, one after the other). A backend whose buffers
// are in host memory has nothing to copy: its end to end is its kernel
// time.
type CrossPoint struct {
	Shape string `json:"shape"`
	// Size is the vector length, or the side of a square matrix: the
	// plot's x axis.
	Size int `json:"size"`
	// Work is what a run's time grows with: its FLOPs, or its bytes for
	// a kernel that does none.
	Work          float64 `json:"work"`
	BaseNs        float64 `json:"base_ns"`
	ChallengerNs  float64 `json:"challenger_ns"`
	BaseE2ENs     float64 `json:"base_end_to_end_ns"`
	ChallengerE2E float64 `json:"challenger_end_to_end_ns"`
	// Verified is true where both backends' results verified; a point
	// that did not is drawn but never decides a verdict.
	Verified bool `json:"verified"`
}

// Verdict is where the challenger starts to win: the smallest size from
// which it is faster at every size measured above it too, so that one
// lucky point does not decide. Found is false where it is not faster at
// the largest size measured (UpTo): "never up to UpTo".
type Verdict struct {
	Found bool   `json:"found"`
	Shape string `json:"shape,omitempty"`
	Size  int    `json:"size,omitempty"`
	// UpTo is the largest shape compared, UpToSize its Size.
	UpTo     string `json:"up_to"`
	UpToSize int    `json:"up_to_size"`
	// Speedup is the challenger's speed over the base's at UpTo.
	Speedup float64 `json:"speedup_at_largest"`
}

// Decide finds the verdicts of c from its points.
func (c *Crossover) Decide() {
	c.KernelOnly = decide(c.Points, func(p CrossPoint) (float64, float64) { return p.BaseNs, p.ChallengerNs })
	c.EndToEnd = decide(c.Points, func(p CrossPoint) (float64, float64) { return p.BaseE2ENs, p.ChallengerE2E })
}

// decide walks the verified points from the largest down while the
// challenger wins; the last of them is the crossover.
func decide(pts []CrossPoint, times func(CrossPoint) (base, challenger float64)) Verdict {
	var v Verdict
	largest := true
	for i := len(pts) - 1; i >= 0; i-- {
		p := pts[i]
		b, c := times(p)
		if !p.Verified || b <= 0 || c <= 0 {
			continue
		}
		if largest {
			v.UpTo, v.UpToSize, v.Speedup = p.Shape, p.Size, b/c
			largest = false
		}
		if c >= b {
			break
		}
		v.Found, v.Shape, v.Size = true, p.Shape, p.Size
	}
	return v
}
