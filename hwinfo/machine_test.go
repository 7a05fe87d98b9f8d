package hwinfo

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/klauspost/cpuid/v2"
)

// TestZen5VM replays the 2-vCPU Zen 5 VM (testdata/zen5-vm): CPUID leaf
// 1 says 254 logical processors and klauspost/cpuid 254 cores, while
// the OS lets the process run on 2; there are no cache folders in sysfs,
// 0x8000001D answers nothing, and 0x80000006 gives the L3.
func TestZen5VM(t *testing.T) {
	c, q, root := loadMachine(t, "testdata/zen5-vm")
	replayMachine(t, c, q.cpuid, root, 3.5e9, sampleMeminfo)
	info := probe()
	cpu := info.CPU
	if cpu.PhysicalCores != 2 || cpu.LogicalCores != 2 || cpu.ThreadsPerCore != 1 || cpu.CPUIDLogical != 254 {
		t.Errorf("cores %d physical, %d logical, %d per core, CPUID %d; want 2, 2, 1, 254 (%s)",
			cpu.PhysicalCores, cpu.LogicalCores, cpu.ThreadsPerCore, cpu.CPUIDLogical, cpu.CoresFrom)
	}
	if cpu.CoresFrom != "affinity mask, sysfs topology" {
		t.Errorf("cores from %q", cpu.CoresFrom)
	}
	if cpu.L1D != 48<<10 || cpu.L1I != 32<<10 || cpu.L2 != 1<<20 || cpu.L3 != 508<<20 || cpu.CacheLine != 64 {
		t.Errorf("caches L1d %d, L1i %d, L2 %d, L3 %d, line %d; want 48 KiB, 32 KiB, 1 MiB, 508 MiB, 64",
			cpu.L1D, cpu.L1I, cpu.L2, cpu.L3, cpu.CacheLine)
	}
	if cpu.CachesFrom != fromLegacyAMD {
		t.Errorf("caches from %q, want %q", cpu.CachesFrom, fromLegacyAMD)
	}
	if !cpu.VM || cpu.Hypervisor != "bhyve bhyve" {
		t.Errorf("VM %v, hypervisor %q; want a bhyve VM", cpu.VM, cpu.Hypervisor)
	}
	for _, f := range []string{"F16C", "AVX_VNNI", "AVX512F", "AVX512CD", "AVX512_IFMA", "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16"} {
		if !cpu.Has(f) {
			t.Errorf("features %v lack %s", cpu.Features, f)
		}
	}
	for _, f := range []string{"AVX512_FP16", "AMX_TILE"} {
		if cpu.Has(f) {
			t.Errorf("features %v have %s", cpu.Features, f)
		}
	}
	if len(cpu.Notes) != 2 || !strings.Contains(cpu.Notes[0], "254") || !strings.Contains(cpu.Notes[1], "L3 508 MiB") {
		t.Errorf("notes %q: want the CPUID count and the VM's L3 explained", cpu.Notes)
	}
	if info.Peak.Cores != 2 {
		t.Errorf("peak counts %d cores", info.Peak.Cores)
	}
	if got, want := info.Summary(), "Oxide Virtual Turin-like Processor, 2 cores (2 threads), AVX-512, L3 508 MiB"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

// TestThisMachine: the counts are the OS's, as nproc gives them (the
// affinity mask, which runtime.NumCPU reads too).
func TestThisMachine(t *testing.T) {
	cpu := DescribeCPU()
	if cpu.LogicalCores != runtime.NumCPU() {
		t.Errorf("%d logical cores, runtime.NumCPU %d (%s)", cpu.LogicalCores, runtime.NumCPU(), cpu.CoresFrom)
	}
	if cpu.PhysicalCores < 1 || cpu.PhysicalCores > cpu.LogicalCores || cpu.ThreadsPerCore < 1 {
		t.Errorf("%d physical cores, %d logical, %d threads per core", cpu.PhysicalCores, cpu.LogicalCores, cpu.ThreadsPerCore)
	}
	if runtime.GOOS == "linux" {
		if !strings.HasPrefix(cpu.CoresFrom, "affinity mask") {
			t.Errorf("cores from %q on Linux, want the affinity mask", cpu.CoresFrom)
		}
		if runtime.GOARCH == "amd64" && (cpu.L1D <= 0 || cpu.L2 <= 0) {
			t.Errorf("caches %+v (%s): L1d and L2 unknown", cpu, cpu.CachesFrom)
		}
	}
	t.Logf("%d physical, %d logical (%s); L1d %d, L2 %d, L3 %d (%s); notes %q",
		cpu.PhysicalCores, cpu.LogicalCores, cpu.CoresFrom, cpu.L1D, cpu.L2, cpu.L3, cpu.CachesFrom, cpu.Notes)
}

func TestOSCores(t *testing.T) {
	smt := map[int]string{0: "0,2", 1: "1,3", 2: "0,2", 3: "1,3"}
	for _, tc := range []struct {
		name     string
		fs       fstest.MapFS
		numCPU   int
		physical int
		logical  int
		perCore  int
		first    int
		from     string
	}{
		{"two cores", twoCores(), 8, 2, 2, 1, 0, "affinity mask, sysfs topology"},
		{"SMT, all threads", fakeOS("0-3", smt, nil), 4, 2, 4, 2, 0, "affinity mask, sysfs topology"},
		{"SMT, one thread of each core", fakeOS("0-1", smt, nil), 4, 2, 2, 1, 0, "affinity mask, sysfs topology"},
		{"SMT, both threads of one core", fakeOS("1,3", smt, nil), 4, 1, 2, 2, 1, "affinity mask, sysfs topology"},
		{"no topology", fakeOS("2-3", nil, nil), 4, 0, 2, 0, 2, "affinity mask"},
		{"no procfs", fstest.MapFS{}, 6, 0, 6, 0, 0, "runtime.NumCPU"},
		{"a mask that does not parse", fstest.MapFS{"proc/self/status": {Data: []byte("Cpus_allowed_list:\t0-x\n")}}, 3, 0, 3, 0, 0, "runtime.NumCPU"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := osCores(tc.fs, tc.numCPU)
			if c.physical != tc.physical || c.logical != tc.logical || c.threadsPerCore != tc.perCore || c.first != tc.first || c.from != tc.from {
				t.Errorf("osCores = %+v, want %d physical, %d logical, %d per core, first %d, from %q",
					c, tc.physical, tc.logical, tc.perCore, tc.first, tc.from)
			}
		})
	}
}

// TestDescribeCores: without topology, CPUID's threads per core divide
// the OS's count where they can, else each thread is a core.
func TestDescribeCores(t *testing.T) {
	c := haswell() // 4 cores, 8 threads, 2 per core
	got := describeCPU(c, nil, fakeOS("0-7", nil, nil), 8)
	if got.PhysicalCores != 4 || got.LogicalCores != 8 || got.ThreadsPerCore != 2 || !strings.Contains(got.CoresFrom, "threads per core from CPUID") {
		t.Errorf("haswell without topology: %d physical, %d logical (%s)", got.PhysicalCores, got.LogicalCores, got.CoresFrom)
	}
	got = describeCPU(c, nil, fakeOS("0-2", nil, nil), 8)
	if got.PhysicalCores != 3 || got.LogicalCores != 3 || got.ThreadsPerCore != 1 || !strings.Contains(got.CoresFrom, "one thread per core assumed") {
		t.Errorf("haswell on 3 threads without topology: %d physical, %d logical (%s)", got.PhysicalCores, got.LogicalCores, got.CoresFrom)
	}
	if len(got.Notes) != 1 || !strings.Contains(got.Notes[0], "CPUID counts 8") {
		t.Errorf("notes %q: want CPUID's 8 against the OS's 3", got.Notes)
	}
}

func TestParseCPUList(t *testing.T) {
	for in, want := range map[string][]int{"0": {0}, "0-3": {0, 1, 2, 3}, "0-1,4,6-7": {0, 1, 4, 6, 7}, "3,1,1-2": {1, 2, 3}} {
		if got, err := parseCPUList(in); err != nil || !slices.Equal(got, want) {
			t.Errorf("parseCPUList(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "a", "1-", "3-1", "-1", "0-99999999"} {
		if got, err := parseCPUList(bad); err == nil {
			t.Errorf("parseCPUList(%q) = %v, want an error", bad, got)
		}
	}
}

// emrCaches is an Emerald Rapids core's cache folders in sysfs.
var emrCaches = [][3]string{{"1", "Data", "48K"}, {"1", "Instruction", "32K"}, {"2", "Unified", "2048K"}, {"3", "Unified", "266240K"}}

// emrLeaf4 is the same caches as CPUID leaf 4 gives them: type, level,
// ways−1, partitions−1, line−1 and sets−1 in their fields.
func emrLeaf4() leaves {
	l := leaves{{0, 0}: {0x20}}
	for i, c := range []struct{ typ, level, ways, sets uint32 }{
		{1, 1, 12, 64}, {2, 1, 8, 64}, {3, 2, 16, 2048}, {3, 3, 16, 266240},
	} {
		l[[2]uint32{4, uint32(i)}] = [4]uint32{c.typ | c.level<<5, (c.ways-1)<<22 | 63, c.sets - 1, 0}
	}
	return l
}

func TestCaches(t *testing.T) {
	intel := sapphireRapids()
	intel.Cache.L1D, intel.Cache.L1I, intel.Cache.L2, intel.Cache.L3 = -1, -1, -1, -1
	want := CPU{L1D: 48 << 10, L1I: 32 << 10, L2: 2 << 20, L3: 260 << 20, CacheLine: 64}
	for _, tc := range []struct {
		name   string
		q      cpuidFunc
		caches [][3]string
		from   string
	}{
		{"sysfs", nil, emrCaches, "sysfs"},
		{"sysfs over leaf 4", emrLeaf4().cpuid, emrCaches, "sysfs"},
		{"leaf 4", emrLeaf4().cpuid, nil, "CPUID leaf 4"},
		{"sysfs without L3", emrLeaf4().cpuid, emrCaches[:3], "L1d, L1i, L2, line from sysfs; L3 from CPUID leaf 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := describeCPU(intel, tc.q, fakeOS("0-1", nil, tc.caches), 2)
			if got.L1D != want.L1D || got.L1I != want.L1I || got.L2 != want.L2 || got.L3 != want.L3 || got.CacheLine != 64 || got.CachesFrom != tc.from {
				t.Errorf("L1d %d, L1i %d, L2 %d, L3 %d, line %d from %q; want %d, %d, %d, %d, 64 from %q",
					got.L1D, got.L1I, got.L2, got.L3, got.CacheLine, got.CachesFrom, want.L1D, want.L1I, want.L2, want.L3, tc.from)
			}
		})
	}
	// Nothing at all: cpuid's -1 is 0, "unknown".
	got := describeCPU(intel, nil, fstest.MapFS{}, 2)
	if got.L1D != 0 || got.L3 != 0 || got.CachesFrom != "cpuid module" {
		t.Errorf("no cache source: %+v from %q", got, got.CachesFrom)
	}
}

// TestAMDLeaves: 0x8000001D where the CPU answers it (and says TOPOEXT),
// 0x80000005/6 for what it leaves unknown.
func TestAMDLeaves(t *testing.T) {
	_, zen5, _ := loadMachine(t, "testdata/zen5-vm")
	l := leaves{}
	for k, v := range zen5 {
		l[k] = v
	}
	// A Zen 5 core's own answer, with TOPOEXT (the VM's CPUID clears
	// it): L1d 48 KiB 12-way, L1i 32 KiB 8-way, L2 1 MiB 16-way; no L3
	// subleaf, so 0x80000006 gives it.
	ext := l[[2]uint32{0x80000001, 0}]
	ext[2] |= 1 << 22
	l[[2]uint32{0x80000001, 0}] = ext
	l[[2]uint32{0x8000001d, 0}] = [4]uint32{0x121, 11<<22 | 63, 63, 0}
	l[[2]uint32{0x8000001d, 1}] = [4]uint32{0x122, 7<<22 | 63, 63, 0}
	l[[2]uint32{0x8000001d, 2}] = [4]uint32{0x143, 15<<22 | 63, 1023, 0}
	c, src := cpuidCaches(l.cpuid, cpuid.AMD)
	if c.l1d != 48<<10 || c.l1i != 32<<10 || c.l2 != 1<<20 || c.l3 != 508<<20 {
		t.Errorf("caches %+v", c)
	}
	if src != (cacheSources{fromLeaf1D, fromLeaf1D, fromLeaf1D, fromLegacyAMD, fromLeaf1D}) {
		t.Errorf("sources %q", src)
	}
	// Without TOPOEXT the subleaves are not read.
	ext[2] &^= 1 << 22
	l[[2]uint32{0x80000001, 0}] = ext
	l[[2]uint32{0x8000001d, 0}] = [4]uint32{0x121, 0, 0, 0} // would read as 64 B
	if c, _ := cpuidCaches(l.cpuid, cpuid.AMD); c.l1d != 48<<10 {
		t.Errorf("without TOPOEXT: L1d %d", c.l1d)
	}
	if c, src := cpuidCaches(nil, cpuid.AMD); c != (cacheLevels{}) || src != (cacheSources{}) {
		t.Errorf("without CPUID: %+v from %q", c, src)
	}
}

func TestParseCacheSize(t *testing.T) {
	for in, want := range map[string]int{"48K": 48 << 10, "1024K": 1 << 20, "2M": 2 << 20, "1G": 1 << 30, "512": 512, "": 0, "K": 0, "-1K": 0, "x": 0} {
		if got := parseCacheSize(in); got != want {
			t.Errorf("parseCacheSize(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestCaptured: the capture of this machine reads back as this machine.
func TestCaptured(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("captures Linux and CPUID")
	}
	dir := t.TempDir()
	t.Setenv("GPUBENCH_HWINFO_CAPTURE", dir)
	t.Run("Capture", TestCapture)
	c, q, root := loadMachine(t, dir)
	got := describeCPU(c, q.cpuid, root, runtime.NumCPU())
	want := DescribeCPU()
	if got.LogicalCores != want.LogicalCores || got.PhysicalCores != want.PhysicalCores || got.L2 != want.L2 || got.L3 != want.L3 ||
		!slices.Equal(got.Features, want.Features) || got.CachesFrom != want.CachesFrom {
		t.Errorf("replayed capture\n%+v\nwant this machine\n%+v", got, want)
	}
}

// TestImplausibleCaches: a cache size in sysfs outside cacheBounds (a
// damaged file: an L2 of 9 TiB, an L1d of 2 bytes, a size past int) is
// not used, a note names it, and the next source fills the level.
func TestImplausibleCaches(t *testing.T) {
	intel := haswell()
	sys := fakeOS("0-7", nil, [][3]string{
		{"1", "Data", "2"}, {"1", "Instruction", "32K"}, {"2", "Unified", "9663676416K"}, {"3", "Unified", "99999999999999999999G"},
	})
	got := describeCPU(intel, nil, sys, 8)
	want := moduleCaches(intel)
	if got.L1D != want.l1d || got.L1I != 32<<10 || got.L2 != want.l2 || got.L3 != want.l3 {
		t.Errorf("L1d %d, L1i %d, L2 %d, L3 %d; want %d, %d, %d, %d", got.L1D, got.L1I, got.L2, got.L3, want.l1d, 32<<10, want.l2, want.l3)
	}
	var notes []string
	for _, n := range got.Notes {
		if strings.Contains(n, "outside") {
			notes = append(notes, n)
		}
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "sysfs gives L1d as 2 bytes") || !strings.Contains(notes[1], "L2") {
		t.Errorf("notes %q: want L1d and L2 named", notes)
	}

	// CPUID leaf 4 whose fields multiply past any cache.
	l := leaves{{0, 0}: {4, 0, 0, 0}, {4, 0}: {1<<5 | 1, 0xffffffff, 0xffffffff, 0}}
	if c, _ := cpuidCaches(l.cpuid, cpuid.Intel); c.l1d != 0 {
		t.Errorf("leaf 4 of 2^64 bytes gave L1d %d, want unknown", c.l1d)
	}
}
