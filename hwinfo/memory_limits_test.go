package hwinfo

import (
	"runtime"
	"strings"
	"testing"
)

// A process in a v1 memory cgroup of 80 MiB (this VM's kind: Debian 12
// on a v1 host), 16 MiB of it in use, under ulimit -v 2000000 with
// 1.2 GiB mapped: the files the kernel keeps, as a test replays them.
var limited80 = map[string]string{
	"/proc/self/cgroup":    "9:name=systemd:/\n4:memory:/gbtest\n0::/\n",
	"/proc/self/mountinfo": strings.Replace(mountsV1, "/docker/abc /sys/fs/cgroup/memory", "/ /sys/fs/cgroup/memory", 1),
	"/sys/fs/cgroup/memory/gbtest/memory.limit_in_bytes": "83886080\n",
	"/sys/fs/cgroup/memory/gbtest/memory.usage_in_bytes": "16777216\n",
	"/sys/fs/cgroup/memory/gbtest/memory.stat":           "total_inactive_file 0\n",
	"/sys/fs/cgroup/memory/memory.limit_in_bytes":        "9223372036854771712\n",
	"/proc/self/status": "Name:\tgpubench\nVmPeak:\t 1300000 kB\nVmSize:\t 1258291 kB\nVmRSS:\t   16384 kB\n",
}

// TestMemoryRooms: the cgroup's limit holds the resident room and is
// named by its file; RLIMIT_AS's room is the limit less VmSize, whole
// (what the process maps, not what it keeps resident), and
// AvailableBytes, for callers of one figure, counts half of it.
func TestMemoryRooms(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("limits are read on Linux")
	}
	const mi = 1 << 20
	replay(t, zen4(), 3.6e9, sampleMeminfo)
	replayLimits(t, limited80, 2000000*1024)
	m := CurrentMemory()
	wantRes := Room{Bytes: 64 * mi, LimitBytes: 80 * mi, Name: CgroupLimit, Path: "/sys/fs/cgroup/memory/gbtest/memory.limit_in_bytes"}
	if m.Resident != wantRes {
		t.Errorf("Resident = %+v, want %+v", m.Resident, wantRes)
	}
	wantAS := Room{Bytes: (2000000 - 1258291) * 1024, LimitBytes: 2000000 * 1024, Name: AddressLimit}
	if m.Address != wantAS {
		t.Errorf("Address = %+v, want %+v", m.Address, wantAS)
	}
	if m.AvailableBytes != 64*mi || !strings.Contains(m.Limit, "cgroup v1") {
		t.Errorf("AvailableBytes %d under %q, want the cgroup's 64 MiB", m.AvailableBytes, m.Limit)
	}
	if s := m.Resident.String(); s != "the cgroup's memory limit of 80.0 MiB (/sys/fs/cgroup/memory/gbtest/memory.limit_in_bytes)" {
		t.Errorf("Resident names itself %q", s)
	}
	if s := m.Address.String(); s != "RLIMIT_AS (ulimit -v) of 1.9 GiB" {
		t.Errorf("Address names itself %q", s)
	}

	// v2: memory.max names the room.
	replayLimits(t, map[string]string{
		"/proc/self/cgroup":                      "0::/gb.scope\n",
		"/proc/self/mountinfo":                   mountsV2,
		"/sys/fs/cgroup/gb.scope/memory.max":     "125829120\n",
		"/sys/fs/cgroup/gb.scope/memory.current": "20971520\n",
	}, 0)
	m = CurrentMemory()
	if want := (Room{Bytes: 100 * mi, LimitBytes: 120 * mi, Name: CgroupLimit, Path: "/sys/fs/cgroup/gb.scope/memory.max"}); m.Resident != want || m.Address.Known() {
		t.Errorf("in a v2 cgroup of 120 MiB: Resident %+v, Address %+v; want %+v and no address limit", m.Resident, m.Address, want)
	}

	// Without the cgroup: MemAvailable holds the resident room, and
	// half RLIMIT_AS's room is AvailableBytes.
	replayLimits(t, map[string]string{"/proc/self/status": limited80["/proc/self/status"]}, 2000000*1024)
	m = CurrentMemory()
	if m.Resident.Name != MemAvailable || m.Resident.Bytes != 24341860*1024 || m.AvailableBytes != wantAS.Bytes/2 || m.Limit != AddressLimit {
		t.Errorf("under ulimit -v alone: %+v", m)
	}
}

// TestShort: a need fits where it fits under every room; else the room
// it overflows is named, resident first.
func TestShort(t *testing.T) {
	m := Memory{Resident: Room{Bytes: 100, Name: CgroupLimit}, Address: Room{Bytes: 1000, Name: AddressLimit}}
	for _, c := range []struct {
		need Need
		room string
	}{
		{Need{50, 500}, ""},
		{Need{150, 500}, CgroupLimit},
		{Need{50, 1500}, AddressLimit},
		{Need{150, 1500}, CgroupLimit},
	} {
		room, _, ok := m.Short(c.need)
		if ok != (c.room == "") || room.Name != c.room {
			t.Errorf("Short(%+v) = %q, %v; want %q", c.need, room.Name, ok, c.room)
		}
	}
	if _, _, ok := (Memory{}).Short(Need{1e18, 1e18}); !ok {
		t.Error("with no limit known, a need does not fit")
	}
}

// TestGoMemoryLimit: under a cgroup's limit the Go runtime may hold what
// it holds and the room left less what the cgroup charges beside it;
// with no cgroup's limit there is none.
func TestGoMemoryLimit(t *testing.T) {
	const mi = 1 << 20
	m := Memory{Resident: Room{Bytes: 100 * mi, Name: CgroupLimit}}
	if l, ok := GoMemoryLimit(m, 10*mi); !ok || l != (10+100-16)*mi {
		t.Errorf("GoMemoryLimit in a cgroup with 100 MiB free = %d, %v", l, ok)
	}
	m.Resident.Bytes = 20 * mi
	if l, ok := GoMemoryLimit(m, 10*mi); !ok || l != (10+10)*mi {
		t.Errorf("GoMemoryLimit in a cgroup with 20 MiB free = %d, %v", l, ok)
	}
	if _, ok := GoMemoryLimit(Memory{Resident: Room{Bytes: 100 * mi, Name: MemAvailable}}, 10*mi); ok {
		t.Error("a Go memory limit without a cgroup")
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[float64]string{0: "0 B", 1023: "1023 B", 80 << 20: "80.0 MiB", 2000000 * 1024: "1.9 GiB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%v) = %q, want %q", n, got, want)
		}
	}
}
