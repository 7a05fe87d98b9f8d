package cpu

import (
	"fmt"
	"github.com/gpubench/gpubench/hwinfo"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/cpu/internal/simd"
)

// TestStreamStores runs the STREAM kernels and saxpy with non-temporal
// stores at every size (the crossover forced to 0) and with none, on 2
// workers: both give the reference's results, and the one that updates
// y in place is never told to store non-temporally. Under the race
// detector it leaves out the sizes past raceMaxLen.
func TestStreamStores(t *testing.T) {
	t.Parallel()
	for _, from := range []int{0, ntNever} {
		t.Run(fmt.Sprintf("from=%d", from), func(t *testing.T) {
			b := open(t, 2)
			b.split.ntFrom = from
			for _, k := range []compute.Kernel{compute.Copy, compute.Scale, compute.Add, compute.Triad, compute.Saxpy} {
				for _, dt := range compute.DTypes() {
					for _, c := range computetest.Cases(k, dt) {
						if raceEnabled && c.Shape.N > raceMaxLen {
							continue
						}
						if err := computetest.Check(b, c, 3); err != nil {
							t.Errorf("%v: %v", c, err)
						}
					}
				}
			}
			computetest.InPlace(t, b)
		})
	}
}

// TestStreamFrom: the crossover is measured once per level and worker
// count and said in the device's notes; a level without non-temporal
// stores never uses them.
func TestStreamFrom(t *testing.T) {
	b := open(t, 2)
	from := b.split.ntFrom
	if from != ntNever && (from < ntMinBytes || from > ntMaxBytes) {
		t.Errorf("crossover %d, want ntNever or within [%d, %d]", from, ntMinBytes, ntMaxBytes)
	}
	if again := open(t, 2); again.split.ntFrom != from {
		t.Errorf("a second backend measured %d, the first %d: want one measurement", again.split.ntFrom, from)
	}
	if !strings.Contains(strings.Join(b.Device().Notes, "\n"), "copy, scale, add, triad: ") {
		t.Errorf("notes %q say nothing of the stores", b.Device().Notes)
	}
	g, err := Open("cpu/generic", simd.Engines()[0], compute.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if g.split.ntFrom != ntNever {
		t.Errorf("the generic level stores non-temporally from %d", g.split.ntFrom)
	}
	t.Logf("%s", ntNote(ntResult{from: from, upTo: ntMaxBytes}))
}

// TestNTTraffic: the measurement's arrays take at most a quarter of what
// the tightest limit leaves, in resident memory and in address space;
// below ntLeastBytes it is not made, and the note names the limit.
func TestNTTraffic(t *testing.T) {
	const mi = 1 << 20
	cgroup := func(free uint64) hwinfo.Room {
		return hwinfo.Room{Bytes: free, LimitBytes: 80 * mi, Name: hwinfo.CgroupLimit, Path: "/sys/fs/cgroup/memory/x/memory.limit_in_bytes"}
	}
	for _, c := range []struct {
		name string
		mem  hwinfo.Memory
		want int
	}{
		{"no limit read", hwinfo.Memory{}, ntMaxBytes},
		{"plenty", hwinfo.Memory{Resident: hwinfo.Room{Bytes: 20 << 30, Name: hwinfo.MemAvailable}}, ntMaxBytes},
		{"cgroup of 80 MiB, 62 MiB free", hwinfo.Memory{Resident: cgroup(62 * mi)}, 8 * mi},
		{"ulimit -v, 100 MiB mapped free", hwinfo.Memory{Resident: hwinfo.Room{Bytes: 20 << 30, Name: hwinfo.MemAvailable},
			Address: hwinfo.Room{Bytes: 100 * mi, LimitBytes: 1 << 30, Name: hwinfo.AddressLimit}}, 16 * mi},
		{"cgroup, 15 MiB free", hwinfo.Memory{Resident: cgroup(15 * mi)}, 0},
	} {
		got, why, ok := ntTraffic(c.mem)
		if got != c.want || ok != (c.want > 0) {
			t.Errorf("%s: ntTraffic = %d, %q, %v; want %d", c.name, got, why, ok, c.want)
		}
		if !ok && (!strings.Contains(why, "cgroup's memory limit of 80.0 MiB") || !strings.Contains(ntNote(ntResult{from: ntNever, skipped: why}), "not measured")) {
			t.Errorf("%s: the reason %q does not name the limit", c.name, why)
		}
	}
}

// TestProbeArrays: the measurement's arrays are n elements each, apart,
// writable, and gone after release.
func TestProbeArrays(t *testing.T) {
	x, out, release, err := probeArrays(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(x) != 1<<20 || len(out) != 1<<20 || &x[len(x)-1] == &out[0] {
		t.Fatalf("arrays of %d and %d overlap or are short", len(x), len(out))
	}
	x[len(x)-1], out[0] = 1, 2
	if x[len(x)-1] != 1 || out[0] != 2 {
		t.Error("the arrays overlap")
	}
	release()
}

func TestCrossover(t *testing.T) {
	sizes := []int{1, 2, 4, 8}
	for _, tc := range []struct {
		wins []bool
		want int
	}{
		{[]bool{false, false, true, true}, 4},
		{[]bool{true, false, true, true}, 4}, // a win below a loss is noise
		{[]bool{true, true, true, true}, 1},
		{[]bool{false, true, true, false}, ntNever},
		{[]bool{false, false, false, false}, ntNever},
	} {
		if got := crossover(sizes, tc.wins); got != tc.want {
			t.Errorf("crossover(%v) = %d, want %d", tc.wins, got, tc.want)
		}
	}
	if n := ntNote(ntResult{from: ntNever, upTo: ntMaxBytes}); !strings.Contains(n, "ordinary stores") {
		t.Errorf("ntNote(never) = %q", n)
	}
	if n := ntNote(ntResult{from: 2 << 20, upTo: ntMaxBytes}); !strings.Contains(n, "from 2048 KiB") {
		t.Errorf("ntNote(2 MiB) = %q", n)
	}
}
