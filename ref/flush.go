package ref

import (
	"math"

	"github.com/gpubench/gpubench/compute"
)

// SmallestNormal is the smallest positive normal number of dt: a device
// that flushes subnormal numbers to zero loses less than it per rounding.
func SmallestNormal(dt compute.DType) float64 {
	if dt == compute.Float32 {
		return 0x1p-126
	}
	return 0x1p-1022
}

// FlushSubnormals returns a copy of in with every subnormal number of dt
// replaced by a zero of its sign: the inputs as a device that treats
// subnormal operands as zero (DAZ) sees them.
func FlushSubnormals(in [][]float64, dt compute.DType) [][]float64 {
	tiny := SmallestNormal(dt)
	out := make([][]float64, len(in))
	for i, v := range in {
		out[i] = make([]float64, len(v))
		for j, x := range v {
			if x != 0 && math.Abs(x) < tiny {
				x = math.Copysign(0, x)
			}
			out[i][j] = x
		}
	}
	return out
}

// FlushAllowance is the absolute error a device that flushes subnormal
// results to zero (FTZ) may add to one element of out, beyond rounding.
// Each rounding whose result is subnormal may give zero instead, an
// error below the smallest normal; one element takes at most Terms
// products and Depth additions (serially counted, an upper bound for any
// order), and α scales the sum once more: (Terms + Depth)·max(1, |α|)
// smallest normals. Results below it are indistinguishable from zero on
// such a device.
func FlushAllowance(p compute.Problem) float64 {
	return float64(p.Kernel.Terms(p.Shape)+p.Depth(0)) * max(1, math.Abs(p.Alpha)) * SmallestNormal(p.DType)
}
