package results

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestResultNonFiniteJSON: a result whose bound is +Inf and whose errors
// are NaN and -Inf is written (encoding/json alone refuses it) and read
// back with the same values; finite values stay plain numbers.
func TestResultNonFiniteJSON(t *testing.T) {
	in := Result{Kernel: compute.Dot, Backend: "gonum", Shape: ShapeOf(compute.Vec(8)), DType: compute.Float32, MaxAbsErr: math.NaN(), MaxRelErr: math.Inf(-1), Bound: math.Inf(1), ErrRatio: 0.25, MedianNs: 12}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	for _, want := range []string{`"bound":"+Inf"`, `"max_abs_err":"NaN"`, `"max_rel_err":"-Inf"`, `"err_over_bound":0.25`, `"median_ns":12`, `"kernel":"dot"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	var out Result
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if !math.IsNaN(out.MaxAbsErr) || !math.IsInf(out.MaxRelErr, -1) || !math.IsInf(out.Bound, 1) || out.ErrRatio != 0.25 || out.Kernel != compute.Dot || out.Shape != ShapeOf(compute.Vec(8)) || out.DType != compute.Float32 || out.MedianNs != 12 {
		t.Errorf("round trip: %+v", out)
	}
	if err := json.Unmarshal([]byte(`{"kernel":"dot","shape":"8","dtype":"float32","bound":"lots"}`), &out); err == nil {
		t.Error(`a bound of "lots" was accepted`)
	}
}
