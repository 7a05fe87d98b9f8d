package harness

import (
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"strconv"
	"strings"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

// The memory a run takes, as the plan counts it before anything is
// allocated: each case's buffers (hostBytes), resident and in address
// space, with the margins below, checked against each limit hwinfo
// reads (the cgroup's, RLIMIT_AS, MemAvailable).

// Margins of a run's memory beyond its cases' buffers, resident and in
// address space (docs/methodology.md#why-these-constants).
const (
	// goResident is what the Go runtime keeps beside the live buffers:
	// spans, GC metadata, the workers' goroutine stacks.
	goResident = 16 << 20
	// heapArena is the Go heap's unit of address space: a buffer that
	// does not fit in what the heap has mapped maps a new 64 MiB arena.
	heapArena = 64 << 20
	// heapGrowth is the address space the Go heap maps for a case, per
	// byte of its buffers: measured 1.13-1.17 under ulimit -v.
	heapGrowth = 1.25
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
// Go heap's growth in address space (heapGrowth, and a new arena); and
// a margin for threads, each worker's and the runtime's.
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
		Address:  heapGrowth*b + heapArena + threads*threadStack,
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

// onBackend is cfg for a measurement on backend alone: its cases'
// device copies are that backend's.
func onBackend(cfg Config, backend string) Config {
	cfg.Backends = []string{backend}
	return cfg
}

// rooflineAvailable is the memory MeasureRoofline sizes backend's
// arrays by, RooflineSizes keeping a triad's host memory within half of
// it: twice the host memory of the longest triad that passes the memory
// check on backend (runNeed, every limit of mem; in address space its
// buffers twice over), with the GL
// implementation's working memory held beside it where a gl backend of
// cfg.Backends opens after it in the same process (the Go heap never
// gives address space back: under RLIMIT_AS a CPU roofline sized to what
// was free left too little to open gl). Where mem knows no limit it is
// mem.AvailableBytes (0: unknown).
func rooflineAvailable(mem hwinfo.Memory, cfg Config, backend string) uint64 {
	m := rooms(mem)
	if !m.Resident.Known() && !m.Address.Known() {
		return mem.AvailableBytes
	}
	run := onBackend(cfg, backend)
	var beside hwinfo.Need
	if !usesGL(run.Backends) && usesGL(cfg.Backends) {
		beside = hwinfo.GLWorkingMemory
	}
	triad := func(n int) compute.Problem { return NewProblem(compute.Triad, compute.Vec(n), compute.Float32) }
	// A roofline runs a dozen cases in a row, and the heap keeps the
	// address space of the last while the next allocates: its buffers
	// count twice there.
	fits := func(n int) bool {
		need := runNeed(triad(n), run).Plus(beside)
		need.Address += hostBytes(triad(n), run)
		_, _, ok := m.Short(need)
		return ok
	}
	if !fits(1) {
		return 1 // nothing fits; not 0, which means unknown
	}
	lo, hi := 1, min(1<<40, math.MaxInt) // fits(lo), not fits(hi)
	for hi-lo > 1 {
		if mid := lo + (hi-lo)/2; fits(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return uint64(2 * hostBytes(triad(lo), run))
}
