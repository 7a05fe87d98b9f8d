package results

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/gpubench/gpubench/compute"
)

// jsonFloat is a float64 that JSON can carry when it is not finite:
// encoding/json refuses ±Inf and NaN, yet an error bound is +Inf where
// float32 accumulation of a serial sum has no bound left (n·u ≥ 1), and
// an error is NaN where a result is. They travel as the strings "+Inf",
// "-Inf" and "NaN", as Python's json module and NumPy read them back.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var v float64
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = jsonFloat(v)
		return nil
	}
	switch s {
	case "NaN":
		*f = jsonFloat(math.NaN())
	case "+Inf", "Inf", "Infinity":
		*f = jsonFloat(math.Inf(1))
	case "-Inf", "-Infinity":
		*f = jsonFloat(math.Inf(-1))
	default:
		return fmt.Errorf("not a number: %q", s)
	}
	return nil
}

// resultJSON is a Result as a results file holds it: the fields that can
// be non-finite shadow Result's own (a shallower field wins in
// encoding/json).
type resultJSON struct {
	plainResult
	MaxAbsErr jsonFloat `json:"max_abs_err"`
	MaxRelErr jsonFloat `json:"max_rel_err"`
	Bound     jsonFloat `json:"bound"`
	ErrRatio  jsonFloat `json:"err_over_bound"`
}

// plainResult is Result without its JSON methods.
type plainResult Result

func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(resultJSON{plainResult(r), jsonFloat(r.MaxAbsErr), jsonFloat(r.MaxRelErr), jsonFloat(r.Bound), jsonFloat(r.ErrRatio)})
}

func (r *Result) UnmarshalJSON(b []byte) error {
	var j resultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Result(j.plainResult)
	r.MaxAbsErr, r.MaxRelErr, r.Bound, r.ErrRatio = float64(j.MaxAbsErr), float64(j.MaxRelErr), float64(j.Bound), float64(j.ErrRatio)
	if !r.Kernel.Valid() {
		return fmt.Errorf("%w: a case names no kernel", compute.ErrUnknownKernel)
	}
	if r.DType.Size() == 0 {
		return fmt.Errorf("%w: a case of kernel %s names no dtype", compute.ErrUsage, r.Kernel)
	}
	s, err := r.Shape.fit(r.Kernel)
	r.Shape = s
	return err
}
