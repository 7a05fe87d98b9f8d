package harness

import (
	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/ref"
	"github.com/gpubench/gpubench/results"
)

// DefaultSize is the quick suite's size for kernels of form f: big
// enough to leave the L2 on a typical CPU and to fill a GPU, small enough
// that the whole suite runs in seconds on two cores.
func DefaultSize(f compute.Form) string {
	switch f {
	case compute.MatrixForm:
		return "2048"
	case compute.GEMMForm:
		return "512"
	case compute.ChainForm:
		// fma at 256 steps: 64 FLOP per byte in float32, 32 in float64,
		// past the ridge point of CPUs and GPUs alike, so it measures the
		// peak.
		return "1Mix256"
	}
	return "4Mi"
}

// Scalars used in every case: α and β chosen not to be 1 or 0 so that the
// kernels' scaling paths are exercised and verified.
const (
	DefaultAlpha = 1.5
	DefaultBeta  = -0.75
)

// Plan expands kernels × sizes × dtypes into cases. sizes are strings as
// on the command line; a size that a kernel's form cannot take (e.g.
// "MxN" for a vector kernel) is an error, so give per-form sizes through
// DefaultSize by passing none. Every case's memory is checked against
// what the process may use before anything is allocated (checkBeside):
// its buffers on the host and a gl device's, the reference's, the Go
// heap's and the threads' margins, and a GL implementation's working
// memory where cfg.Backends opens gl.
//
// Plan assumes every case is verified in full; PlanFor checks memory as
// cfg will verify (a case checked on a sample needs no full reference).
func Plan(kernels []compute.Kernel, sizes []string, dtypes []compute.DType) ([]compute.Problem, error) {
	return PlanFor(kernels, sizes, dtypes, Config{Verify: VerifyFull})
}

// PlanFor is Plan for cases verified as cfg says.
func PlanFor(kernels []compute.Kernel, sizes []string, dtypes []compute.DType, cfg Config) ([]compute.Problem, error) {
	var cases []compute.Problem
	mem := cfg.Env.memory()
	// A run that opens gl holds its working memory beside every case.
	var glNeed hwinfo.Need
	if usesGL(cfg.Backends) {
		glNeed = hwinfo.GLWorkingMemory
	}
	for _, k := range kernels {
		ss := sizes
		if len(ss) == 0 {
			ss = []string{DefaultSize(k.Form())}
		}
		for _, str := range ss {
			s, err := k.ParseShape(str)
			if err != nil {
				return nil, err
			}
			for _, dt := range dtypes {
				c := NewProblem(k, s, dt)
				if err := checkBeside(c, cfg, mem, glNeed); err != nil {
					return nil, err
				}
				cases = append(cases, c)
			}
		}
	}
	return cases, nil
}

// NewProblem is k at shape s in dt with the scalars every case uses,
// DefaultAlpha and DefaultBeta, where k reads them.
func NewProblem(k compute.Kernel, s compute.Shape, dt compute.DType) compute.Problem {
	p := compute.Problem{Kernel: k, Shape: s, DType: dt}
	if k.UsesAlpha() {
		p.Alpha = DefaultAlpha
	}
	if k.UsesBeta() {
		p.Beta = DefaultBeta
	}
	return p
}

// HostBytes is the host memory one case needs at its peak (see
// measure), verified in full: the backend's copies of every operand (host
// memory for the CPU backend; a GPU backend needs the same on the
// device), the one host slice in dt that inputs and result pass through,
// and the reference's working memory, for gemm its blocks of rows
// (ref.GEMMChunksBytes), for the others a few chunks
// (ref.StreamBytes).
func HostBytes(c compute.Problem) float64 { return hostBytes(c, Config{Verify: VerifyFull}) }

// hostBytes is HostBytes for c verified as cfg says (see refBytes).
func hostBytes(c compute.Problem, cfg Config) float64 {
	var in, largest float64
	for _, name := range c.Kernel.Inputs() {
		n := float64(c.OperandLen(name))
		in += n
		largest = max(largest, n)
	}
	out := float64(c.OutLen())
	e := float64(c.DType.Size())
	held := in + out
	if c.Kernel.InPlace() != "" {
		held = in // out is an input's buffer
	}
	return held*e + max(largest, out)*e + refBytes(c, cfg)
}

// refBytes is the memory c's check works in beside the operands, as
// verify does it under cfg: a sample's rows and columns of the inputs
// and its few thousand elements, with a gemm's probes
// (ref.GEMMProbesBytes); a stream's chunks; or gemm's blocks of rows. A
// dump adds its blocks (results.NPYBlock) and no more: it draws
// the inputs again from their streams and writes the result from where
// the check reads it.
func refBytes(c compute.Problem, cfg Config) float64 {
	s := c.Shape
	var b float64
	if cfg.Dump != nil {
		b = 3 * results.NPYBlock
	}
	switch {
	case sampled(c, cfg):
		b += 3 * 8 * float64(SampleSize)
		switch c.Kernel {
		case compute.Gemm:
			b += 2*8*float64(s.K) + ref.GEMMProbesBytes(s)
		case compute.Gemv:
			b += 2 * 8 * float64(s.N)
		}
		return b
	case streamed(c, cfg):
		return b + ref.StreamBytes(c)
	}
	return b + ref.GEMMChunksBytes(s)
}

// CheckMemory refuses a case whose HostBytes, with the margins a run
// adds (runNeed), exceed avail (bytes free; 0 means unknown, and the
// check passes).
func CheckMemory(c compute.Problem, avail uint64) error {
	return checkMemory(c, Config{Verify: VerifyFull}, hwinfo.Memory{AvailableBytes: avail})
}

// CheckMemoryFor is CheckMemory for c verified as cfg says.
func CheckMemoryFor(c compute.Problem, cfg Config, avail uint64) error {
	return checkMemory(c, cfg, hwinfo.Memory{AvailableBytes: avail})
}
