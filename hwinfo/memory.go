package hwinfo

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Memory is the machine's main memory in bytes. Both are 0 where the OS
// is not one hwinfo can read, and Note says why.
type Memory struct {
	TotalBytes     uint64 `json:"total_bytes"`
	AvailableBytes uint64 `json:"available_bytes"`
	Note           string `json:"note,omitempty"`
}

// AvailableMemory is the memory that can be allocated now without
// swapping, in bytes, read afresh on each call (Linux: MemAvailable of
// /proc/meminfo); 0 where unknown.
func AvailableMemory() uint64 {
	return readMemory().AvailableBytes
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
