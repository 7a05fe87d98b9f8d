package harness

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// VerifyMode says how much of a result is checked against the reference.
type VerifyMode string

const (
	// VerifyAuto checks every element, unless the full reference costs
	// more than FullRefFLOPs: then a sample and probes (gemm past 2³⁰
	// FLOPs; every other kernel is checked whole, streaming, see
	// streamed).
	VerifyAuto VerifyMode = "auto"
	// VerifyFull checks every element, whatever it costs.
	VerifyFull VerifyMode = "full"
	// VerifySample checks SampleSize elements (every one of a smaller
	// result), and a gemm's every row and column through probes.
	VerifySample VerifyMode = "sample"
)

// ParseVerifyMode reads a verification mode (Config.Verify) by name; ""
// is VerifyAuto.
func ParseVerifyMode(s string) (VerifyMode, error) {
	switch m := VerifyMode(s); m {
	case "":
		return VerifyAuto, nil
	case VerifyAuto, VerifyFull, VerifySample:
		return m, nil
	}
	return "", &compute.FieldError{Field: "Verify", Value: fmt.Sprintf("%q", s), Err: compute.ErrUsage, Msg: "unknown mode: use auto, full or sample"}
}

// SampleSize is how many elements a sampled check compares one by one
// (see ref.SampleSize). No kernel but gemm is sampled unless VerifySample
// asks: their reference costs no more than drawing their inputs,
// so VerifyAuto checks every element, streaming (see streamed).
const SampleSize = ref.SampleSize

// FullRefFLOPs and FullRefBytes are where VerifyAuto turns to a sample.
//
// The full reference does the kernel's arithmetic twice in float64 (want
// and mag, ref.Compute), serially through gonum's dgemm for gemm: past
// FullRefFLOPs it takes about as long as the case's own timing, and the
// check, not the benchmark, is what the user waits for. gemm 512 (2²⁸)
// stays whole, 1024 (2³¹) is sampled. The other kernels' references cost
// a few operations per element, about what drawing the inputs costs, and
// are streamed whole whatever their size.
// Measurements: docs/methodology.md#why-these-constants.
//
// Besides time, a reference held in memory (the inputs, |inputs|, want,
// mag and the widened result in float64, 4 to 6 times the float32
// operands themselves) would decide whether a case fits the machine past
// 1 GiB; none is held now (gemm's reference is made in blocks of rows,
// ref.GEMMChunks, the rest streamed, ref.VerifyStream, and a dump draws
// the inputs again a block at a time, results.Dumper.Dump), and auto samples a
// gemm whose blocks of rows would hold more.
const (
	FullRefFLOPs = 1 << 30
	FullRefBytes = 1 << 30
)

// sampled says whether c's result is checked on a sample: dot and sum
// have one element, which is their whole reference; every kernel but
// gemm is streamed whole under VerifyAuto. A dump changes nothing here:
// it draws the inputs again itself (results.Dumper.Dump).
func sampled(c compute.Problem, cfg Config) bool {
	if c.OutLen() <= SampleSize {
		return false
	}
	switch cfg.Verify {
	case VerifyFull:
		return false
	case VerifySample:
		return true
	}
	if ref.Streamed(c.Kernel) {
		return false
	}
	return c.Flops() > FullRefFLOPs || ref.GEMMChunksBytes(c.Shape) > FullRefBytes
}

// streamed says whether c's result is checked whole by ref.VerifyStream,
// its inputs drawn again a chunk at a time: every kernel but gemm,
// unless it is sampled.
func streamed(c compute.Problem, cfg Config) bool {
	return ref.Streamed(c.Kernel) && !sampled(c, cfg)
}
