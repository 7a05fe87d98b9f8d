package bench

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/ref"
)

// VerifyMode says how much of a result is checked against the reference.
type VerifyMode string

const (
	// VerifyAuto checks every element, unless the full reference costs
	// more than FullRefFLOPs or FullRefBytes: then a sample.
	VerifyAuto VerifyMode = "auto"
	// VerifyFull checks every element, whatever it costs.
	VerifyFull VerifyMode = "full"
	// VerifySample checks SampleSize elements (every one of a smaller
	// result).
	VerifySample VerifyMode = "sample"
)

// ParseVerifyMode reads --verify; "" is VerifyAuto.
func ParseVerifyMode(s string) (VerifyMode, error) {
	switch m := VerifyMode(s); m {
	case "":
		return VerifyAuto, nil
	case VerifyAuto, VerifyFull, VerifySample:
		return m, nil
	}
	return "", fmt.Errorf("%w: unknown --verify %q: use auto, full or sample", compute.ErrUsage, s)
}

// SampleSize is how many elements a sampled check compares. A fault that
// spoils a fraction f of the elements escapes all of them with
// probability (1 − f)^SampleSize ≈ e^(−4096·f): one wrong row or column
// of a 4096² result (f = 1/4096) is caught 63 % of the time, a wrong
// 1 % of elements always (1 − 10⁻¹⁸). The tile edges, where blocked
// kernels go wrong most, are in every sample (ref.SampleIndices). Each
// gemm element costs about 2K draws from the input streams, so the
// sample of gemm 4096 takes under a second.
const SampleSize = 4096

// FullRefFLOPs and FullRefBytes are where VerifyAuto turns to a sample.
//
// The full reference does the kernel's arithmetic twice in float64 (want
// and mag, ref.Compute), serially through gonum's dgemm for gemm: about
// 3.4 GFLOP/s on the 2-core machine of DESIGN.md (gemm 4096, 2.7·10¹¹
// FLOPs of reference, took 80 s against the kernel's 1.6 s a run). A
// kernel of 2³⁰ FLOPs then has about 0.6 s of reference, as long as the
// case's own timing takes: past that the check, not the benchmark, is
// what the user waits for. gemm 512 (2²⁸) stays whole, 1024 (2³¹) is
// sampled.
//
// Besides time, the full reference of every kernel but gemm holds its
// inputs, |inputs|, want, mag and the widened result in float64
// (HostBytes), 4 to 6 times the float32 operands themselves. Past 1 GiB
// of that the check, not the kernel, decides whether a case fits the
// machine; the quick suite's cases stay under it (a vector kernel of
// 4Mi: 224 MiB; gemv 2048²: 96 MiB).
const (
	FullRefFLOPs = 1 << 30
	FullRefBytes = 1 << 30
)

// sampled says whether c's result is checked on a sample. A dump needs
// the whole inputs anyway, so VerifyAuto checks it whole; dot and sum
// have one element, which is their whole reference.
func sampled(c Case, cfg Config) bool {
	if c.Kernel.OperandLen("out", c.Shape) <= SampleSize {
		return false
	}
	switch cfg.Verify {
	case VerifyFull:
		return false
	case VerifySample:
		return true
	}
	return cfg.Dump == nil && (c.Kernel.Flops(c.Shape) > FullRefFLOPs || fullRefBytes(c) > FullRefBytes)
}

// verifySample checks the elements of got (c's result, a []float32 or
// []float64 read where the download left it, never widened whole) that
// ref.SampleIndices chooses, against their element-wise reference.
func verifySample(dev compute.Device, c Case, cfg Config, got any) (ref.Check, int, error) {
	k := c.Kernel
	idx := ref.SampleIndices(k, c.Shape, SampleSize, cfg.Seed)
	want, mag, err := ref.Elements(k, c.Shape, c.DType, cfg.Seed, c.Alpha, c.Beta, idx)
	if err != nil {
		return ref.Check{}, 0, err
	}
	g := make([]float64, len(idx))
	switch v := got.(type) {
	case []float32:
		for i, e := range idx {
			g[i] = float64(v[e])
		}
	case []float64:
		for i, e := range idx {
			g[i] = v[e]
		}
	}
	return ref.VerifyAt(k, c.Shape, c.DType, dev.SumLeaf, idx, g, want, mag), len(idx), nil
}
