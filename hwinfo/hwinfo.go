package hwinfo

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/klauspost/cpuid/v2"
)

// Info is what Probe found. Sizes are in bytes.
type Info struct {
	CPU        CPU    `json:"cpu"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	GoVersion  string `json:"go_version"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	NumCPU     int    `json:"num_cpu"`
	Memory     Memory `json:"memory"`
	Peak       Peak   `json:"peak"`

	// runHz, runMethod and dp are what Peak was made from: this run's
	// clock, how it was measured, and the datapath; kept so that
	// PinClock can make Peak again from the pinned clock.
	runHz     float64
	runMethod string
	dp        datapath
}

// Hardware access goes through these variables so that tests can replay
// other machines.
var (
	cpuInfo = func() cpuid.CPUInfo { return cpuid.CPU }
	// sveBits is the SVE vector length in bits, 0 without SVE.
	sveBits = func() int {
		vl, _ := cpuid.CPU.SveLengths()
		return int(vl)
	}
	measureClock = func() (hz float64, method string) {
		return MeasureClock(defaultClockTime), clockMethod
	}
	openMeminfo = func() (io.ReadCloser, error) { return os.Open("/proc/meminfo") }
	// rawCPUID executes CPUID (nil where hwinfo cannot: not amd64).
	rawCPUID = nativeCPUID()
	// rootFS is the file system sysfs and procfs are read from, as
	// "sys/devices/system/cpu/..." and "proc/self/status".
	rootFS fs.FS = os.DirFS("/")
)

var probeOnce = sync.OnceValue(probe)

var cpuOnce = sync.OnceValue(func() CPU { return osCPU(cpuInfo()) })

// osCPU is describeCPU of c on this OS, with the cgroup's CPU quota.
func osCPU(c cpuid.CPUInfo) CPU {
	cpu := describeCPU(c, rawCPUID, rootFS, runtime.NumCPU())
	q, what, ok := cgroupCPUQuota()
	withQuota(&cpu, q, what, ok)
	return cpu
}

// DescribeCPU is Probe's CPU without the clock measurement: cheap enough
// for start-up code (the cpu backend's gemm derives its cache blocks from
// it). Its slices are shared: treat them as read-only.
func DescribeCPU() CPU { return cpuOnce() }

// Probe describes this machine, its peak from this run's clock. The
// first call measures the clock (about defaultClockTime); later calls
// return the same *Info, which callers must treat as read-only (cmd pins
// its clock once, see PinClock). It reads the hardware and the OS's
// files and writes nothing. Safe for concurrent use.
func Probe() *Info { return probeOnce() }

func probe() *Info {
	c := cpuInfo()
	info := &Info{
		CPU:        osCPU(c),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		GoVersion:  runtime.Version(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		NumCPU:     runtime.NumCPU(),
		Memory:     readMemory(),
	}
	info.runHz, info.runMethod = measureClock()
	if !plausibleClock(info.runHz) {
		info.CPU.Notes = append(info.CPU.Notes, fmt.Sprintf(
			"the clock measured %.4g GHz, outside the %g–%g GHz a CPU runs at (a broken timer?): the peak is left unknown",
			info.runHz/1e9, MinClockGHz, MaxClockGHz))
		info.runHz = 0
	}
	info.dp = datapathOf(c, info.Arch, sveBits())
	info.Peak = newPeak(peakCores(info.CPU, info.NumCPU), info.runHz, info.runMethod, info.dp)
	info.Peak.ClockRunGHz = info.runHz / 1e9
	return info
}

// Without describes this machine as code that may not use the given
// features sees it: a copy of i, which must be this machine's Probe,
// whose CPU lacks them (in Features and X86Level) and whose peak is that
// of the features left, from the same clock. Cores and caches stay. Code that
// holds SIMD levels off (the cpu backend's --cpu-disable) reports the
// machine this way; cpuid's own description of the CPU is a copy here,
// and left as it is.
func (i *Info) Without(ids ...cpuid.FeatureID) *Info {
	if len(ids) == 0 {
		return i
	}
	c := cpuInfo()
	c.Disable(ids...)
	out := *i
	out.CPU.Features, out.CPU.X86Level = features(c), c.X64Level()
	out.dp = datapathOf(c, i.Arch, sveBits())
	out.Peak = newPeak(i.Peak.Cores, i.Peak.ClockGHz*1e9, i.Peak.ClockMethod, out.dp)
	out.Peak.ClockRunGHz = i.Peak.ClockRunGHz
	return &out
}

// Summary is a one-line description, e.g.
// "AMD EPYC 9R14, 2 cores (2 threads), AVX-512, L3 32 MiB".
func (i *Info) Summary() string {
	c := &i.CPU
	var b strings.Builder
	brand := c.Brand
	if brand == "" {
		brand = c.Vendor + " " + i.Arch
	}
	fmt.Fprintf(&b, "%s, %d cores (%d threads)", brand, c.PhysicalCores, c.LogicalCores)
	if s := c.SIMD(); s != "" {
		b.WriteString(", " + s)
	}
	if c.L3 > 0 {
		b.WriteString(", L3 " + sizeString(c.L3))
	}
	return b.String()
}

// sizeString writes n bytes as whole KiB, MiB or GiB where it divides
// evenly, else bytes.
func sizeString(n int) string {
	for _, u := range []struct {
		name string
		size int
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d B", n)
}
