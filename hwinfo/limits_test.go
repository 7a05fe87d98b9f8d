package hwinfo

import (
	"io"
	"io/fs"
	"runtime"
	"strings"
	"testing"
)

// replayLimits makes the limits' files those of files (path → contents;
// none else exists) and RLIMIT_AS as (0: unlimited) until the test ends.
func replayLimits(t *testing.T, files map[string]string, as uint64) {
	savedOpen, savedAS := openProcFile, rlimitAS
	t.Cleanup(func() { openProcFile, rlimitAS = savedOpen, savedAS })
	openProcFile = func(name string) (io.ReadCloser, error) {
		s, ok := files[name]
		if !ok {
			return nil, fs.ErrNotExist
		}
		return io.NopCloser(strings.NewReader(s)), nil
	}
	rlimitAS = func() (uint64, bool) { return as, as != 0 }
}

// Mount tables of the machines replayed: cgroup v2 alone (a container
// or a current distribution), and v1 beside v2 (this VM's, Debian 12 on
// a v1 host).
const (
	mountsV2 = `22 1 0:21 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
25 22 0:23 / /proc rw - proc proc rw
`
	mountsV1 = `30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
34 30 0:31 /docker/abc /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`
)

// TestCgroupRoom: the room a cgroup leaves is its limit less what it
// uses, the inactive page cache not counted, the least over the cgroup
// and its ancestors; "max" and v1's page-rounded 2⁶³ are no limit.
func TestCgroupRoom(t *testing.T) {
	const mi = 1 << 20
	for _, c := range []struct {
		name  string
		files map[string]string
		room  uint64
		what  string
	}{
		{"v2 container of 120 MiB", map[string]string{
			"/proc/self/cgroup":             "0::/\n",
			"/proc/self/mountinfo":          mountsV2,
			"/sys/fs/cgroup/memory.max":     "125829120\n",
			"/sys/fs/cgroup/memory.current": "52428800\n",
			"/sys/fs/cgroup/memory.stat":    "anon 31457280\nfile 20971520\nactive_file 10485760\ninactive_file 10485760\n",
		}, 120*mi - 40*mi, "/sys/fs/cgroup/memory.max (cgroup v2)"},
		{"v2, the parent's limit", map[string]string{
			"/proc/self/cgroup":                                  "0::/user.slice/app.scope\n",
			"/proc/self/mountinfo":                               mountsV2,
			"/sys/fs/cgroup/user.slice/app.scope/memory.max":     "max\n",
			"/sys/fs/cgroup/user.slice/app.scope/memory.current": "1048576\n",
			"/sys/fs/cgroup/user.slice/memory.max":               "1073741824\n",
			"/sys/fs/cgroup/user.slice/memory.current":           "943718400\n",
		}, 1024*mi - 900*mi, "/sys/fs/cgroup/user.slice/memory.max (cgroup v2)"},
		{"v1 in a cgroup namespace", map[string]string{
			"/proc/self/cgroup":                           "9:name=systemd:/\n4:memory:/docker/abc\n0::/\n",
			"/proc/self/mountinfo":                        mountsV1,
			"/sys/fs/cgroup/memory/memory.limit_in_bytes": "268435456\n",
			"/sys/fs/cgroup/memory/memory.usage_in_bytes": "209715200\n",
			"/sys/fs/cgroup/memory/memory.stat":           "cache 1\ninactive_file 1048576\ntotal_inactive_file 104857600\n",
		}, 256*mi - 100*mi, "/sys/fs/cgroup/memory/memory.limit_in_bytes (cgroup v1)"},
		{"v1 unlimited", map[string]string{
			"/proc/self/cgroup":                           "4:memory:/docker/abc\n",
			"/proc/self/mountinfo":                        mountsV1,
			"/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
			"/sys/fs/cgroup/memory/memory.usage_in_bytes": "209715200\n",
		}, 0, ""},
		{"over the limit", map[string]string{
			"/proc/self/cgroup":             "0::/\n",
			"/proc/self/mountinfo":          mountsV2,
			"/sys/fs/cgroup/memory.max":     "1048576\n",
			"/sys/fs/cgroup/memory.current": "2097152\n",
		}, 0, "/sys/fs/cgroup/memory.max (cgroup v2)"},
		{"no cgroup files", map[string]string{}, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			replayLimits(t, c.files, 0)
			room, what, _, ok := cgroupRoom()
			if room != c.room || what != c.what || ok != (c.what != "") {
				t.Errorf("cgroupRoom = %d, %q, %v; want %d, %q", room, what, ok, c.room, c.what)
			}
		})
	}
}

// TestMemoryHeldToLimits: the memory a process can use is the least of
// the machine's available memory, its cgroup's room and half the
// address space RLIMIT_AS leaves, and names the limit that holds it.
func TestMemoryHeldToLimits(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("limits are read on Linux")
	}
	replay(t, zen4(), 3.6e9, sampleMeminfo) // 24341860 kB available
	cgroup := map[string]string{
		"/proc/self/cgroup":             "0::/\n",
		"/proc/self/mountinfo":          mountsV2,
		"/sys/fs/cgroup/memory.max":     "125829120\n",
		"/sys/fs/cgroup/memory.current": "0\n",
		"/proc/self/status":             "Name:\tgpubench\nVmPeak:\t 2000000 kB\nVmSize:\t 1000000 kB\n",
	}
	replayLimits(t, cgroup, 0)
	if m := CurrentMemory(); m.AvailableBytes != 125829120 || m.LimitBytes != 125829120 || !strings.Contains(m.Limit, "cgroup v2") {
		t.Errorf("in a cgroup of 120 MiB: %+v", m)
	}
	replayLimits(t, cgroup, 1100000*1024) // 100000 kB beyond VmSize
	if m := CurrentMemory(); m.AvailableBytes != 50000*1024 || m.Limit != "RLIMIT_AS (ulimit -v)" {
		t.Errorf("under ulimit -v 1100000: %+v", m)
	}
	replayLimits(t, nil, 0)
	if m := CurrentMemory(); m.AvailableBytes != 24341860*1024 || m.Limit != "" {
		t.Errorf("with no limit: %+v", m)
	}
}

// TestUnescapeMount: mountinfo writes a space in a path as \040, a
// backslash as \134.
func TestUnescapeMount(t *testing.T) {
	if got := unescapeMount(`/sys/fs/my\040cgroup\134x`); got != `/sys/fs/my cgroup\x` {
		t.Errorf("unescapeMount = %q", got)
	}
}
