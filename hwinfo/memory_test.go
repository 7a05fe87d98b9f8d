package hwinfo

import (
	"runtime"
	"strings"
	"testing"
)

const sampleMeminfo = `MemTotal:       24683656 kB
MemFree:        23181084 kB
MemAvailable:   24341860 kB
Buffers:          126480 kB
Cached:          1316040 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`

func TestParseMeminfo(t *testing.T) {
	m, err := parseMeminfo(strings.NewReader(sampleMeminfo))
	if err != nil {
		t.Fatal(err)
	}
	if m.TotalBytes != 24683656*1024 || m.AvailableBytes != 24341860*1024 || m.Note != "" {
		t.Errorf("parseMeminfo = %+v", m)
	}

	// Before Linux 3.14: no MemAvailable.
	old := strings.Replace(sampleMeminfo, "MemAvailable:   24341860 kB\n", "", 1)
	m, err = parseMeminfo(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(23181084+126480+1316040) * 1024; m.AvailableBytes != want || m.Note == "" {
		t.Errorf("without MemAvailable: %+v, want available %d and a note", m, want)
	}

	for _, bad := range []string{"", "MemFree: 1 kB\n", "MemTotal: lots kB\n"} {
		if m, err := parseMeminfo(strings.NewReader(bad)); err == nil {
			t.Errorf("parseMeminfo(%q) = %+v, want an error", bad, m)
		}
	}
}

func TestAvailableMemory(t *testing.T) {
	avail := AvailableMemory()
	if runtime.GOOS != "linux" {
		if avail != 0 {
			t.Errorf("AvailableMemory on %s = %d, want 0", runtime.GOOS, avail)
		}
		return
	}
	total := readMemory().TotalBytes
	if avail == 0 || avail > total {
		t.Errorf("AvailableMemory = %d, total %d", avail, total)
	}
}
