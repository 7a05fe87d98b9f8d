package hwinfo

import (
	"strings"
	"syscall"
)

// readMemory is /proc/meminfo's memory, its available part held to what
// the process's cgroup (cgroupRoom) and RLIMIT_AS (addressRoom) leave:
// in a container of 120 MiB on a machine of 24 GiB a run must be sized
// to the container, and under ulimit -v to the address space left, where
// the Go runtime cannot grow its heap and dies. AvailableBytes, for
// callers that weigh one figure, counts half the address space left (the
// Go heap maps address space ahead of its live data); Resident and
// Address keep each limit's room whole, for a check that counts what a
// run maps as well as what it keeps resident.
func readMemory() Memory {
	m := readMeminfo()
	if m.AvailableBytes > 0 {
		m.Resident = Room{Bytes: m.AvailableBytes, Name: MemAvailable}
	}
	if room, what, limit, ok := cgroupRoom(); ok {
		m.hold(room, what, limit)
		if !m.Resident.Known() || room < m.Resident.Bytes {
			m.Resident = Room{Bytes: room, LimitBytes: limit, Name: CgroupLimit, Path: cgroupFile(what)}
		}
	}
	if room, limit, ok := addressRoom(); ok {
		m.hold(room/2, AddressLimit, limit)
		m.Address = Room{Bytes: room, LimitBytes: limit, Name: AddressLimit}
	}
	return m
}

// cgroupFile is the file of cgroupRoom's what ("/sys/…/memory.max
// (cgroup v2)").
func cgroupFile(what string) string {
	f, _, _ := strings.Cut(what, " (")
	return f
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
