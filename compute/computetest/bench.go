package computetest

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
)

// BenchName names a Go sub-benchmark of p on backend as key=value parts,
// the keys of `gpubench run --format benchfmt` (n= for a vector, m=/n=
// for gemv and transpose, m=/n=/k= for gemm, n=/k= for fma), so that
// benchstat pivots any key across packages:
//
//	kernel=gemm/backend=cpu/m=256/n=256/k=256/dtype=float32
//
//	go test -run - -bench Kernel ./cpu ./gl ./peer | benchstat -ignore pkg -col /backend -
func BenchName(p compute.Problem, backend string) string {
	s := p.Shape
	var shape string
	switch p.Kernel.Form() {
	case compute.VectorForm:
		shape = fmt.Sprintf("n=%d", s.N)
	case compute.MatrixForm:
		shape = fmt.Sprintf("m=%d/n=%d", s.M, s.N)
	case compute.ChainForm:
		shape = fmt.Sprintf("n=%d/k=%d", s.N, s.K)
	default:
		shape = fmt.Sprintf("m=%d/n=%d/k=%d", s.M, s.N, s.K)
	}
	return fmt.Sprintf("kernel=%v/backend=%s/%s/dtype=%v", p.Kernel, backend, shape, p.DType)
}
