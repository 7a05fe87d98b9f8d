package hwinfo

import (
	"fmt"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// cpuidFunc executes CPUID with EAX = leaf and ECX = sub (or replays a
// machine's answers).
type cpuidFunc func(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// cacheLevels are the data and unified caches kernels block for, and
// the line size, in bytes; 0 where unknown.
type cacheLevels struct {
	l1d, l1i, l2, l3, line int
}

// cacheSources says where each size of a cacheLevels came from, in the
// same order: l1d, l1i, l2, l3, line.
type cacheSources [5]string

// Where cache sizes come from, most trusted first.
const (
	fromSysfs       = "sysfs"
	fromLeaf4       = "CPUID leaf 4"
	fromLeaf1D      = "CPUID 0x8000001D"
	fromLegacyAMD   = "CPUID 0x80000005/0x80000006"
	fromCPUIDModule = "cpuid module"
)

// fill takes from o every size c lacks, and its source from from into
// src.
func (c *cacheLevels) fill(src *cacheSources, o cacheLevels, from cacheSources) {
	dst := [5]*int{&c.l1d, &c.l1i, &c.l2, &c.l3, &c.line}
	for i, v := range [5]int{o.l1d, o.l1i, o.l2, o.l3, o.line} {
		if *dst[i] <= 0 && v > 0 {
			*dst[i], src[i] = v, from[i]
		}
	}
}

// cacheBounds are the sizes hwinfo believes of each of a cacheLevels'
// fields, in the same order (l1d, l1i, l2, l3, line), in bytes: wide of
// every CPU known (Apple's 192 KiB L1i, AMD's 1152 MiB of stacked L3, a
// VM's host package), narrow enough that a damaged sysfs file or a
// hypervisor's garbage CPUID cannot size gemm's blocks to terabytes
// (docs/methodology.md#why-these-constants).
var cacheBounds = [5][2]int64{
	{1 << 10, 4 << 20}, {1 << 10, 4 << 20}, {16 << 10, 1 << 30}, {64 << 10, 16 << 30}, {16, 1024},
}

// plausible is c without the sizes outside cacheBounds, each of which
// gets a note in notes naming its source from.
func (c cacheLevels) plausible(from cacheSources, notes *[]string) cacheLevels {
	names := [5]string{"L1d", "L1i", "L2", "L3", "cache line"}
	fields := [5]*int{&c.l1d, &c.l1i, &c.l2, &c.l3, &c.line}
	for i, f := range fields {
		if v := int64(*f); v != 0 && (v < cacheBounds[i][0] || v > cacheBounds[i][1]) {
			*notes = append(*notes, fmt.Sprintf("%s gives %s as %d bytes, outside the %d–%d a CPU has: not used",
				from[i], names[i], v, cacheBounds[i][0], cacheBounds[i][1]))
			*f = 0
		}
	}
	return c
}

// uniform is the sources of sizes that all came from s.
func uniform(s string) cacheSources { return cacheSources{s, s, s, s, s} }

// describe says in a few words where the sizes came from, e.g. "sysfs"
// or "L1d, L1i, L2 from sysfs; L3 from CPUID leaf 4".
func (src *cacheSources) describe() string {
	names := [5]string{"L1d", "L1i", "L2", "L3", "line"}
	var order []string
	levels := map[string][]string{}
	for i, s := range src {
		if s == "" {
			continue
		}
		if _, ok := levels[s]; !ok {
			order = append(order, s)
		}
		levels[s] = append(levels[s], names[i])
	}
	switch len(order) {
	case 0:
		return "unknown"
	case 1:
		return order[0]
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = strings.Join(levels[s], ", ") + " from " + s
	}
	return strings.Join(parts, "; ")
}

// sysfsCaches reads the caches of CPU cpu from Linux's sysfs,
// sys/devices/system/cpu/cpuN/cache/indexM/{level,type,size,
// coherency_line_size} under fsys (the root). ok is false where there
// is no such folder (other OSes, and some VMs).
func sysfsCaches(fsys fs.FS, cpu int) (c cacheLevels, ok bool) {
	dir := fmt.Sprintf("sys/devices/system/cpu/cpu%d/cache", cpu)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return c, false
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "index") {
			continue
		}
		read := func(name string) string {
			b, err := fs.ReadFile(fsys, path.Join(dir, e.Name(), name))
			if err != nil {
				return ""
			}
			return strings.TrimSpace(string(b))
		}
		level, _ := strconv.Atoi(read("level"))
		size := parseCacheSize(read("size"))
		if size <= 0 {
			continue
		}
		ok = true
		if line, err := strconv.Atoi(read("coherency_line_size")); err == nil && c.line == 0 {
			c.line = line
		}
		c.set(level, read("type"), size)
	}
	return c, ok
}

// set records a cache of the given level and type ("Data",
// "Instruction" or "Unified", as sysfs spells them).
func (c *cacheLevels) set(level int, typ string, size int) {
	switch {
	case level == 1 && typ == "Instruction":
		c.l1i = size
	case level == 1:
		c.l1d = size
	case level == 2:
		c.l2 = size
	case level == 3:
		c.l3 = size
	}
}

// parseCacheSize reads sysfs's size, "48K", "1024K", "2M"; 0 if it is
// not one.
func parseCacheSize(s string) int {
	mult := 1
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > math.MaxInt/mult {
		return 0
	}
	return n * mult
}

// cpuidCaches reads the caches from CPUID's cache leaves: the
// deterministic cache parameters of leaf 4 (Intel, and others that
// follow it) or 0x8000001D (AMD and Hygon, with TOPOEXT), each subleaf
// one cache of ways × partitions × line × sets bytes; and on AMD and
// Hygon, for what those leave unknown, the older 0x80000005 (L1, KiB in
// ECX and EDX bits 31–24) and 0x80000006 (L2 KiB in ECX bits 31–16, L3
// in units of 512 KiB in EDX bits 31–18), since a hypervisor may clear
// TOPOEXT and still fill 0x80000006 (docs/methodology.md#why-these-constants).
// Each size is returned with its source.
func cpuidCaches(q cpuidFunc, vendor cpuid.Vendor) (c cacheLevels, src cacheSources) {
	if q == nil {
		return c, src
	}
	maxBasic, _, _, _ := q(0, 0)
	maxExt, _, _, _ := q(0x80000000, 0)
	amd := vendor == cpuid.AMD || vendor == cpuid.Hygon
	switch {
	case !amd && maxBasic >= 4:
		c.fill(&src, deterministicCaches(q, 4), uniform(fromLeaf4))
	case amd && maxExt >= 0x8000001D:
		if _, _, ecx, _ := q(0x80000001, 0); ecx&(1<<22) != 0 { // TOPOEXT
			c.fill(&src, deterministicCaches(q, 0x8000001D), uniform(fromLeaf1D))
		}
	}
	if amd && maxExt >= 0x80000006 {
		var legacy cacheLevels
		_, _, ecx, edx := q(0x80000005, 0)
		legacy.l1d, legacy.l1i = int(ecx>>24)<<10, int(edx>>24)<<10
		_, _, ecx, edx = q(0x80000006, 0)
		legacy.l2 = int(ecx>>16) << 10
		legacy.l3 = int(edx>>18) * 512 << 10
		legacy.line = int(ecx & 0xff)
		c.fill(&src, legacy, uniform(fromLegacyAMD))
	}
	return c, src
}

// deterministicCaches walks the subleaves of leaf 4 or 0x8000001D, which
// share a layout, until one of type 0 (no more caches), or 16 of them
// (a hypervisor may repeat one forever).
func deterministicCaches(q cpuidFunc, leaf uint32) cacheLevels {
	var c cacheLevels
	for sub := range uint32(16) {
		eax, ebx, ecx, _ := q(leaf, sub)
		typ := eax & 0x1f
		if typ == 0 {
			break
		}
		line := int(ebx&0xfff) + 1
		parts := int((ebx>>12)&0x3ff) + 1
		ways := int((ebx>>22)&0x3ff) + 1
		sets := int(ecx) + 1
		kind := "Unified" // 3, and any type a later CPU adds
		switch typ {
		case 1:
			kind = "Data"
		case 2:
			kind = "Instruction"
		}
		// A hypervisor may fill the fields with anything: a product past
		// any cache is left unknown rather than overflowing int.
		size := float64(ways) * float64(parts) * float64(line) * float64(sets)
		if size > float64(cacheBounds[3][1]) {
			continue
		}
		c.set(int((eax>>5)&7), kind, int(size))
		if c.line == 0 {
			c.line = line
		}
	}
	return c
}

// moduleCaches is what klauspost/cpuid reports, its -1 for unknown as 0.
func moduleCaches(c cpuid.CPUInfo) cacheLevels {
	return cacheLevels{
		l1d: max(c.Cache.L1D, 0), l1i: max(c.Cache.L1I, 0),
		l2: max(c.Cache.L2, 0), l3: max(c.Cache.L3, 0), line: max(c.CacheLine, 0),
	}
}
