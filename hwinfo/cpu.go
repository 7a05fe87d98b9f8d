package hwinfo

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// CPU describes the processor. Cache sizes are in bytes, 0 where unknown;
// L1 and L2 are per core, L3 as the CPU reports it (per complex, or a
// VM's host package).
type CPU struct {
	Vendor   string `json:"vendor"`
	Brand    string `json:"brand"`
	Family   int    `json:"family"`
	Model    int    `json:"model"`
	Stepping int    `json:"stepping"`
	// PhysicalCores and LogicalCores count the cores and hardware
	// threads this process may run on, as the OS reports them (its
	// affinity mask and CPU topology); CoresFrom says how.
	PhysicalCores  int    `json:"physical_cores"`
	LogicalCores   int    `json:"logical_cores"`
	ThreadsPerCore int    `json:"threads_per_core"`
	CoresFrom      string `json:"cores_from"`
	// CPUIDLogical is the number of logical processors CPUID reports in
	// the package, kept beside the OS's count: a hypervisor may fill it
	// with the host's (docs/methodology.md#why-these-constants). 0 where
	// CPUID has none.
	CPUIDLogical int `json:"cpuid_logical"`
	L1D          int `json:"l1d_bytes"`
	L1I          int `json:"l1i_bytes"`
	L2           int `json:"l2_bytes"`
	L3           int `json:"l3_bytes"`
	CacheLine    int `json:"cache_line_bytes"`
	// CachesFrom says where the sizes came from: "sysfs", "CPUID leaf
	// 4", "CPUID 0x8000001D", "CPUID 0x80000005/0x80000006", or a list of
	// levels and sources where they differ.
	CachesFrom string `json:"caches_from"`
	// Features lists the SIMD features that kernels could use, in the
	// order of simdFeatures.
	Features []string `json:"features"`
	// X86Level is the x86-64 microarchitecture level (1–4), 0 elsewhere.
	X86Level int `json:"x86_level"`
	// CPUQuota is the CPUs' worth of time per period that the cgroup's
	// CPU quota allows (v2 cpu.max, v1 cpu.cfs_quota_us), where it is
	// less than LogicalCores, else 0; CPUQuotaFrom names its file.
	// QuotaWorkers is the workers it gives time to.
	CPUQuota     float64 `json:"cpu_quota,omitempty"`
	CPUQuotaFrom string  `json:"cpu_quota_from,omitempty"`
	// VM is true where CPUID's hypervisor bit is set; Hypervisor is the
	// hypervisor's CPUID signature where it gives one ("KVMKVMKVM",
	// "bhyve bhyve").
	VM         bool   `json:"vm"`
	Hypervisor string `json:"hypervisor,omitempty"`
	// Notes says where the OS and CPUID disagree, and what was taken.
	Notes []string `json:"notes,omitempty"`
}

// simdFeatures are the features reported in CPU.Features, by the name
// reported.
var simdFeatures = []struct {
	name string
	id   cpuid.FeatureID
}{
	{"SSE2", cpuid.SSE2},
	{"SSE3", cpuid.SSE3},
	{"SSSE3", cpuid.SSSE3},
	{"SSE4.1", cpuid.SSE4},
	{"SSE4.2", cpuid.SSE42},
	{"AVX", cpuid.AVX},
	{"AVX2", cpuid.AVX2},
	{"FMA3", cpuid.FMA3},
	{"F16C", cpuid.F16C},
	{"AVX_VNNI", cpuid.AVXVNNI},
	{"AVX512F", cpuid.AVX512F},
	{"AVX512CD", cpuid.AVX512CD},
	{"AVX512DQ", cpuid.AVX512DQ},
	{"AVX512BW", cpuid.AVX512BW},
	{"AVX512VL", cpuid.AVX512VL},
	{"AVX512_IFMA", cpuid.AVX512IFMA},
	{"AVX512_VBMI", cpuid.AVX512VBMI},
	{"AVX512_VNNI", cpuid.AVX512VNNI},
	{"AVX512_BF16", cpuid.AVX512BF16},
	{"AVX512_FP16", cpuid.AVX512FP16},
	{"AMX_TILE", cpuid.AMXTILE},
	{"AMX_BF16", cpuid.AMXBF16},
	{"AMX_INT8", cpuid.AMXINT8},
	{"AMX_FP16", cpuid.AMXFP16},
	{"ASIMD", cpuid.ASIMD},
	{"ASIMDHP", cpuid.ASIMDHP},
	{"SVE", cpuid.SVE},
	{"SVE2", cpuid.SVE2},
}

// fromCPUID builds the CPU description from what cpuid reports: counts
// and caches as it has them, which describeCPU then replaces with the
// OS's and CPUID's cache leaves.
func fromCPUID(c cpuid.CPUInfo) CPU {
	cpu := CPU{
		Vendor:         c.VendorString,
		Brand:          c.BrandName,
		Family:         c.Family,
		Model:          c.Model,
		Stepping:       c.Stepping,
		PhysicalCores:  c.PhysicalCores,
		LogicalCores:   c.LogicalCores,
		ThreadsPerCore: c.ThreadsPerCore,
		CoresFrom:      fromCPUIDModule,
		CPUIDLogical:   max(c.LogicalCores, 0),
		L1D:            max(c.Cache.L1D, 0),
		L1I:            max(c.Cache.L1I, 0),
		L2:             max(c.Cache.L2, 0),
		L3:             max(c.Cache.L3, 0),
		CacheLine:      c.CacheLine,
		CachesFrom:     fromCPUIDModule,
		X86Level:       c.X64Level(),
		VM:             c.Supports(cpuid.HYPERVISOR),
		Hypervisor:     strings.TrimSpace(strings.Trim(c.HypervisorVendorString, "\x00")),
	}
	if cpu.Vendor == "" {
		cpu.Vendor = c.VendorID.String()
	}
	cpu.Features = features(c)
	return cpu
}

// features lists the entries of simdFeatures that c supports.
func features(c cpuid.CPUInfo) []string {
	out := []string{}
	for _, f := range simdFeatures {
		if c.Supports(f.id) {
			out = append(out, f.name)
		}
	}
	return out
}

// describeCPU is the CPU as this process sees it: cpuid's description
// (fromCPUID), with the cores and threads the OS lets the process run on
// (osCores, under fsys; numCPU is runtime.NumCPU) cross-checked against
// CPUID's count, and the caches from sysfs, else CPUID's cache leaves
// (q, nil where CPUID cannot be executed), else cpuid's own figures.
func describeCPU(c cpuid.CPUInfo, q cpuidFunc, fsys fs.FS, numCPU int) CPU {
	cpu := fromCPUID(c)
	oc := osCores(fsys, numCPU)
	cpu.LogicalCores, cpu.CoresFrom = oc.logical, oc.from
	switch {
	case oc.physical > 0:
		cpu.PhysicalCores, cpu.ThreadsPerCore = oc.physical, oc.threadsPerCore
	case c.ThreadsPerCore > 1 && oc.logical%c.ThreadsPerCore == 0:
		cpu.PhysicalCores, cpu.ThreadsPerCore = oc.logical/c.ThreadsPerCore, c.ThreadsPerCore
		cpu.CoresFrom += ", threads per core from CPUID"
	default:
		cpu.PhysicalCores, cpu.ThreadsPerCore = oc.logical, 1
		cpu.CoresFrom += ", one thread per core assumed"
	}
	if cpu.CPUIDLogical > cpu.LogicalCores {
		cpu.Notes = append(cpu.Notes, fmt.Sprintf(
			"CPUID counts %d logical processors in the package, the OS lets this process run on %d: the counts are the OS's",
			cpu.CPUIDLogical, cpu.LogicalCores))
	}

	var cs cacheLevels
	var src cacheSources
	if sys, ok := sysfsCaches(fsys, oc.first); ok {
		cs.fill(&src, sys.plausible(uniform(fromSysfs), &cpu.Notes), uniform(fromSysfs))
	}
	leaves, leafSrc := cpuidCaches(q, c.VendorID)
	cs.fill(&src, leaves.plausible(leafSrc, &cpu.Notes), leafSrc)
	cs.fill(&src, moduleCaches(c).plausible(uniform(fromCPUIDModule), &cpu.Notes), uniform(fromCPUIDModule))
	cpu.L1D, cpu.L1I, cpu.L2, cpu.L3, cpu.CacheLine = cs.l1d, cs.l1i, cs.l2, cs.l3, cs.line
	cpu.CachesFrom = src.describe()
	if cpu.VM && cpu.L3 > 0 && src[3] != fromSysfs {
		cpu.Notes = append(cpu.Notes, fmt.Sprintf(
			"L3 %s is what %s reports in a VM: it may be the host's whole package, not what this VM's cores share",
			sizeString(cpu.L3), src[3]))
	}
	return cpu
}

// Has reports whether name (as in Features, e.g. "AVX2") is among the
// CPU's features.
func (c *CPU) Has(name string) bool {
	for _, f := range c.Features {
		if f == name {
			return true
		}
	}
	return false
}

// SIMD names the widest vector instruction set, e.g. "AVX-512", "AVX2",
// "NEON"; "" where none is known.
func (c *CPU) SIMD() string {
	for _, s := range []struct{ feature, name string }{
		{"AVX512F", "AVX-512"}, {"AVX2", "AVX2"}, {"AVX", "AVX"},
		{"SSE4.2", "SSE4.2"}, {"SSE2", "SSE2"},
		{"SVE2", "SVE2"}, {"SVE", "SVE"}, {"ASIMD", "NEON"},
	} {
		if c.Has(s.feature) {
			return s.name
		}
	}
	return ""
}
