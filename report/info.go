package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

// Machine is what 'gpubench info' reports: the probe, and each backend's
// device where it opens.
type Machine struct {
	Probe    *hwinfo.Info           `json:"probe"`
	Build    results.Build          `json:"build"`
	Backends []compute.Availability `json:"backends"`
	Devices  []compute.Device       `json:"devices"`
	// MeasuredFMA is the fma kernel's best verified GFLOP/s per backend
	// and dtype, measured now (--measure) or in the last run on this
	// CPU; MeasuredFrom says which.
	MeasuredFMA  map[string]map[compute.DType]float64 `json:"measured_fma_gflops,omitempty"`
	MeasuredFrom string                               `json:"measured_from,omitempty"`
	// Transfers are each backend's copy rates and dispatch latency,
	// measured now (--measure).
	Transfers []results.Transfer `json:"transfers,omitempty"`
	// Latency is the CPU's load latency over buffer sizes, measured now
	// (--measure).
	Latency *hwinfo.Latency `json:"memory_latency,omitempty"`
}

// Info prints m for a person: the CPU, caches, SIMD, peak, memory, the
// kernels' code path and the GPU.
func Info(w io.Writer, m *Machine) {
	w = PrintableTo(w)
	p := m.Probe
	c := &p.CPU
	kv := func(k, f string, a ...any) { fmt.Fprintf(w, "%-10s %s\n", k, fmt.Sprintf(f, a...)) }
	vm := ""
	if c.VM {
		vm = ", a virtual machine"
		if c.Hypervisor != "" {
			vm += " (" + c.Hypervisor + ")"
		}
	}
	kv("CPU", "%s (%s, family %d, model %d, stepping %d)%s", c.Brand, c.Vendor, c.Family, c.Model, c.Stepping, vm)
	kv("Cores", "%d physical, %d logical (%d threads per core; %s); Go uses %d", c.PhysicalCores, c.LogicalCores, c.ThreadsPerCore, c.CoresFrom, p.GOMAXPROCS)
	kv("Caches", "L1d %s, L1i %s, L2 %s, L3 %s, line %d B (%s)", size(c.L1D), size(c.L1I), size(c.L2), size(c.L3), c.CacheLine, c.CachesFrom)
	for _, n := range c.Notes {
		kv("  Note", "%s", n)
	}
	simd := strings.Join(c.Features, " ")
	if c.X86Level > 0 {
		simd += fmt.Sprintf("; x86-64-v%d", c.X86Level)
	}
	kv("SIMD", "%s", simd)
	kv("Peak", "%s GFLOP/s float32, %s GFLOP/s float64 (estimate: %s)", fixed(p.Peak.GFLOPS32, 0), fixed(p.Peak.GFLOPS64, 0), p.Peak.Basis)
	for _, d := range m.Devices {
		if s := formatMeasured(m.MeasuredFMA[d.Backend], d.PeakGFLOPS); s != "" {
			kv("Measured", "%s: %s, %s", d.Backend, s, m.MeasuredFrom)
		}
	}
	for _, t := range m.Transfers {
		kv("Transfers", "%s", TransferSummary(t))
	}
	if l := m.Latency; l != nil {
		kv("Latency", "%s", LatencySummary(l, c))
	}
	mem := fmt.Sprintf("%s total, %s available", size(int(p.Memory.TotalBytes)), size(int(p.Memory.AvailableBytes)))
	if p.Memory.Limit != "" {
		mem += fmt.Sprintf(" to this process, within the %s of %s", size(int(p.Memory.LimitBytes)), p.Memory.Limit)
	}
	if p.Memory.Note != "" {
		mem += " (" + p.Memory.Note + ")"
	}
	kv("Memory", "%s", mem)
	kv("Runtime", "%s/%s, %s, cgo %v", p.OS, p.Arch, p.GoVersion, m.Build.CGO)
	kv("gpubench", "%s", m.Build)
	for _, d := range m.Devices {
		if d.Backend == "cpu" {
			kv("Kernels", "cpu backend: %s code, %s", d.Level, nWorkers(d.Workers))
		}
		if g := d.GPU; g != nil {
			sw := ""
			if g.Software {
				sw = " — software renderer: figures check correctness, not speed"
			}
			kv("GPU", "%s (%s)%s", g.Renderer, g.Vendor, sw)
			kv("  GL", "%s, GLSL %s, context %s", g.GLVersion, g.GLSLVersion, g.Context)
			kv("  Compute", "groups ≤ %v, size ≤ %v, %d invocations, %s shared, SSBO ≤ %s",
				g.MaxWorkGroupCount, g.MaxWorkGroupSize, g.MaxWorkGroupInvocations, size(g.MaxSharedMemory), size(int(g.MaxSSBOSize)))
			kv("  Features", "fp64 %v, subgroups %v, float atomics %v, timer query %v", g.FP64, g.Subgroups, g.Atomics, g.TimerQuery)
		}
	}
	for _, a := range m.Backends {
		if !a.Available {
			kv("Backend", "%s unavailable: %s", a.Name, a.Reason)
		}
	}
}

func size(n int) string {
	if n <= 0 {
		return "unknown"
	}
	return results.FormatBytes(float64(n))
}

// LatencySummary says in a line what a latency sweep found: the latency
// inside each cache level of c, just past the L2 and in memory, and how
// far loads stay nearer cache latency than memory's.
func LatencySummary(l *hwinfo.Latency, c *hwinfo.CPU) string {
	at := func(bytes int) (hwinfo.LatencyPoint, bool) {
		// The largest point within bytes: inside that level, not at its
		// edge where the next level's misses begin.
		var p hwinfo.LatencyPoint
		for _, q := range l.Points {
			if q.Bytes <= bytes {
				p = q
			}
		}
		return p, p.Bytes > 0
	}
	var parts []string
	for _, lv := range []struct {
		name string
		size int
	}{{"L1", c.L1D / 2}, {"L2", c.L2 / 2}} {
		if p, ok := at(lv.size); ok && lv.size > 0 {
			parts = append(parts, fmt.Sprintf("%s %s (%s)", lv.name, formatDuration(p.Ns), size(p.Bytes)))
		}
	}
	if p := l.PastL2; p.Bytes > 0 {
		parts = append(parts, fmt.Sprintf("past L2 %s (%s)", formatDuration(p.Ns), size(p.Bytes)))
	}
	if n := len(l.Points); n > 0 {
		parts = append(parts, fmt.Sprintf("memory %s (%s)", formatDuration(l.MemoryNs), size(l.Points[n-1].Bytes)))
	}
	s := strings.Join(parts, ", ") + "; random loads, one thread"
	if l.CacheBytes == 0 {
		return s + "; no step of 2× or more from past the L2 to memory in this sweep"
	}
	return s + fmt.Sprintf("; loads stay nearer cache latency than memory's up to %s", size(l.CacheBytes))
}
