package hwinfo

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Memory is the machine's main memory in bytes. Both are 0 where the OS
// is not one hwinfo can read, and Note says why.
type Memory struct {
	TotalBytes uint64 `json:"total_bytes"`
	// AvailableBytes is what this process can allocate now: the machine's
	// available memory, or less where a limit on the process leaves less
	// (Limit says which, LimitBytes what it is).
	AvailableBytes uint64 `json:"available_bytes"`
	Note           string `json:"note,omitempty"`
	// Limit names the limit that AvailableBytes is held to, where one is:
	// the cgroup's memory.max (v2) or memory.limit_in_bytes (v1) file, or
	// RLIMIT_AS (ulimit -v); LimitBytes is its value.
	Limit      string `json:"limit,omitempty"`
	LimitBytes uint64 `json:"limit_bytes,omitempty"`

	// Resident is the memory the process can still make resident: the
	// machine's MemAvailable, held to its cgroup's room where that is
	// less. Address is the address space RLIMIT_AS (ulimit -v) leaves,
	// the limit less what the process maps now (VmSize); a zero Room
	// where there is no such limit. A run needs room under both: a Go
	// process maps far more address space than it keeps resident.
	Resident Room `json:"-"`
	Address  Room `json:"-"`
}

// Room is what one limit leaves a process: Bytes more, under a limit of
// LimitBytes (0 for MemAvailable, which is no fixed limit) that Name
// names in words and Path, where it is read from a file, locates.
type Room struct {
	Bytes      uint64
	LimitBytes uint64
	Name       string
	Path       string
}

// Names of the limits a Room can be under.
const (
	MemAvailable = "MemAvailable (the machine's available memory)"
	CgroupLimit  = "the cgroup's memory limit"
	AddressLimit = "RLIMIT_AS (ulimit -v)"
)

// Known reports whether r is under a limit that was read.
func (r Room) Known() bool { return r.Name != "" }

// String names r's limit with its size and file: "the cgroup's memory
// limit of 80.0 MiB (/sys/fs/cgroup/memory/x/memory.limit_in_bytes)",
// "RLIMIT_AS (ulimit -v) of 1.9 GiB", "MemAvailable (the machine's
// available memory)".
func (r Room) String() string {
	s := r.Name
	if r.LimitBytes > 0 {
		s += " of " + FormatBytes(float64(r.LimitBytes))
	}
	if r.Path != "" {
		s += " (" + r.Path + ")"
	}
	return s
}

// FormatBytes writes n with a binary unit: "512 B", "1.5 KiB", "3.0 GiB".
func FormatBytes(n float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for n >= 1024 && i < len(units)-1 {
		n /= 1024
		i++
	}
	switch {
	case !(math.Abs(n) < 1e6): // beyond EiB, negative, NaN: a file's odd figure, in a few digits
		return fmt.Sprintf("%.3g %s", n, units[i])
	case i == 0:
		return fmt.Sprintf("%.0f %s", n, units[i])
	}
	return fmt.Sprintf("%.1f %s", n, units[i])
}

// AvailableMemory is the memory that can be allocated now without
// swapping or meeting a limit, in bytes, read afresh on each call (Linux:
// MemAvailable of /proc/meminfo, less where the cgroup's limit or
// RLIMIT_AS leaves less room; see readMemory); 0 where unknown.
func AvailableMemory() uint64 {
	return readMemory().AvailableBytes
}

// CurrentMemory is the machine's memory as this process can use it now,
// read afresh on each call: AvailableMemory, with the limit that holds
// it where one does.
func CurrentMemory() Memory { return readMemory() }

// hold holds m's available memory to room where room is less, under the
// limit named what of the given size.
func (m *Memory) hold(room uint64, what string, limit uint64) {
	if m.AvailableBytes == 0 || room < m.AvailableBytes {
		m.AvailableBytes, m.Limit, m.LimitBytes = room, what, limit
	}
}

// readMeminfo reads Memory from /proc/meminfo.
func readMeminfo() Memory {
	f, err := openMeminfo()
	if err != nil {
		return Memory{Note: err.Error()}
	}
	defer f.Close()
	m, err := parseMeminfo(f)
	if err != nil {
		m.Note = err.Error()
	}
	return m
}

// parseMeminfo reads MemTotal and MemAvailable from text in the format of
// Linux's /proc/meminfo ("MemTotal:       24683656 kB", one field a line).
// Kernels before 3.14 have no MemAvailable: then it is
// MemFree + Buffers + Cached, an over-estimate, and Note says so.
func parseMeminfo(r io.Reader) (Memory, error) {
	fields := map[string]uint64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			continue
		}
		v, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return Memory{}, fmt.Errorf("meminfo: %s: %v", name, err)
		}
		if len(f) > 1 && f[1] == "kB" {
			v *= 1024
		}
		fields[name] = v
	}
	if err := sc.Err(); err != nil {
		return Memory{}, fmt.Errorf("meminfo: %v", err)
	}
	var m Memory
	var ok bool
	if m.TotalBytes, ok = fields["MemTotal"]; !ok {
		return Memory{}, fmt.Errorf("meminfo: no MemTotal line")
	}
	if m.AvailableBytes, ok = fields["MemAvailable"]; !ok {
		m.AvailableBytes = fields["MemFree"] + fields["Buffers"] + fields["Cached"]
		m.Note = "no MemAvailable: available is MemFree+Buffers+Cached"
	}
	return m, nil
}

// Need is memory a part of a run takes: Resident bytes it keeps in
// memory, and Address bytes of address space it maps (at least as many;
// RLIMIT_AS counts these).
type Need struct {
	Resident, Address float64
}

// GLWorkingMemory is what a GL implementation takes in the process that
// opens it, once the context is made and every kernel compiled, beside
// the buffers a case allocates: resident memory and address space, the
// stacks of the threads it starts included. The figures are Mesa
// llvmpipe's (LLVM's JIT, the driver's code and its rasterizer threads),
// measured with margin by gl's TestWorkingMemory
// (docs/methodology.md#why-these-constants), the address space with
// glibc's malloc held to one arena, as gpubench holds it under
// RLIMIT_AS, where alone address space is counted; a GPU
// driver's own share is of the same order, its buffers in the GPU's
// memory.
var GLWorkingMemory = Need{Resident: 128 << 20, Address: 352 << 20}

// Plus is n and o together.
func (n Need) Plus(o Need) Need { return Need{n.Resident + o.Resident, n.Address + o.Address} }

// Short is the room that n does not fit in, and what n needs there; ok
// is true where n fits under every limit m knows of (Resident,
// Address), the first that does not fit where it does not.
func (m Memory) Short(n Need) (room Room, need float64, ok bool) {
	if m.Resident.Known() && n.Resident > float64(m.Resident.Bytes) {
		return m.Resident, n.Resident, false
	}
	if m.Address.Known() && n.Address > float64(m.Address.Bytes) {
		return m.Address, n.Address, false
	}
	return Room{}, 0, true
}

// GoMemoryLimit is a limit for the Go runtime's own memory
// (runtime/debug.SetMemoryLimit) where a cgroup's limit holds m's
// resident room: what the runtime holds now (held) and the room left,
// less what the cgroup also charges that is not the runtime's
// (nonGoBytes), so that its collector returns garbage, such as the last
// case's buffers, before the cgroup's limit is met and the kernel kills
// the process. By default the collector lets the heap grow to twice its
// live data first. ok is false where no cgroup's limit binds.
func GoMemoryLimit(m Memory, held uint64) (int64, bool) {
	if m.Resident.Name != CgroupLimit {
		return 0, false
	}
	room := m.Resident.Bytes
	room -= min(room/2, nonGoBytes)
	return int64(min(held+room, 1<<62)), true
}

// nonGoBytes is what a cgroup charges a gpubench process beside the Go
// runtime's memory: its binary's pages, C libraries' and malloc's, the
// page cache of the files it writes. Under a cgroup of 120 MiB the
// quick suite peaked at 108 MiB with the Go limit at 110 MiB, and was
// killed at 115 MiB (docs/methodology.md#why-these-constants).
const nonGoBytes = 16 << 20
