package hwinfo

import (
	"bufio"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
)

// Limits on a Linux process's memory, read from the files the kernel
// keeps (through openProcFile, so that tests replay other machines): its
// cgroup's, v2 or v1, and its address space's (RLIMIT_AS).

// cgroupMount is where a cgroup hierarchy is mounted: its root within
// the hierarchy and its mount point.
type cgroupMount struct {
	root, point string
}

// cgroupDirs finds, from /proc/self/cgroup and /proc/self/mountinfo, the
// folder of this process's cgroup in the v2 hierarchy and in v1's memory
// hierarchy, each with its mount point ("" where there is none).
func cgroupDirs() (v2, v2Mount, v1, v1Mount string) {
	paths := readCgroupPaths()
	mounts := readCgroupMounts()
	dir := func(p string, m cgroupMount, ok bool) (string, string) {
		if p == "" || !ok {
			return "", ""
		}
		rel, found := strings.CutPrefix(p, m.root)
		if !found {
			return "", ""
		}
		return path.Join(m.point, rel), m.point
	}
	m2, ok2 := mounts["cgroup2"]
	m1, ok1 := mounts["memory"]
	v2, v2Mount = dir(paths["cgroup2"], m2, ok2)
	v1, v1Mount = dir(paths["memory"], m1, ok1)
	return
}

// readCgroupPaths reads /proc/self/cgroup: the v2 path (line
// "0::/path") under "cgroup2", and the v1 paths of the memory and cpu
// controllers ("4:memory:/path", "2:cpu,cpuacct:/path") under their
// names.
func readCgroupPaths() map[string]string {
	out := map[string]string{}
	eachLine("/proc/self/cgroup", func(line string) {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			return
		}
		if f[0] == "0" && f[1] == "" {
			out["cgroup2"] = f[2]
			return
		}
		for _, c := range strings.Split(f[1], ",") {
			if c == "memory" || c == "cpu" {
				out[c] = f[2]
			}
		}
	})
	return out
}

// readCgroupMounts reads /proc/self/mountinfo ("36 35 0:30 / /sys/fs/cgroup
// rw - cgroup2 cgroup2 rw"): the mount of the v2 hierarchy under
// "cgroup2", and those of v1's memory and cpu controllers under their
// names.
func readCgroupMounts() map[string]cgroupMount {
	out := map[string]cgroupMount{}
	eachLine("/proc/self/mountinfo", func(line string) {
		pre, post, ok := strings.Cut(line, " - ")
		f, g := strings.Fields(pre), strings.Fields(post)
		if !ok || len(f) < 5 || len(g) < 3 {
			return
		}
		m := cgroupMount{root: unescapeMount(f[3]), point: unescapeMount(f[4])}
		switch g[0] {
		case "cgroup2":
			if _, seen := out["cgroup2"]; !seen {
				out["cgroup2"] = m
			}
		case "cgroup":
			for _, o := range strings.Split(g[2], ",") {
				if o == "memory" || o == "cpu" {
					out[o] = m
				}
			}
		}
	})
	return out
}

// unescapeMount undoes mountinfo's octal escapes of space, tab, newline
// and backslash ("\040").
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// cgroupRoom is how much more memory this process's cgroup lets it use,
// the least over the cgroup and its ancestors up to the mount point:
// the limit less what is in use, not counting the inactive page cache
// the kernel reclaims before it fails an allocation. ok is false where
// no limit is set. what names the limit, limit is its size.
func cgroupRoom() (room uint64, what string, limit uint64, ok bool) {
	v2, v2Mount, v1, v1Mount := cgroupDirs()
	for _, h := range []struct {
		dir, mount, limit, usage, inactive, name string
	}{
		{v2, v2Mount, "memory.max", "memory.current", "inactive_file", "cgroup v2"},
		{v1, v1Mount, "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file", "cgroup v1"},
	} {
		if h.dir == "" {
			continue
		}
		for dir := h.dir; ; dir = path.Dir(dir) {
			lim, limited := readCgroupValue(path.Join(dir, h.limit))
			// v1 writes "unlimited" as a page-rounded 2⁶³−1.
			if limited && lim < 1<<62 {
				used, _ := readCgroupValue(path.Join(dir, h.usage))
				used -= min(used, readStatValue(path.Join(dir, "memory.stat"), h.inactive))
				r := lim - min(lim, used)
				if !ok || r < room {
					room, what, limit, ok = r, path.Join(dir, h.limit)+" ("+h.name+")", lim, true
				}
			}
			if dir == h.mount || dir == "/" || dir == "." {
				break
			}
		}
	}
	return
}

// readCgroupValue reads a cgroup file of one number; "max" (v2's no
// limit) and a file that is not there are no value.
func readCgroupValue(name string) (uint64, bool) {
	var v uint64
	ok := false
	eachLine(name, func(line string) {
		if n, err := strconv.ParseUint(strings.TrimSpace(line), 10, 64); err == nil && !ok {
			v, ok = n, true
		}
	})
	return v, ok
}

// readStatValue reads the value of key in a "key value" file such as
// memory.stat; 0 where it is not there.
func readStatValue(name, key string) uint64 {
	var v uint64
	eachLine(name, func(line string) {
		if k, val, ok := strings.Cut(line, " "); ok && k == key {
			v, _ = strconv.ParseUint(strings.TrimSpace(val), 10, 64)
		}
	})
	return v
}

// addressRoom is how much address space RLIMIT_AS (ulimit -v) leaves
// this process: the limit less VmSize of /proc/self/status, all that the
// process maps now, resident or not. A Go process maps about 1 GiB it
// never touches (the runtime's reservations, its heap's 64 MiB arenas,
// each thread's stack), so its resident size says nothing of what is
// left. ok is false where there is no limit.
func addressRoom() (room uint64, limit uint64, ok bool) {
	limit, ok = rlimitAS()
	if !ok {
		return 0, 0, false
	}
	var size uint64
	eachLine("/proc/self/status", func(line string) {
		if v, found := strings.CutPrefix(line, "VmSize:"); found {
			f := strings.Fields(v)
			if len(f) > 0 {
				size, _ = strconv.ParseUint(f[0], 10, 64)
				size *= 1024 // kB
			}
		}
	})
	return limit - min(limit, size), limit, true
}

// eachLine calls f with each line of the file name, read through
// openProcFile; nothing where it cannot be read.
func eachLine(name string, f func(string)) {
	r, err := openProcFile(name)
	if err != nil {
		return
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f(sc.Text())
	}
}

// Hardware access of the limits, as for the probe (hwinfo.go): a file of
// /proc or /sys, and RLIMIT_AS's soft limit (ok false where unlimited).
var (
	openProcFile = func(name string) (io.ReadCloser, error) { return os.Open(name) }
	rlimitAS     = readRlimitAS
)
