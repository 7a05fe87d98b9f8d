package harness

import (
	"strings"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

// Resident names the smallest cache of the CPU info describes that holds
// p's operands (p.Bytes: its inputs and result) when a CPU backend runs
// it on dev: "L1", "L2" or "L3", or "" where none does, or where dev is
// not the CPU (a GPU's caches are not probed). L1d and L2 are per core,
// and a backend's workers each work on their own part of the operands,
// so those levels hold the core's size times the cores the workers run
// on; the L3 is taken at the size the probe reports. A kernel run many
// times over operands that stay in a cache reads that cache, not memory:
// its GB/s is the cache's.
func Resident(p compute.Problem, dev compute.Device, info *hwinfo.Info) string {
	if dev.GPU != nil || info == nil {
		return ""
	}
	cores := max(dev.Workers, 1)
	if n := info.NumCPU; n > 0 {
		cores = min(cores, n)
	}
	if n := info.CPU.PhysicalCores; n > 0 {
		cores = min(cores, n)
	}
	need := p.Bytes()
	for _, c := range []struct {
		name string
		size float64
	}{
		{"L1", float64(info.CPU.L1D) * float64(cores)},
		{"L2", float64(info.CPU.L2) * float64(cores)},
		{"L3", float64(info.CPU.L3)},
	} {
		if c.size > 0 && need <= c.size {
			return c.name
		}
	}
	return ""
}

// bandwidthOf is the memory bandwidth in bws of the device dev that
// backend runs on, 0 where none was measured. A roofline measured on
// "cpu" holds for every SIMD level of the CPU ("cpu/avx2"): they share
// its memory.
func bandwidthOf(bws []results.Bandwidth, backend string, dev compute.Device) float64 {
	for _, b := range bws {
		same := b.Backend == backend || b.Backend == "cpu" && strings.HasPrefix(backend, "cpu/")
		if same && b.Device == dev.Name {
			return b.GBps
		}
	}
	return 0
}
