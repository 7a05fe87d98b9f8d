//go:build cgo && linux

package gl

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/hwinfo"
)

// vm reads the field (VmRSS, VmSize) of /proc/self/status, in bytes.
func vm(t *testing.T, field string) float64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.Fields(v)[0], 64)
			return kb * 1024
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// TestWorkingMemory: opening GL and running every kernel once in every
// dtype (which compiles them) grows the process by less than
// hwinfo.GLWorkingMemory resident, its buffers of a few KiB aside, and by less
// than its address space where malloc keeps one arena (as gpubench's
// binary does under RLIMIT_AS; MALLOC_ARENA_MAX=1 makes a test binary do
// so). This is how the allowance was measured (docs/methodology.md).
func TestWorkingMemory(t *testing.T) {
	rss, size := vm(t, "VmRSS"), vm(t, "VmSize")
	b := openOrSkip(t)
	for _, k := range compute.Kernels() {
		for _, dt := range b.dev.DTypes {
			s, err := k.ParseShape("64")
			if err != nil {
				t.Fatal(err)
			}
			if err := computetest.Check(b, problem(k, s, dt), 1); err != nil {
				t.Errorf("%v %v: %v", k, dt, err)
			}
		}
	}
	grew := hwinfo.Need{Resident: vm(t, "VmRSS") - rss, Address: vm(t, "VmSize") - size}
	t.Logf("%s: resident %s more, mapped %s more (allowance %s, %s)", b.dev.Name,
		hwinfo.FormatBytes(grew.Resident), hwinfo.FormatBytes(grew.Address),
		hwinfo.FormatBytes(hwinfo.GLWorkingMemory.Resident), hwinfo.FormatBytes(hwinfo.GLWorkingMemory.Address))
	if os.Getenv("MALLOC_ARENA_MAX") != "1" {
		grew.Address = 0 // each thread's malloc arena, 64 MiB of address space apiece
	}
	if grew.Resident > hwinfo.GLWorkingMemory.Resident || grew.Address > hwinfo.GLWorkingMemory.Address {
		t.Errorf("GL grew the process by %+v, beyond hwinfo.GLWorkingMemory %+v", grew, hwinfo.GLWorkingMemory)
	}
}

// TestCheckRoom: GL is unavailable where a limit leaves less than its
// working memory, and the reason names the limit.
func TestCheckRoom(t *testing.T) {
	cgroup := hwinfo.Memory{Resident: hwinfo.Room{Bytes: 60 << 20, LimitBytes: 80 << 20, Name: hwinfo.CgroupLimit, Path: "/sys/fs/cgroup/memory/x/memory.limit_in_bytes"}}
	if err := checkRoom(cgroup, false); err == nil || !strings.Contains(err.Error(), "the cgroup's memory limit of 80.0 MiB") {
		t.Errorf("in a cgroup of 80 MiB: %v", err)
	}
	as := hwinfo.Memory{Resident: hwinfo.Room{Bytes: 20 << 30, Name: hwinfo.MemAvailable},
		Address: hwinfo.Room{Bytes: 200 << 20, LimitBytes: 1 << 30, Name: hwinfo.AddressLimit}}
	if err := checkRoom(as, false); err == nil || !strings.Contains(err.Error(), "RLIMIT_AS (ulimit -v) of 1.0 GiB") {
		t.Errorf("under ulimit -v 1048576 with 200 MiB mapped free: %v", err)
	}
	if err := checkRoom(as, true); err != nil {
		t.Errorf("opening again with 200 MiB mapped free: %v", err)
	}
	as.Address.Bytes = 1 << 30
	if err := checkRoom(as, false); err != nil {
		t.Errorf("with 1 GiB free: %v", err)
	}
}
