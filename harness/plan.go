package harness

import (
	"fmt"
	"math/bits"
	"runtime"
	"strconv"
	"strings"

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
// what the process may use before anything is allocated (checkMemory):
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

// Margins of a run's memory beyond its cases' buffers, resident and in
// address space (docs/methodology.md#why-these-constants).
const (
	// goResident is what the Go runtime keeps beside the live buffers:
	// spans, GC metadata, the workers' goroutine stacks.
	goResident = 16 << 20
	// heapArena is the Go heap's unit of address space: a buffer that
	// does not fit in what the heap has mapped maps a new 64 MiB arena.
	heapArena = 64 << 20
	// threadStack is what each thread maps for its stack: glibc's
	// default, RLIMIT_STACK's usual 8 MiB; threadResident what one keeps
	// resident of it and of its Go runtime state.
	threadStack    = 8 << 20
	threadResident = 256 << 10
	// runtimeThreads are threads the Go runtime may start beside one per
	// worker: sysmon, a template thread, a GC worker, one blocked in cgo.
	runtimeThreads = 4
)

// runNeed is the memory running c as cfg says takes beyond what the
// process holds now: its buffers (hostBytes), and again on a gl
// backend's device, which is host memory on a software renderer; the
// Go heap's growth in address space (a quarter more than the buffers,
// and a new arena); and a margin for threads, each worker's and the
// runtime's. Under ulimit -v the process grew by 1.13-1.17 times a
// case's buffers and at most 35 MiB more (docs/methodology.md).
func runNeed(c compute.Problem, cfg Config) hwinfo.Need {
	b := hostBytes(c, cfg)
	if usesGL(cfg.Backends) {
		b += deviceBytes(c)
	}
	workers := cfg.Options.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	threads := float64(workers + runtimeThreads)
	return hwinfo.Need{
		Resident: b + goResident + threads*threadResident,
		Address:  1.25*b + heapArena + threads*threadStack,
	}
}

// usesGL reports whether backends names a gl backend ("gl", "gl/…").
func usesGL(backends []string) bool {
	for _, b := range backends {
		if b == "gl" || strings.HasPrefix(b, "gl/") {
			return true
		}
	}
	return false
}

// deviceBytes is what a backend holds of c on its device: every operand,
// and the output where it is not an input's buffer.
func deviceBytes(c compute.Problem) float64 {
	var n float64
	for _, name := range c.Kernel.Inputs() {
		n += float64(c.OperandLen(name))
	}
	if c.Kernel.InPlace() == "" {
		n += float64(c.OutLen())
	}
	return n * float64(c.DType.Size())
}

// rooms are the limits m holds a run to: its resident room and its
// address space's (hwinfo.Memory), or, where m says only
// AvailableBytes, that as a room under m.Limit.
func rooms(m hwinfo.Memory) hwinfo.Memory {
	if m.Resident.Known() || m.Address.Known() || m.AvailableBytes == 0 {
		return m
	}
	name := m.Limit
	if name == "" {
		name = "the memory available"
	}
	m.Resident = hwinfo.Room{Bytes: m.AvailableBytes, LimitBytes: m.LimitBytes, Name: name}
	return m
}

// checkMemory refuses c where running it as cfg says (runNeed) does not
// fit in what m leaves, before anything is allocated (checkBeside).
func checkMemory(c compute.Problem, cfg Config, m hwinfo.Memory) error {
	return checkBeside(c, cfg, m, hwinfo.Need{})
}

// checkBeside refuses c where running it as cfg says (runNeed), with gl
// beside (the GL implementation's working memory, or none), does not
// fit in what m leaves: the error names the limit that binds (the
// cgroup's, RLIMIT_AS, MemAvailable) and the largest size of c's kernel
// that would fit.
func checkBeside(c compute.Problem, cfg Config, m hwinfo.Memory, gl hwinfo.Need) error {
	m = rooms(m)
	need := func(c compute.Problem) hwinfo.Need { return runNeed(c, cfg).Plus(gl) }
	room, bytes, ok := m.Short(need(c))
	if ok {
		return nil
	}
	fit := "no size of it fits: free memory, or raise the limit"
	if gl != (hwinfo.Need{}) {
		fit = fmt.Sprintf("no size of it fits beside the GL implementation's working memory (about %s): leave gl out, or raise the limit",
			results.FormatBytes(gl.Resident))
	}
	if s, ok := largestFitting(c, func(p compute.Problem) bool { _, _, ok := m.Short(need(p)); return ok }); ok {
		fit = fmt.Sprintf("the largest %s that fits is %s", c.Kernel, formatShape(c.Kernel, s))
	}
	return fmt.Errorf("%w: %s needs about %s of memory and %s is free under %s: %s",
		compute.ErrTooLarge, c, results.FormatBytes(bytes), results.FormatBytes(float64(room.Bytes)), room, fit)
}

// largestFitting is the largest shape of c's kernel, in c's proportions,
// for which fits holds: its size dimensions (all but fma's steps) scaled
// down together, each rounded down to a power of two for a vector and
// to a multiple of 16 for a matrix's side; ok is false where none does.
func largestFitting(c compute.Problem, fits func(compute.Problem) bool) (compute.Shape, bool) {
	scaled := func(f float64) compute.Shape {
		s := c.Shape
		switch c.Kernel.Form() {
		case compute.VectorForm, compute.ChainForm:
			s.N = floorPow2(max(1, int(float64(s.N)*f)))
		default:
			s.M, s.N = side(s.M, f), side(s.N, f)
			if c.Kernel.Form() == compute.GEMMForm {
				s.K = side(s.K, f)
			}
		}
		return s
	}
	try := func(f float64) bool {
		p := c
		p.Shape = scaled(f)
		return c.Kernel.Validate(p.Shape) == nil && fits(p)
	}
	lo, hi := 0.0, 1.0 // fits at lo (or nothing does), not at hi
	if !try(1e-12) {
		return compute.Shape{}, false
	}
	lo = 1e-12
	for range 60 {
		mid := (lo + hi) / 2
		if try(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return scaled(lo), true
}

// formatShape writes s as --size takes it for kernel k, a power of two
// of at least 1024 with its binary suffix ("512Ki").
func formatShape(k compute.Kernel, s compute.Shape) string {
	switch k.Form() {
	case compute.VectorForm:
		return formatDim(s.N)
	case compute.ChainForm:
		return formatDim(s.N) + "x" + strconv.Itoa(s.K)
	}
	return s.Format(k)
}

// formatDim writes n with the largest binary suffix that divides it.
func formatDim(n int) string {
	for _, u := range []struct {
		s string
		v int
	}{{"Gi", 1 << 30}, {"Mi", 1 << 20}, {"Ki", 1 << 10}} {
		if n >= u.v && n%u.v == 0 {
			return strconv.Itoa(n/u.v) + u.s
		}
	}
	return strconv.Itoa(n)
}

// floorPow2 is the largest power of two not above n ≥ 1.
func floorPow2(n int) int { return 1 << (bits.Len(uint(n)) - 1) }

// side is d scaled by f, rounded down to a multiple of 16 where that
// leaves one, at least 1.
func side(d int, f float64) int {
	v := max(1, int(float64(d)*f))
	if v >= 16 {
		v -= v % 16
	}
	return v
}
