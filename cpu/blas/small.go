package blas

import "gonum.org/v1/gonum/blas"

// Calls below these sizes run gonum's code, which is faster there: the
// kernels' fixed cost (dispatch through the level's table, vector loops
// that leave short inputs to their scalar tails, gemm's packing into
// whole micro-panels) is tens of nanoseconds to a few hundred, which a
// short vector or a small product does not repay. Each limit is where
// BenchmarkRoutine found ours faster; Dgemv T runs one axpy per row of A,
// so the length of the rows decides.
// Measurements: docs/methodology.md#why-these-constants.
const (
	smallVector = 64      // axpy, dot, scal: n below it
	smallNorm   = 8       // nrm2: n below it
	smallGemv   = 32 * 32 // gemv N: m·n below it
	shortRowsT  = 128     // gemv T: rows of A shorter than it
	smallGemm   = 1 << 10 // gemm: m·n·k below it
)

// small says whether a call that is small by its routine's measure goes
// to gonum's code: unless the state runs every size on the kernels.
func (e *state) small(small bool) bool { return small && !e.allSizes }

// gemvSmall says whether a gemv of an m×n A is small.
func gemvSmall(tA blas.Transpose, m, n int) bool {
	if isTrans(tA) {
		return n < shortRowsT
	}
	return int64(m)*int64(n) < smallGemv
}

// gemmSmall says whether an m×n×k gemm is small. (In int64: m·n·k
// overflows an int on 32-bit platforms.)
func gemmSmall(m, n, k int) bool { return int64(m)*int64(n)*int64(k) < smallGemm }
