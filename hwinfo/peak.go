package hwinfo

import (
	"fmt"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// Peak is an estimate of the CPU's theoretical floating-point peak,
//
//	GFLOP/s = Cores × FMAPipes × lanes × FLOP per lane × ClockGHz,
//
// where lanes is FMALanes32 for float32 and half that for float64, and a
// lane does 2 FLOP per cycle where the CPU has FMA (FMA is true), else 1
// (a mul pipe and an add pipe counted as FMAPipes = 2). The pipe count is
// an assumption from the CPU's family, not a measurement, and the clock
// is the one measured on scalar code: wide vector code may run slower
// (AVX-512 frequency licences). Probe's clock is this run's; PinClock
// pins it to the highest measured on this machine so far, so that the
// figure does not move with each run's measurement. Estimate is always
// true.
type Peak struct {
	Cores       int     `json:"cores"`
	ClockGHz    float64 `json:"clock_ghz"`
	ClockMethod string  `json:"clock_method"`
	// ClockRunGHz is this run's own measurement, which may be below the
	// pinned ClockGHz.
	ClockRunGHz float64 `json:"clock_run_ghz,omitempty"`
	FMALanes32  int     `json:"fma_lanes_f32"`
	FMAPipes    int     `json:"fma_pipes"`
	FMA         bool    `json:"fma"`
	GFLOPS32    float64 `json:"gflops_f32"`
	GFLOPS64    float64 `json:"gflops_f64"`
	Estimate    bool    `json:"estimate"`
	// Basis says in one line how the figure was reached, e.g. "2 cores ×
	// 2 FMA pipes × 8 f32 lanes × 2 FLOP × 3.70 GHz (measured)".
	Basis string `json:"basis"`
}

// datapath is one core's floating-point throughput per cycle: pipes units
// of lanes32 float32 lanes each, a lane doing one FMA (2 FLOP) where fma,
// else one mul or one add (1 FLOP). why states the assumption.
type datapath struct {
	lanes32, pipes int
	fma            bool
	why            string
}

// Arm cores with four 128-bit FMA pipes (MIDR part numbers, implementer
// Arm): Neoverse V1, V2, V3; Cortex-X1, X2, X3, X4, X925.
var armBigCores = map[int]bool{
	0xd40: true, 0xd4f: true, 0xd84: true,
	0xd44: true, 0xd48: true, 0xd4e: true, 0xd82: true, 0xd85: true,
}

// datapathOf derives the FMA datapath from the CPU's vendor, family and
// features. arch is a GOARCH; sveBits the SVE vector length, 0 without.
func datapathOf(c cpuid.CPUInfo, arch string, sveBits int) datapath {
	switch arch {
	case "amd64", "386":
		amd := c.VendorID == cpuid.AMD || c.VendorID == cpuid.Hygon
		switch {
		case c.Supports(cpuid.AVX512F) && amd && c.Family == 0x19:
			// Zen 4 splits each 512-bit FMA over its two 256-bit pipes:
			// 32 f32 FLOP per cycle, as with AVX2.
			return datapath{8, 2, true, "Zen 4: 512-bit FMAs double-pumped on two 256-bit pipes"}
		case c.Supports(cpuid.AVX512F) && amd:
			return datapath{16, 2, true, "two 512-bit FMA pipes assumed (Zen 5 desktop/server; mobile parts have 256-bit pipes)"}
		case c.Supports(cpuid.AVX512F):
			return datapath{16, 2, true, "two 512-bit FMA pipes assumed (server parts; some have one)"}
		case c.Supports(cpuid.AVX, cpuid.FMA3):
			return datapath{8, 2, true, "two 256-bit FMA pipes assumed"}
		case c.Supports(cpuid.AVX):
			return datapath{8, 2, false, "256-bit mul and add pipes, no FMA"}
		default:
			return datapath{4, 2, false, "128-bit SSE mul and add pipes, no FMA"}
		}
	case "arm64":
		// NEON is mandatory on arm64: 128-bit, 4 f32 lanes.
		neon := datapath{4, 2, true, "two 128-bit NEON FMA pipes assumed"}
		apple := c.VendorID == cpuid.Apple || strings.HasPrefix(c.BrandName, "Apple")
		if apple || (c.VendorID == cpuid.ARM && armBigCores[(c.Model>>4)&0xfff]) {
			neon = datapath{4, 4, true, "four 128-bit NEON FMA pipes assumed (big core)"}
		}
		if sve := (datapath{sveBits / 32, 2, true, fmt.Sprintf("two %d-bit SVE FMA pipes assumed", sveBits)}); sve.lanes32*sve.pipes > neon.lanes32*neon.pipes {
			return sve
		}
		return neon
	default:
		return datapath{1, 2, true, "scalar FPU with two FMA pipes assumed"}
	}
}

// newPeak combines cores, a clock in Hz (0 when unknown) and how it was
// measured, and a datapath into a Peak.
func newPeak(cores int, hz float64, method string, dp datapath) Peak {
	flop := 1
	unit := "pipes (mul+add)"
	if dp.fma {
		flop, unit = 2, "FMA pipes"
	}
	p := Peak{
		Cores:       cores,
		ClockGHz:    hz / 1e9,
		ClockMethod: method,
		FMALanes32:  dp.lanes32,
		FMAPipes:    dp.pipes,
		FMA:         dp.fma,
		Estimate:    true,
	}
	perCycle := float64(cores * dp.pipes * flop)
	p.GFLOPS32 = perCycle * float64(dp.lanes32) * p.ClockGHz
	p.GFLOPS64 = perCycle * float64(max(dp.lanes32/2, 1)) * p.ClockGHz
	clock := fmt.Sprintf("%.2f GHz (measured)", p.ClockGHz)
	if hz <= 0 {
		clock = "clock unknown"
	}
	coreWord := "cores"
	if cores == 1 {
		coreWord = "core"
	}
	p.Basis = fmt.Sprintf("%d %s × %d %s × %d f32 lanes × %d FLOP × %s; %s",
		cores, coreWord, dp.pipes, unit, dp.lanes32, flop, clock, dp.why)
	return p
}

// peakCores is the number of cores the peak counts: the physical cores,
// but no more than this process may run on (numCPU, runtime.NumCPU), nor
// than its cgroup's CPU quota gives time to (QuotaWorkers).
func peakCores(c CPU, numCPU int) int {
	n := c.PhysicalCores
	if n <= 0 && c.ThreadsPerCore > 0 {
		n = c.LogicalCores / c.ThreadsPerCore
	}
	if n <= 0 || n > numCPU {
		n = numCPU
	}
	if q := c.QuotaWorkers(); q > 0 && q < n {
		n = q
	}
	return n
}
