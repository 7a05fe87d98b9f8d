package hwinfo

import (
	"runtime"
	"strings"
	"testing"
)

// TestCgroupCPUQuota: the quota is read from v2's cpu.max and v1's
// cpu.cfs_quota_us over cpu.cfs_period_us, the least over the cgroup
// and its ancestors; "max", -1 and values no kernel writes are none.
func TestCgroupCPUQuota(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		cpus  float64
		what  string
	}{
		{"v2, one CPU", map[string]string{
			"/proc/self/cgroup":         "0::/\n",
			"/proc/self/mountinfo":      mountsV2,
			"/sys/fs/cgroup/cpu.max":    "100000 100000\n",
			"/sys/fs/cgroup/memory.max": "max\n",
		}, 1, "/sys/fs/cgroup/cpu.max (cgroup v2)"},
		{"v2, the parent's 1.5", map[string]string{
			"/proc/self/cgroup":                           "0::/user.slice/app.scope\n",
			"/proc/self/mountinfo":                        mountsV2,
			"/sys/fs/cgroup/user.slice/app.scope/cpu.max": "max 100000\n",
			"/sys/fs/cgroup/user.slice/cpu.max":           "150000 100000\n",
		}, 1.5, "/sys/fs/cgroup/user.slice/cpu.max (cgroup v2)"},
		{"v2 without a quota", map[string]string{
			"/proc/self/cgroup":      "0::/\n",
			"/proc/self/mountinfo":   mountsV2,
			"/sys/fs/cgroup/cpu.max": "max 100000\n",
		}, 0, ""},
		{"v1 in a cgroup namespace", map[string]string{
			"/proc/self/cgroup":                    "9:name=systemd:/\n2:cpu,cpuacct:/docker/abc\n0::/\n",
			"/proc/self/mountinfo":                 mountsV1CPU,
			"/sys/fs/cgroup/cpu/cpu.cfs_quota_us":  "50000\n",
			"/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
		}, 0.5, "/sys/fs/cgroup/cpu/cpu.cfs_quota_us (cgroup v1)"},
		{"v1 unlimited", map[string]string{
			"/proc/self/cgroup":                    "2:cpu,cpuacct:/\n",
			"/proc/self/mountinfo":                 mountsV1CPU,
			"/sys/fs/cgroup/cpu/cpu.cfs_quota_us":  "-1\n",
			"/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
		}, 0, ""},
		{"a period no kernel writes", map[string]string{
			"/proc/self/cgroup":      "0::/\n",
			"/proc/self/mountinfo":   mountsV2,
			"/sys/fs/cgroup/cpu.max": "100000 0\n",
		}, 0, ""},
		{"no cgroup files", map[string]string{}, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			replayLimits(t, c.files, 0)
			cpus, what, ok := cgroupCPUQuota()
			if ok != (c.cpus > 0) || cpus != c.cpus || what != c.what {
				t.Errorf("cgroupCPUQuota() = %g, %q, %v; want %g, %q", cpus, what, ok, c.cpus, c.what)
			}
		})
	}
}

// mountsV1CPU is v1's cpu controller mounted beside the others, as a
// container sees it with a cgroup namespace.
const mountsV1CPU = `30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
31 30 0:28 /docker/abc /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu,cpuacct
34 30 0:31 /docker/abc /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
`

// TestProbeCPUQuota: under a cgroup quota of one CPU on a 2-core
// machine, the probe's peak counts one core, and a note says so with
// the workers it gives time to; a quota of the machine's CPUs or more
// changes nothing.
func TestProbeCPUQuota(t *testing.T) {
	if runtime.GOARCH != "amd64" || runtime.NumCPU() < 2 {
		t.Skip("replays a 2-core amd64 machine")
	}
	for _, c := range []struct {
		max          string
		cores, quota int
		note         string
	}{
		{"100000 100000", 1, 1, "cgroup CPU quota: 1 CPU of 2; workers 1 (/sys/fs/cgroup/cpu.max (cgroup v2))"},
		{"50000 100000", 1, 1, "cgroup CPU quota: 0.5 CPUs of 2; workers 1"},
		{"200000 100000", 2, 0, ""},
		{"max 100000", 2, 0, ""},
	} {
		replay(t, zen4(), 3.6e9, sampleMeminfo)
		replayLimits(t, map[string]string{
			"/proc/self/cgroup":      "0::/\n",
			"/proc/self/mountinfo":   mountsV2,
			"/sys/fs/cgroup/cpu.max": c.max + "\n",
		}, 0)
		info := probe()
		if info.Peak.Cores != c.cores || info.CPU.QuotaWorkers() != c.quota {
			t.Errorf("cpu.max %s: peak of %d cores, quota workers %d; want %d, %d", c.max, info.Peak.Cores, info.CPU.QuotaWorkers(), c.cores, c.quota)
		}
		notes := strings.Join(info.CPU.Notes, "\n")
		if c.note != "" && !strings.Contains(notes, c.note) || c.note == "" && strings.Contains(notes, "quota") {
			t.Errorf("cpu.max %s: notes %q, want %q", c.max, info.CPU.Notes, c.note)
		}
	}
}
