package results

import (
	"fmt"
	"strconv"

	"github.com/gpubench/gpubench/compute"
)

// Shape is a case's compute.Shape as a results file writes it: its
// nonzero dimensions joined by x, which is what compute.Shape.Format
// writes for the kernel of every shape the catalogue builds: "N" for a
// vector, "MxN" for a matrix, "NxK" for fma's chains, "MxNxK" for
// gemm. Two dimensions read back as M×N; a Result, which knows its
// kernel, reads fma's as N×K, and a shape the file abbreviates (one
// dimension for a square) as a flag's size is read.
type Shape struct{ compute.Shape }

// ShapeOf is s as a results file writes it.
func ShapeOf(s compute.Shape) Shape { return Shape{s} }

// String is the shape as the file writes it, e.g. "512x512x512".
func (s Shape) String() string {
	b, _ := s.MarshalText()
	return string(b)
}

// MarshalText writes s's nonzero dimensions in the order M, N, K,
// joined by x; N alone where all are 0.
func (s Shape) MarshalText() ([]byte, error) {
	var b []byte
	for _, d := range []int{s.M, s.N, s.K} {
		if d == 0 {
			continue
		}
		if len(b) > 0 {
			b = append(b, 'x')
		}
		b = strconv.AppendInt(b, int64(d), 10)
	}
	if len(b) == 0 {
		b = strconv.AppendInt(b, int64(s.N), 10)
	}
	return b, nil
}

// UnmarshalText reads "N", "MxN" or "MxNxK" (compute.ParseShape), as N,
// as M×N and as M×N×K.
func (s *Shape) UnmarshalText(b []byte) error {
	d, err := compute.ParseShape(string(b))
	if err != nil {
		return err
	}
	switch len(d) {
	case 1:
		*s = Shape{compute.Vec(d[0])}
	case 2:
		*s = Shape{compute.Mat(d[0], d[1])}
	default:
		*s = Shape{compute.MNK(d[0], d[1], d[2])}
	}
	return nil
}

// fit makes s, as UnmarshalText read it, kernel k's, as a flag's size
// is read (compute.Kernel.ParseShape): fma's two dimensions are N×K, a
// matrix kernel's one dimension is a square's side, gemm's a cube's.
func (s Shape) fit(k compute.Kernel) (Shape, error) {
	v, err := k.ParseShape(s.String())
	if err != nil {
		return s, fmt.Errorf("a case of kernel %s: %w", k, err)
	}
	return Shape{v}, nil
}
