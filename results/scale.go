package results

import (
	"encoding/json"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/stats"
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
	Kernel  compute.Kernel `json:"kernel"`
	DType   compute.DType  `json:"dtype"`
	Backend string         `json:"backend"`
	Weak    bool           `json:"weak"`
	Points  []ScalePoint   `json:"points"`
	// Amdahl is fitted to strong scaling; Gustafson's serial fraction to
	// weak scaling (S = N − α·(N − 1)).
	Amdahl    *stats.Amdahl `json:"amdahl,omitempty"`
	Gustafson *float64      `json:"gustafson_serial_fraction,omitempty"`
	// CPUs is the logical CPUs the process may use; Oversubscribed is set
	// when a sweep asked for more workers than that.
	CPUs           int  `json:"cpus"`
	Oversubscribed bool `json:"oversubscribed"`
	// Notes says what the report could not hold as measured: a figure
	// that was not a number (a speedup over a failed point), written as
	// null (see MarshalJSON).
	Notes []string `json:"notes,omitempty"`
}

// plainScaleReport is ScaleReport without its JSON method.
type plainScaleReport ScaleReport

// MarshalJSON writes s, a figure that is NaN or ±Inf as null, named in
// its Notes, so that a sweep never fails to write after measuring.
func (s ScaleReport) MarshalJSON() ([]byte, error) {
	return encodeFinite(s, func(s ScaleReport) ([]byte, error) { return json.Marshal(plainScaleReport(s)) },
		func(c *ScaleReport, note string) { c.Notes = append(c.Notes[:len(c.Notes):len(c.Notes)], note) })
}
