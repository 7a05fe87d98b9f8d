package hwinfo

import (
	"reflect"
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// Feature sets of x86-64 levels, as cpuid's X64Level checks them.
var (
	x86v1 = []cpuid.FeatureID{cpuid.CMOV, cpuid.CMPXCHG8, cpuid.X87, cpuid.FXSR, cpuid.MMX, cpuid.SYSCALL, cpuid.SSE, cpuid.SSE2}
	x86v2 = append(slices.Clone(x86v1), cpuid.CX16, cpuid.LAHF, cpuid.POPCNT, cpuid.SSE3, cpuid.SSE4, cpuid.SSE42, cpuid.SSSE3)
	x86v3 = append(slices.Clone(x86v2), cpuid.AVX, cpuid.AVX2, cpuid.BMI1, cpuid.BMI2, cpuid.F16C, cpuid.FMA3, cpuid.LZCNT, cpuid.MOVBE, cpuid.OSXSAVE)
	x86v4 = append(slices.Clone(x86v3), cpuid.AVX512F, cpuid.AVX512BW, cpuid.AVX512CD, cpuid.AVX512DQ, cpuid.AVX512VL)
)

// synthetic CPUs, as cpuid would describe them. Caches are per core
// except L3.
func zen4() cpuid.CPUInfo {
	c := cpuid.CPUInfo{
		BrandName: "AMD EPYC 9R14", VendorID: cpuid.AMD, VendorString: "AuthenticAMD",
		Family: 0x19, Model: 0x11, Stepping: 1,
		PhysicalCores: 2, LogicalCores: 2, ThreadsPerCore: 1, CacheLine: 64,
	}
	c.Cache.L1D, c.Cache.L1I, c.Cache.L2, c.Cache.L3 = 32<<10, 32<<10, 1<<20, 32<<20
	c.Enable(x86v4...)
	c.Enable(cpuid.AVX512BF16, cpuid.AVX512IFMA, cpuid.AVX512VNNI)
	return c
}

func sapphireRapids() cpuid.CPUInfo {
	c := cpuid.CPUInfo{
		BrandName: "Intel(R) Xeon(R) Platinum 8488C", VendorID: cpuid.Intel, VendorString: "GenuineIntel",
		Family: 6, Model: 0x8f, PhysicalCores: 4, LogicalCores: 8, ThreadsPerCore: 2, CacheLine: 64,
	}
	c.Cache.L1D, c.Cache.L1I, c.Cache.L2, c.Cache.L3 = 48<<10, 32<<10, 2<<20, 105<<20
	c.Enable(x86v4...)
	c.Enable(cpuid.AVX512BF16, cpuid.AVX512FP16, cpuid.AMXTILE, cpuid.AMXBF16, cpuid.AMXINT8)
	c.Enable(cpuid.AVXVNNI, cpuid.AVX512IFMA, cpuid.AVX512VBMI, cpuid.AVX512VNNI)
	return c
}

func haswell() cpuid.CPUInfo {
	c := cpuid.CPUInfo{VendorID: cpuid.Intel, VendorString: "GenuineIntel", Family: 6, Model: 0x3c, PhysicalCores: 4, LogicalCores: 8, ThreadsPerCore: 2}
	c.Enable(x86v3...)
	return c
}

func sandyBridge() cpuid.CPUInfo {
	c := cpuid.CPUInfo{VendorID: cpuid.Intel, Family: 6, Model: 0x2a, PhysicalCores: 4}
	c.Enable(x86v2...)
	c.Enable(cpuid.AVX)
	return c
}

func core2() cpuid.CPUInfo {
	c := cpuid.CPUInfo{VendorID: cpuid.Intel, Family: 6, Model: 0x0f, PhysicalCores: 2}
	c.Enable(x86v1...)
	c.Enable(cpuid.SSE3, cpuid.SSSE3)
	return c
}

// armCore is an Arm Ltd core with MIDR part number part.
func armCore(part int, features ...cpuid.FeatureID) cpuid.CPUInfo {
	c := cpuid.CPUInfo{VendorID: cpuid.ARM, VendorString: "Arm Limited", Family: 0xf, Model: part<<4 | 1, PhysicalCores: 4, LogicalCores: 4, ThreadsPerCore: 1}
	c.Enable(append([]cpuid.FeatureID{cpuid.FP, cpuid.ASIMD}, features...)...)
	return c
}

func TestFromCPUID(t *testing.T) {
	for _, tc := range []struct {
		name     string
		c        cpuid.CPUInfo
		features []string
		level    int
		simd     string
	}{
		{"zen4", zen4(), []string{"SSE2", "SSE3", "SSSE3", "SSE4.1", "SSE4.2", "AVX", "AVX2", "FMA3", "F16C",
			"AVX512F", "AVX512CD", "AVX512DQ", "AVX512BW", "AVX512VL", "AVX512_IFMA", "AVX512_VNNI", "AVX512_BF16"}, 4, "AVX-512"},
		{"sapphire rapids", sapphireRapids(), []string{"SSE2", "SSE3", "SSSE3", "SSE4.1", "SSE4.2", "AVX", "AVX2", "FMA3", "F16C", "AVX_VNNI",
			"AVX512F", "AVX512CD", "AVX512DQ", "AVX512BW", "AVX512VL", "AVX512_IFMA", "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16", "AVX512_FP16",
			"AMX_TILE", "AMX_BF16", "AMX_INT8"}, 4, "AVX-512"},
		{"haswell", haswell(), []string{"SSE2", "SSE3", "SSSE3", "SSE4.1", "SSE4.2", "AVX", "AVX2", "FMA3", "F16C"}, 3, "AVX2"},
		{"sandy bridge", sandyBridge(), []string{"SSE2", "SSE3", "SSSE3", "SSE4.1", "SSE4.2", "AVX"}, 2, "AVX"},
		{"core2", core2(), []string{"SSE2", "SSE3", "SSSE3"}, 1, "SSE2"},
		{"neoverse n1", armCore(0xd0c), []string{"ASIMD"}, 0, "NEON"},
		{"neoverse v1", armCore(0xd40, cpuid.SVE), []string{"ASIMD", "SVE"}, 0, "SVE"},
		{"nothing known", cpuid.CPUInfo{}, []string{}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cpu := fromCPUID(tc.c)
			if !slices.Equal(cpu.Features, tc.features) {
				t.Errorf("features = %q, want %q", cpu.Features, tc.features)
			}
			if cpu.X86Level != tc.level {
				t.Errorf("x86 level = %d, want %d", cpu.X86Level, tc.level)
			}
			if s := cpu.SIMD(); s != tc.simd {
				t.Errorf("SIMD() = %q, want %q", s, tc.simd)
			}
		})
	}
}

func TestFromCPUIDFields(t *testing.T) {
	c := zen4()
	c.Cache.L3 = -1 // cpuid's "unknown"
	c.Enable(cpuid.HYPERVISOR)
	c.HypervisorVendorString = "KVMKVMKVM\x00\x00\x00"
	got := fromCPUID(c)
	want := CPU{
		Vendor: "AuthenticAMD", Brand: "AMD EPYC 9R14", Family: 0x19, Model: 0x11, Stepping: 1,
		PhysicalCores: 2, LogicalCores: 2, ThreadsPerCore: 1, CoresFrom: "cpuid module", CPUIDLogical: 2,
		L1D: 32 << 10, L1I: 32 << 10, L2: 1 << 20, L3: 0, CacheLine: 64, CachesFrom: "cpuid module",
		Features: got.Features, X86Level: 4, VM: true, Hypervisor: "KVMKVMKVM",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fromCPUID(zen4) =\n%+v, want\n%+v", got, want)
	}
	if v := fromCPUID(cpuid.CPUInfo{VendorID: cpuid.AMD}).Vendor; v != "AMD" {
		t.Errorf("vendor without a vendor string = %q, want AMD", v)
	}
}
