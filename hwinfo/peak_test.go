package hwinfo

import (
	"math"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

func TestDatapath(t *testing.T) {
	for _, tc := range []struct {
		name          string
		c             cpuid.CPUInfo
		arch          string
		sve           int
		lanes, pipes  int
		fma           bool
		flopPerCycle  int // per core, float32
		flopPerCycle6 int // per core, float64
	}{
		// Zen 4 double-pumps AVX-512: 32 f32 FLOP per cycle, as AVX2.
		{"zen4", zen4(), "amd64", 0, 8, 2, true, 32, 16},
		{"zen5", func() cpuid.CPUInfo { c := zen4(); c.Family = 0x1a; return c }(), "amd64", 0, 16, 2, true, 64, 32},
		{"sapphire rapids", sapphireRapids(), "amd64", 0, 16, 2, true, 64, 32},
		{"haswell", haswell(), "amd64", 0, 8, 2, true, 32, 16},
		{"haswell 386", haswell(), "386", 0, 8, 2, true, 32, 16},
		{"zen3", func() cpuid.CPUInfo { c := zen4(); c.Disable(cpuid.AVX512F); return c }(), "amd64", 0, 8, 2, true, 32, 16},
		{"sandy bridge", sandyBridge(), "amd64", 0, 8, 2, false, 16, 8},
		{"core2", core2(), "amd64", 0, 4, 2, false, 8, 4},
		{"neoverse n1", armCore(0xd0c), "arm64", 0, 4, 2, true, 16, 8},
		{"neoverse v2", armCore(0xd4f, cpuid.SVE, cpuid.SVE2), "arm64", 128, 4, 4, true, 32, 16},
		// Graviton 3: 2×256-bit SVE, the same FLOP as 4×128-bit NEON.
		{"neoverse v1", armCore(0xd40, cpuid.SVE), "arm64", 256, 4, 4, true, 32, 16},
		{"a64fx", cpuid.CPUInfo{VendorID: cpuid.Fujitsu}, "arm64", 512, 16, 2, true, 64, 32},
		{"apple", cpuid.CPUInfo{BrandName: "Apple M2", VendorString: "Apple"}, "arm64", 0, 4, 4, true, 32, 16},
		{"riscv", cpuid.CPUInfo{}, "riscv64", 0, 1, 2, true, 4, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dp := datapathOf(tc.c, tc.arch, tc.sve)
			if dp.lanes32 != tc.lanes || dp.pipes != tc.pipes || dp.fma != tc.fma {
				t.Fatalf("datapath = %d lanes × %d pipes, fma %v; want %d × %d, fma %v",
					dp.lanes32, dp.pipes, dp.fma, tc.lanes, tc.pipes, tc.fma)
			}
			const ghz = 2.5
			p := newPeak(1, ghz*1e9, "test", dp)
			if want := float64(tc.flopPerCycle) * ghz; !near(p.GFLOPS32, want) {
				t.Errorf("GFLOPS32 = %v, want %v", p.GFLOPS32, want)
			}
			if want := float64(tc.flopPerCycle6) * ghz; !near(p.GFLOPS64, want) {
				t.Errorf("GFLOPS64 = %v, want %v", p.GFLOPS64, want)
			}
			if dp.why == "" || !strings.Contains(p.Basis, dp.why) {
				t.Errorf("basis %q does not give the assumption %q", p.Basis, dp.why)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Abs(b) }

// A Zen 4 core at 3.6 GHz peaks at 115.2 f32 GFLOP/s: OpenBLAS's measured
// ~104 GFLOP/s sgemm on one such core is 90% of it; counting 16 lanes
// would have made it 45%.
func TestPeakZen4(t *testing.T) {
	p := newPeak(2, 3.6e9, "test", datapathOf(zen4(), "amd64", 0))
	if !near(p.GFLOPS32, 230.4) || !near(p.GFLOPS64, 115.2) {
		t.Errorf("2-core Zen 4 at 3.6 GHz: %v / %v GFLOP/s, want 230.4 / 115.2", p.GFLOPS32, p.GFLOPS64)
	}
	if !p.Estimate || p.Cores != 2 || p.ClockGHz != 3.6 || p.FMALanes32 != 8 || p.FMAPipes != 2 || !p.FMA {
		t.Errorf("peak = %+v", p)
	}
	if want := "2 cores × 2 FMA pipes × 8 f32 lanes × 2 FLOP × 3.60 GHz (measured)"; !strings.HasPrefix(p.Basis, want) {
		t.Errorf("basis = %q, want it to start %q", p.Basis, want)
	}
}

func TestPeakNoClock(t *testing.T) {
	p := newPeak(2, 0, "", datapathOf(haswell(), "amd64", 0))
	if p.GFLOPS32 != 0 || p.GFLOPS64 != 0 || !strings.Contains(p.Basis, "clock unknown") {
		t.Errorf("peak without a clock = %+v", p)
	}
	p = newPeak(1, 3e9, "", datapathOf(core2(), "amd64", 0))
	if !strings.Contains(p.Basis, "2 pipes (mul+add) × 4 f32 lanes × 1 FLOP") {
		t.Errorf("no-FMA basis = %q", p.Basis)
	}
}

func TestPeakCores(t *testing.T) {
	for _, tc := range []struct {
		cpu    CPU
		numCPU int
		want   int
	}{
		{CPU{PhysicalCores: 4, LogicalCores: 8, ThreadsPerCore: 2}, 8, 4},
		{CPU{PhysicalCores: 64, LogicalCores: 128, ThreadsPerCore: 2}, 2, 2}, // limited by affinity
		{CPU{LogicalCores: 8, ThreadsPerCore: 2}, 8, 4},                      // physical unknown
		{CPU{}, 3, 3}, // nothing known
	} {
		if got := peakCores(tc.cpu, tc.numCPU); got != tc.want {
			t.Errorf("peakCores(%+v, %d) = %d, want %d", tc.cpu, tc.numCPU, got, tc.want)
		}
	}
}

// TestPeakOneCore: a peak of one core says "1 core ×", not "1 cores ×".
func TestPeakOneCore(t *testing.T) {
	p := newPeak(1, 3.6e9, "test", datapathOf(zen4(), "amd64", 0))
	if !strings.HasPrefix(p.Basis, "1 core × ") {
		t.Errorf("basis %q", p.Basis)
	}
}
