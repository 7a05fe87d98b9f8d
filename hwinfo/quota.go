package hwinfo

import (
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
)

// A cgroup may give this process less CPU time than the CPUs it may run
// on: a quota of so many microseconds per period (v2's cpu.max, v1's
// cpu.cfs_quota_us over cpu.cfs_period_us). Under a quota of one CPU on
// two, a second worker only waits for the first's time; so the default
// workers, and the peak's cores, are those of the quota, rounded up (a
// fraction of a CPU still runs at the core's full speed until the
// period's time is spent). A cpuset restricts the CPUs themselves: the
// affinity mask, which osCores reads, already shows it.

// cgroupCPUQuota is the CPUs' worth of time per period this process's
// cgroup allows, the least over the cgroup and its ancestors up to the
// mount point, in v2 and v1's cpu controller; what names the file. ok is
// false where no quota is set.
func cgroupCPUQuota() (cpus float64, what string, ok bool) {
	paths, mounts := readCgroupPaths(), readCgroupMounts()
	for _, h := range []struct {
		key, name string
		read      func(dir string) (float64, string, bool)
	}{
		{"cgroup2", "cgroup v2", readCPUMax},
		{"cpu", "cgroup v1", readCFSQuota},
	} {
		m, mounted := mounts[h.key]
		p, has := paths[h.key]
		if !mounted || !has {
			continue
		}
		rel, found := strings.CutPrefix(p, m.root)
		if !found {
			continue
		}
		for dir := path.Join(m.point, rel); ; dir = path.Dir(dir) {
			if q, file, set := h.read(dir); set && (!ok || q < cpus) {
				cpus, what, ok = q, file+" ("+h.name+")", true
			}
			if dir == m.point || dir == "/" || dir == "." {
				break
			}
		}
	}
	return cpus, what, ok
}

// readCPUMax reads v2's cpu.max in dir, "quota period" in µs, or "max
// period" for none.
func readCPUMax(dir string) (float64, string, bool) {
	name := path.Join(dir, "cpu.max")
	var cpus float64
	ok := false
	eachLine(name, func(line string) {
		f := strings.Fields(line)
		if len(f) != 2 || ok {
			return
		}
		q, qerr := strconv.ParseFloat(f[0], 64)
		p, perr := strconv.ParseFloat(f[1], 64)
		if qerr == nil && perr == nil {
			cpus, ok = quotaCPUs(q, p)
		}
	})
	return cpus, name, ok
}

// readCFSQuota reads v1's cpu.cfs_quota_us (-1 for none) and
// cpu.cfs_period_us in dir.
func readCFSQuota(dir string) (float64, string, bool) {
	name := path.Join(dir, "cpu.cfs_quota_us")
	q, qok := readSignedValue(name)
	p, pok := readSignedValue(path.Join(dir, "cpu.cfs_period_us"))
	if !qok || !pok {
		return 0, name, false
	}
	cpus, ok := quotaCPUs(q, p)
	return cpus, name, ok
}

// quotaCPUs is a quota of q µs per period of p µs as CPUs; ok is false
// for no quota (q ≤ 0) and for values no kernel writes (a period outside
// 1 ms–1 s, a quota under 1 ms).
func quotaCPUs(q, p float64) (float64, bool) {
	if q <= 0 || p < 1e3 || p > 1e6 || q < 1e3 || math.IsInf(q, 0) {
		return 0, false
	}
	return q / p, true
}

// readSignedValue reads a file of one integer, such as v1's -1.
func readSignedValue(name string) (float64, bool) {
	var v float64
	ok := false
	eachLine(name, func(line string) {
		if n, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64); err == nil && !ok {
			v, ok = float64(n), true
		}
	})
	return v, ok
}

// withQuota records on c a cgroup CPU quota of cpus (ok false: none)
// that lets the process use less than the CPUs it may run on, read
// from what, with a note (QuotaNote).
func withQuota(c *CPU, cpus float64, what string, ok bool) {
	if !ok || cpus >= float64(c.LogicalCores) {
		return
	}
	c.CPUQuota, c.CPUQuotaFrom = cpus, what
	c.Notes = append(c.Notes, c.QuotaNote())
}

// QuotaNote says in one line what the cgroup's CPU quota leaves this
// process, e.g. "cgroup CPU quota: 1 CPU of 2; workers 1 (/sys/fs/
// cgroup/cpu.max (cgroup v2))"; "" where there is none.
func (c *CPU) QuotaNote() string {
	if c.CPUQuota <= 0 {
		return ""
	}
	unit := "CPUs"
	if c.CPUQuota == 1 {
		unit = "CPU"
	}
	return fmt.Sprintf("cgroup CPU quota: %g %s of %d; workers %d (%s)",
		c.CPUQuota, unit, c.LogicalCores, c.QuotaWorkers(), c.CPUQuotaFrom)
}

// QuotaWorkers is how many workers the cgroup's CPU quota gives time
// to: CPUQuota rounded up; 0 where no quota limits the process below
// the CPUs it may run on (then the caller's default stands).
func (c *CPU) QuotaWorkers() int {
	if c.CPUQuota <= 0 {
		return 0
	}
	return int(math.Ceil(c.CPUQuota))
}
