package hwinfo

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// cores is what the OS says about the CPUs this process may run on.
type cores struct {
	physical, logical, threadsPerCore int
	// from says where the counts came from.
	from string
	// first is the lowest CPU number the process may run on, whose
	// caches are read (0 where unknown).
	first int
}

// osCores counts the CPUs this process may run on and the cores they
// belong to. The CPUs are those of its affinity mask, read from Linux's
// proc/self/status under fsys (Cpus_allowed_list), else numCPU of them
// (runtime.NumCPU, which is the mask's size on every OS Go knows); the
// cores are the distinct sibling lists of those CPUs in sysfs's topology
// (sys/devices/system/cpu/cpuN/topology/core_cpus_list, or
// thread_siblings_list before Linux 5.7), the same list for every thread
// of one core. Without topology physical is 0: the caller decides.
func osCores(fsys fs.FS, numCPU int) cores {
	cpus := allowedCPUs(fsys)
	c := cores{logical: numCPU, from: "runtime.NumCPU"}
	if len(cpus) > 0 {
		c.logical, c.first, c.from = len(cpus), cpus[0], "affinity mask"
	}
	if cpus == nil {
		return c
	}
	threads := map[string]int{} // sibling list → threads of it we may use
	for _, cpu := range cpus {
		var list []byte
		var err error
		for _, name := range []string{"core_cpus_list", "thread_siblings_list"} {
			if list, err = fs.ReadFile(fsys, fmt.Sprintf("sys/devices/system/cpu/cpu%d/topology/%s", cpu, name)); err == nil {
				break
			}
		}
		if err != nil {
			return c
		}
		threads[string(bytes.TrimSpace(list))]++
	}
	c.physical = len(threads)
	for _, n := range threads {
		c.threadsPerCore = max(c.threadsPerCore, n)
	}
	c.from += ", sysfs topology"
	return c
}

// allowedCPUs reads the CPUs this process may run on from the
// Cpus_allowed_list line of proc/self/status under fsys; nil where there
// is none (not Linux) or it does not parse.
func allowedCPUs(fsys fs.FS) []int {
	b, err := fs.ReadFile(fsys, "proc/self/status")
	if err != nil {
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Cpus_allowed_list:"); ok {
			cpus, err := parseCPUList(strings.TrimSpace(v))
			if err != nil {
				return nil
			}
			return cpus
		}
	}
	return nil
}

// parseCPUList reads a Linux CPU list such as "0-3,8,10-11" into its
// CPU numbers, sorted.
func parseCPUList(s string) ([]int, error) {
	var cpus []int
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("cpu list %q: %v", s, err)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return nil, fmt.Errorf("cpu list %q: %v", s, err)
			}
		}
		if a < 0 || b < a || b-a > 1<<16 {
			return nil, fmt.Errorf("cpu list %q: bad range %q", s, part)
		}
		for i := a; i <= b; i++ {
			cpus = append(cpus, i)
		}
	}
	slices.Sort(cpus)
	return slices.Compact(cpus), nil
}
