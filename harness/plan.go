package harness

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/ref"
)

// Case is one kernel launch to measure, on every backend of a run.
type Case struct {
	Kernel      *compute.Kernel
	Shape       compute.Shape
	DType       compute.DType
	Alpha, Beta float64
}

// Name is "kernel/shape/dtype", the case's identity across runs.
func (c Case) Name() string {
	return c.Kernel.Name + "/" + c.Shape.Format(c.Kernel) + "/" + c.DType.String()
}

// DefaultSizes are the quick suite's sizes: big enough to leave the L2 on
// a typical CPU and to fill a GPU, small enough that the whole suite runs
// in seconds on two cores.
var DefaultSizes = map[compute.Form]string{
	compute.VectorForm: "4Mi",
	compute.MatrixForm: "2048",
	compute.GEMMForm:   "512",
	// fma at 256 steps: 64 FLOP per byte in float32, 32 in float64, past
	// the ridge point of CPUs and GPUs alike, so it measures the peak.
	compute.ChainForm: "1Mix256",
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
// DefaultSizes by passing none. Every case's host memory is checked
// against what the machine has free before anything is allocated.
//
// Plan assumes every case is verified in full; PlanFor checks memory as
// cfg will verify (a case checked on a sample needs no full reference).
func Plan(kernels []*compute.Kernel, sizes []string, dtypes []compute.DType) ([]Case, error) {
	return PlanFor(kernels, sizes, dtypes, Config{Verify: VerifyFull})
}

// PlanFor is Plan for cases verified as cfg says.
func PlanFor(kernels []*compute.Kernel, sizes []string, dtypes []compute.DType, cfg Config) ([]Case, error) {
	var cases []Case
	for _, k := range kernels {
		ss := sizes
		if len(ss) == 0 {
			ss = []string{DefaultSizes[k.Form]}
		}
		for _, str := range ss {
			s, err := k.ParseShape(str)
			if err != nil {
				return nil, err
			}
			for _, dt := range dtypes {
				c := Case{Kernel: k, Shape: s, DType: dt}
				if k.Alpha {
					c.Alpha = DefaultAlpha
				}
				if k.Beta {
					c.Beta = DefaultBeta
				}
				if err := CheckMemoryFor(c, cfg, hwinfo.AvailableMemory()); err != nil {
					return nil, err
				}
				cases = append(cases, c)
			}
		}
	}
	return cases, nil
}

// HostBytes is the host memory one case needs at its peak (see
// measure), verified in full: the backend's copies of every operand (host
// memory for the CPU backend; a GPU backend needs the same on the
// device), the one host slice in dt that inputs and result pass through,
// and the reference's working memory, for gemm its blocks of rows
// (ref.GEMMChunksBytes), for the others a few chunks
// (ref.StreamBytes).
func HostBytes(c Case) float64 { return hostBytes(c, Config{Verify: VerifyFull}) }

// hostBytes is HostBytes for c verified as cfg says (see refBytes).
func hostBytes(c Case, cfg Config) float64 {
	k, s := c.Kernel, c.Shape
	var in, largest float64
	for _, name := range k.Inputs {
		n := float64(k.OperandLen(name, s))
		in += n
		largest = max(largest, n)
	}
	out := float64(k.OperandLen("out", s))
	e := float64(c.DType.Size())
	return (in+out)*e + max(largest, out)*e + refBytes(c, cfg)
}

// refBytes is the memory c's check works in beside the operands, as
// verify does it under cfg: a sample's rows and columns of the inputs
// and its few thousand elements, with a gemm's probes
// (ref.GEMMProbesBytes); a stream's chunks; or gemm's blocks of rows. A
// dump adds its blocks (npyBlock, see writeNPY) and no more: it draws
// the inputs again from their streams and writes the result from where
// the check reads it.
func refBytes(c Case, cfg Config) float64 {
	k, s := c.Kernel, c.Shape
	var b float64
	if cfg.Dump != nil {
		b = 3 * npyBlock
	}
	switch {
	case sampled(c, cfg):
		b += 3 * 8 * float64(SampleSize)
		switch k.Name {
		case "gemm":
			b += 2*8*float64(s.K) + ref.GEMMProbesBytes(s)
		case "gemv":
			b += 2 * 8 * float64(s.N)
		}
		return b
	case streamed(c, cfg):
		return b + ref.StreamBytes(k, s)
	}
	return b + ref.GEMMChunksBytes(s)
}

// CheckMemory refuses a case whose HostBytes exceed avail (bytes free;
// 0 means unknown, and the check passes).
func CheckMemory(c Case, avail uint64) error {
	return checkMemory(c, HostBytes(c), avail)
}

// CheckMemoryFor is CheckMemory for c verified as cfg says.
func CheckMemoryFor(c Case, cfg Config, avail uint64) error {
	return checkMemory(c, hostBytes(c, cfg), avail)
}

func checkMemory(c Case, need float64, avail uint64) error {
	if avail > 0 && need > float64(avail) {
		return fmt.Errorf("%w: %s needs about %s of memory and %s is free: choose a smaller --size",
			compute.ErrTooLarge, c.Name(), FormatBytes(need), FormatBytes(float64(avail)))
	}
	return nil
}

// FormatBytes writes n with a binary unit: "512 B", "1.5 KiB", "3.0 GiB".
func FormatBytes(n float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for n >= 1024 && i < len(units)-1 {
		n /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f %s", n, units[i])
	}
	return fmt.Sprintf("%.1f %s", n, units[i])
}
