package hwinfo

import "github.com/klauspost/cpuid/v2"

// CPU describes the processor. Cache sizes are in bytes, 0 where unknown;
// L1 and L2 are per core, L3 as the CPU reports it (per complex or
// shared).
type CPU struct {
	Vendor         string `json:"vendor"`
	Brand          string `json:"brand"`
	Family         int    `json:"family"`
	Model          int    `json:"model"`
	Stepping       int    `json:"stepping"`
	PhysicalCores  int    `json:"physical_cores"`
	LogicalCores   int    `json:"logical_cores"`
	ThreadsPerCore int    `json:"threads_per_core"`
	L1D            int    `json:"l1d_bytes"`
	L1I            int    `json:"l1i_bytes"`
	L2             int    `json:"l2_bytes"`
	L3             int    `json:"l3_bytes"`
	CacheLine      int    `json:"cache_line_bytes"`
	// Features lists the SIMD features that matter to kernels, in the
	// order of simdFeatures.
	Features []string `json:"features"`
	// X86Level is the x86-64 microarchitecture level (1–4), 0 elsewhere.
	X86Level int `json:"x86_level"`
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
	{"AVX512F", cpuid.AVX512F},
	{"AVX512DQ", cpuid.AVX512DQ},
	{"AVX512BW", cpuid.AVX512BW},
	{"AVX512VL", cpuid.AVX512VL},
	{"AVX512_BF16", cpuid.AVX512BF16},
	{"AVX512_FP16", cpuid.AVX512FP16},
	{"AMX_TILE", cpuid.AMXTILE},
	{"AMX_BF16", cpuid.AMXBF16},
	{"AMX_INT8", cpuid.AMXINT8},
	{"ASIMD", cpuid.ASIMD},
	{"SVE", cpuid.SVE},
	{"SVE2", cpuid.SVE2},
}

// fromCPUID builds the CPU description from what cpuid reports.
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
		L1D:            max(c.Cache.L1D, 0),
		L1I:            max(c.Cache.L1I, 0),
		L2:             max(c.Cache.L2, 0),
		L3:             max(c.Cache.L3, 0),
		CacheLine:      c.CacheLine,
		Features:       []string{},
		X86Level:       c.X64Level(),
	}
	if cpu.Vendor == "" {
		cpu.Vendor = c.VendorID.String()
	}
	for _, f := range simdFeatures {
		if c.Supports(f.id) {
			cpu.Features = append(cpu.Features, f.name)
		}
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
