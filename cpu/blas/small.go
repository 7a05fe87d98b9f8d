package blas

import "gonum.org/v1/gonum/blas"

// Calls below these sizes run gonum's code, which is faster there: the
// kernels' fixed cost (dispatch through the level's table, vector loops
// that leave short inputs to their scalar tails, gemm's packing into
// whole micro-panels) is tens of nanoseconds to a few hundred, which a
// short vector or a small product does not repay. Measured with
// BenchmarkRoutine on the 2-vCPU Zen 5 VM, float64, one goroutine, ns
// per call, medians of 3, gonum / ours (gemv on n×n, gemm on n×n×n):
//
//	n        4        8        16       32        64        128        256
//	Ddot     8 / 20   8 / 15   9 / 15   12 / 16   16 / 17
//	Daxpy    10 / 21  9 / 16   10 / 17  13 / 16   20 / 18
//	Dscal    7 / 17   8 / 14   8 / 14   10 / 15   15 / 17
//	Dnrm2    13 / 22  17 / 17  26 / 17  43 / 18   83 / 18
//	Dgemv N  16 / 82  24 / 52  48 / 60  132 / 105 471 / 165
//	Dgemv T  19 / 90  22 / 86  44 / 194 128 / 343 482 / 762 1999 / 2075 7203 / 6260
//	Dgemm    93 / 103 353 / 356         (12: 830 / 497; 16: 1937 / 613)
//
// Dgemv T runs one axpy per row of A, so the length of the rows decides.
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
