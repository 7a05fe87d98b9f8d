package hwinfo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/klauspost/cpuid/v2"
)

// replay makes probe see another machine until the test ends: c as
// cpuid describes it, the OS of twoCores, no raw CPUID, the clock hz,
// meminfo, and no limit on its memory.
func replay(t *testing.T, c cpuid.CPUInfo, hz float64, meminfo string) {
	replayMachine(t, c, nil, twoCores(), hz, meminfo)
}

// replayMachine is replay with raw CPUID leaves q (nil: none) and the
// sysfs and procfs files of root.
func replayMachine(t *testing.T, c cpuid.CPUInfo, q cpuidFunc, root fs.FS, hz float64, meminfo string) {
	saved := [...]any{cpuInfo, sveBits, measureClock, openMeminfo, rawCPUID, rootFS}
	t.Cleanup(func() {
		cpuInfo = saved[0].(func() cpuid.CPUInfo)
		sveBits = saved[1].(func() int)
		measureClock = saved[2].(func() (float64, string))
		openMeminfo = saved[3].(func() (io.ReadCloser, error))
		rawCPUID = saved[4].(cpuidFunc)
		rootFS = saved[5].(fs.FS)
	})
	rawCPUID, rootFS = q, root
	replayLimits(t, nil, 0)
	cpuInfo = func() cpuid.CPUInfo { return c }
	sveBits = func() int { return 0 }
	measureClock = func() (float64, string) { return hz, "replayed" }
	openMeminfo = func() (io.ReadCloser, error) {
		if meminfo == "" {
			return nil, errors.New("no meminfo")
		}
		return io.NopCloser(strings.NewReader(meminfo)), nil
	}
}

func TestProbeReplayed(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("replays an amd64 CPU")
	}
	replay(t, zen4(), 3.6e9, sampleMeminfo)
	info := probe()
	if got, want := info.Summary(), "AMD EPYC 9R14, 2 cores (2 threads), AVX-512, L3 32 MiB"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	wantCores := min(2, info.NumCPU)
	if p := info.Peak; p.Cores != wantCores || !near(p.GFLOPS32, float64(wantCores)*115.2) || p.ClockMethod != "replayed" {
		t.Errorf("peak = %+v", p)
	}
	if runtime.GOOS == "linux" && info.Memory.TotalBytes != 24683656*1024 {
		t.Errorf("memory = %+v", info.Memory)
	}

	replay(t, zen4(), 3.6e9, "")
	if m := probe().Memory; runtime.GOOS == "linux" && (m.TotalBytes != 0 || m.Note == "") {
		t.Errorf("memory without /proc/meminfo = %+v, want 0 and a note", m)
	}
}

func TestProbe(t *testing.T) {
	var wg sync.WaitGroup
	infos := make([]*Info, 4)
	for i := range infos {
		wg.Go(func() { infos[i] = Probe() })
	}
	wg.Wait()
	for _, info := range infos[1:] {
		if info != infos[0] {
			t.Fatal("Probe returned different values")
		}
	}
	info := infos[0]
	if info.OS != runtime.GOOS || info.Arch != runtime.GOARCH || info.NumCPU != runtime.NumCPU() || info.GoVersion == "" {
		t.Errorf("runtime fields: %+v", info)
	}
	if info.CPU.LogicalCores <= 0 || info.Peak.Cores <= 0 || info.Peak.GFLOPS32 <= 0 || info.Peak.GFLOPS64 > info.Peak.GFLOPS32 {
		t.Errorf("probe = %+v", info)
	}
	if info.Peak.ClockRunGHz <= 0 || info.Peak.ClockGHz != info.Peak.ClockRunGHz || strings.Contains(info.Peak.ClockMethod, "pinned") {
		t.Errorf("clock %v GHz (%s), %v GHz this run: Probe's peak is this run's clock, not pinned", info.Peak.ClockGHz, info.Peak.ClockMethod, info.Peak.ClockRunGHz)
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	t.Logf("%s\n%s", info.Summary(), b)
}

func TestJSONRoundTrip(t *testing.T) {
	replay(t, sapphireRapids(), 3.1e9, sampleMeminfo)
	info := probe()
	b, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	var back Info
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	// JSON holds the exported fields; what PinClock makes the peak from
	// again stays behind.
	want := *info
	want.runHz, want.runMethod, want.dp = 0, "", datapath{}
	want.Memory.Resident, want.Memory.Address = Room{}, Room{} // read afresh, never written
	if !reflect.DeepEqual(back, want) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", back, *info)
	}
	for _, key := range []string{`"cpu"`, `"physical_cores"`, `"l1d_bytes"`, `"x86_level"`, `"go_version"`, `"gomaxprocs"`,
		`"available_bytes"`, `"clock_ghz"`, `"fma_lanes_f32"`, `"gflops_f32"`, `"gflops_f64"`, `"estimate":true`, `"basis"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func TestSizeString(t *testing.T) {
	for n, want := range map[int]string{32 << 20: "32 MiB", 480 << 20: "480 MiB", 48 << 10: "48 KiB", 1 << 30: "1 GiB", 1000: "1000 B", 1536 << 10: "1536 KiB"} {
		if got := sizeString(n); got != want {
			t.Errorf("sizeString(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestWithout: the machine without AVX-512's features, as code held to
// AVX2 sees it, lists no AVX-512 feature, is x86-64-v3, and has the
// peak of 256-bit FMAs from the same clock; the probe itself and the
// replayed CPU are left as they were.
func TestWithout(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("replays an amd64 CPU")
	}
	c := zen4()
	c.Family = 0x1a // Zen 5: two 512-bit pipes, so AVX2 halves the peak
	replay(t, c, 3.6e9, sampleMeminfo)
	info := probe()
	var ids []cpuid.FeatureID
	for id := cpuid.FeatureID(0); !strings.HasPrefix(id.String(), "FeatureID("); id++ {
		if strings.HasPrefix(id.String(), "AVX512") {
			ids = append(ids, id)
		}
	}
	w := info.Without(ids...)
	if w.CPU.Has("AVX512F") || !w.CPU.Has("AVX2") || w.CPU.X86Level != 3 {
		t.Errorf("without AVX-512: features %v, x86-64-v%d", w.CPU.Features, w.CPU.X86Level)
	}
	if !near(w.Peak.GFLOPS32, info.Peak.GFLOPS32/2) || w.Peak.ClockGHz != info.Peak.ClockGHz {
		t.Errorf("peak without AVX-512 %v GFLOP/s at %v GHz, with %v at %v", w.Peak.GFLOPS32, w.Peak.ClockGHz, info.Peak.GFLOPS32, info.Peak.ClockGHz)
	}
	if !info.CPU.Has("AVX512F") || !c.Supports(cpuid.AVX512F) || info.Without() != info {
		t.Error("Without changed the probe it was called on, or the CPU it replays")
	}
	if w.CPU.LogicalCores != info.CPU.LogicalCores || w.CPU.L2 != info.CPU.L2 || w.CPU.CachesFrom != info.CPU.CachesFrom {
		t.Errorf("Without changed the cores or caches: %+v, was %+v", w.CPU, info.CPU)
	}
}

// twoCores is the OS of a 2-core machine without SMT, as sysfs and
// procfs show it, with no cache folders.
func twoCores() fstest.MapFS {
	return fakeOS("0-1", map[int]string{0: "0", 1: "1"}, nil)
}

// fakeOS is an OS whose process may run on the CPUs of allowed, whose
// CPU i has the sibling list siblings[i], and whose cpu0 has the cache
// folders caches (index → {level, type, size}).
func fakeOS(allowed string, siblings map[int]string, caches [][3]string) fstest.MapFS {
	m := fstest.MapFS{"proc/self/status": {Data: []byte("Name:\tgpubench\nCpus_allowed:\t3\nCpus_allowed_list:\t" + allowed + "\n")}}
	for cpu, list := range siblings {
		m[fmt.Sprintf("sys/devices/system/cpu/cpu%d/topology/thread_siblings_list", cpu)] = &fstest.MapFile{Data: []byte(list + "\n")}
	}
	for i, c := range caches {
		dir := fmt.Sprintf("sys/devices/system/cpu/cpu0/cache/index%d/", i)
		m[dir+"level"] = &fstest.MapFile{Data: []byte(c[0] + "\n")}
		m[dir+"type"] = &fstest.MapFile{Data: []byte(c[1] + "\n")}
		m[dir+"size"] = &fstest.MapFile{Data: []byte(c[2] + "\n")}
		m[dir+"coherency_line_size"] = &fstest.MapFile{Data: []byte("64\n")}
	}
	return m
}
