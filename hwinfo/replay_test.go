package hwinfo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// A machine as hwinfo sees it, kept in testdata/<name>/ so that tests
// replay it anywhere: cpuinfo.json (what klauspost/cpuid reported),
// cpuid.txt (raw CPUID leaves: "leaf sub eax ebx ecx edx" in hex) and
// root/ (the sysfs and procfs files hwinfo reads, under their paths).
// TestCapture writes one for the machine it runs on.

// cpuidJSON is cpuid.CPUInfo as cpuinfo.json keeps it.
type cpuidJSON struct {
	Vendor         string   `json:"vendor"`
	VendorString   string   `json:"vendor_string"`
	Brand          string   `json:"brand"`
	Family         int      `json:"family"`
	Model          int      `json:"model"`
	Stepping       int      `json:"stepping"`
	PhysicalCores  int      `json:"physical_cores"`
	LogicalCores   int      `json:"logical_cores"`
	ThreadsPerCore int      `json:"threads_per_core"`
	CacheLine      int      `json:"cache_line"`
	Cache          [4]int   `json:"cache"` // L1D, L1I, L2, L3; -1 unknown
	Hypervisor     string   `json:"hypervisor"`
	Features       []string `json:"features"`
}

// leaves replays CPUID from a table: (leaf, sub) not in it reads zeros,
// as leaves past the maximum and absent subleaves do.
type leaves map[[2]uint32][4]uint32

func (l leaves) cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32) {
	r := l[[2]uint32{leaf, sub}]
	return r[0], r[1], r[2], r[3]
}

// loadMachine reads a machine's folder, testdata/NAME.
func loadMachine(t *testing.T, dir string) (cpuid.CPUInfo, leaves, fs.FS) {
	t.Helper()
	name := filepath.Base(dir)
	b, err := os.ReadFile(filepath.Join(dir, "cpuinfo.json"))
	if err != nil {
		t.Fatal(err)
	}
	var j cpuidJSON
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	c := cpuid.CPUInfo{
		VendorString: j.VendorString, BrandName: j.Brand, Family: j.Family, Model: j.Model, Stepping: j.Stepping,
		PhysicalCores: j.PhysicalCores, LogicalCores: j.LogicalCores, ThreadsPerCore: j.ThreadsPerCore,
		CacheLine: j.CacheLine, HypervisorVendorString: j.Hypervisor,
	}
	for v := cpuid.VendorUnknown; !strings.HasPrefix(v.String(), "Vendor("); v++ {
		if v.String() == j.Vendor {
			c.VendorID = v
		}
	}
	c.Cache.L1D, c.Cache.L1I, c.Cache.L2, c.Cache.L3 = j.Cache[0], j.Cache[1], j.Cache[2], j.Cache[3]
	for _, f := range j.Features {
		id := cpuid.ParseFeature(f)
		if id == cpuid.UNKNOWN {
			t.Fatalf("%s: unknown feature %q", name, f)
		}
		c.Enable(id)
	}

	l := leaves{}
	f, err := os.Open(filepath.Join(dir, "cpuid.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var k [2]uint32
		var r [4]uint32
		if _, err := fmt.Sscanf(sc.Text(), "%x %x %x %x %x %x", &k[0], &k[1], &r[0], &r[1], &r[2], &r[3]); err != nil {
			t.Fatalf("%s: cpuid.txt: %q: %v", name, sc.Text(), err)
		}
		l[k] = r
	}
	return c, l, os.DirFS(filepath.Join(dir, "root"))
}

// TestCapture writes this machine into $GPUBENCH_HWINFO_CAPTURE (a new
// folder for testdata/), and skips without it:
//
//	GPUBENCH_HWINFO_CAPTURE=$PWD/testdata/NAME go test -run Capture ./hwinfo
func TestCapture(t *testing.T) {
	dir := os.Getenv("GPUBENCH_HWINFO_CAPTURE")
	if dir == "" {
		t.Skip("set GPUBENCH_HWINFO_CAPTURE to a folder to capture this machine")
	}
	c := cpuid.CPU
	j := cpuidJSON{
		Vendor: c.VendorID.String(), VendorString: c.VendorString, Brand: c.BrandName,
		Family: c.Family, Model: c.Model, Stepping: c.Stepping,
		PhysicalCores: c.PhysicalCores, LogicalCores: c.LogicalCores, ThreadsPerCore: c.ThreadsPerCore,
		CacheLine: c.CacheLine, Cache: [4]int{c.Cache.L1D, c.Cache.L1I, c.Cache.L2, c.Cache.L3},
		Hypervisor: c.HypervisorVendorString, Features: c.FeatureSet(),
	}
	b, _ := json.MarshalIndent(j, "", "  ")
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cpuinfo.json", append(b, '\n'))

	if q := nativeCPUID(); q != nil {
		var sb strings.Builder
		// Leaves with subleaves: cache parameters, extended features,
		// topology, XSAVE state.
		subs := map[uint32]bool{4: true, 7: true, 0xb: true, 0xd: true, 0x1f: true, 0x8000001d: true}
		dump := func(lo, hi uint32) {
			for leaf := lo; leaf <= hi && leaf-lo < 0x100; leaf++ {
				for sub := range uint32(16) {
					if sub > 0 && !subs[leaf] {
						break
					}
					a, b, c, d := q(leaf, sub)
					if a|b|c|d != 0 {
						fmt.Fprintf(&sb, "%08x %x %08x %08x %08x %08x\n", leaf, sub, a, b, c, d)
					}
				}
			}
		}
		maxBasic, _, _, _ := q(0, 0)
		maxExt, _, _, _ := q(0x80000000, 0)
		dump(0, maxBasic)
		dump(0x80000000, maxExt)
		dump(0x40000000, 0x40000001)
		write("cpuid.txt", []byte(sb.String()))
	}

	if runtime.GOOS == "linux" {
		status, err := os.ReadFile("/proc/self/status")
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(string(status), "\n") {
			if strings.HasPrefix(line, "Cpus_allowed_list:") {
				write("root/proc/self/status", []byte(line+"\n"))
			}
		}
		files, _ := filepath.Glob("/sys/devices/system/cpu/cpu[0-9]*/topology/thread_siblings_list")
		cores, _ := filepath.Glob("/sys/devices/system/cpu/cpu[0-9]*/topology/core_cpus_list")
		files = append(files, cores...)
		more, _ := filepath.Glob("/sys/devices/system/cpu/cpu[0-9]*/cache/index*/*")
		for _, p := range append(files, more...) {
			base := filepath.Base(p)
			if strings.Contains(p, "/cache/") && !strings.Contains("level type size coherency_line_size shared_cpu_list", base) {
				continue
			}
			if b, err := os.ReadFile(p); err == nil {
				write(filepath.Join("root", p), b)
			}
		}
	}
	t.Logf("captured into %s", dir)
}
