package hwinfo

import "syscall"

// readMemory is /proc/meminfo's memory, its available part held to what
// the process's cgroup (cgroupRoom) and RLIMIT_AS (addressRoom) leave:
// in a container of 120 MiB on a machine of 24 GiB a run must be sized
// to the container, and under ulimit -v to the address space left, where
// the Go runtime cannot grow its heap and dies.
func readMemory() Memory {
	m := readMeminfo()
	if room, what, limit, ok := cgroupRoom(); ok {
		m.hold(room, what, limit)
	}
	if room, limit, ok := addressRoom(); ok {
		m.hold(room, "RLIMIT_AS (ulimit -v)", limit)
	}
	return m
}

// readRlimitAS is RLIMIT_AS's soft limit; ok is false where it is
// unlimited.
func readRlimitAS() (uint64, bool) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &r); err != nil || r.Cur == ^uint64(0) {
		return 0, false
	}
	return r.Cur, true
}
