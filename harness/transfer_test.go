package harness

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

// lossy is the reference backend whose downloads change one element.
type lossy struct{ *fake }

func (l lossy) Download(dst compute.Host, src compute.Buffer) error {
	if err := l.fake.Download(dst, src); err != nil {
		return err
	}
	if d := compute.Data[float32](dst); len(d) > 3 {
		d[3] = -d[3]
	}
	return nil
}

// TestTransfers: the sweep's sizes grow 4× up to the limit, each copied
// both ways and checked bit for bit; the summary has each direction's
// peak and half-peak size and the latency of the smallest copy kernel
// for a backend without an empty one; a copy that comes back changed
// fails both directions of its size.
func TestTransfers(t *testing.T) {
	t.Parallel()
	current := &fake{}
	tc := TransferConfig{Config: config(&current), MinBytes: 4 << 10, MaxBytes: 40 << 10}
	rep, err := MeasureTransfers(context.Background(), tc, []string{"fake", "lossy"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Transfers) != 2 {
		t.Fatalf("%d transfers, want 2", len(rep.Transfers))
	}
	if len(rep.Results) != 0 {
		t.Errorf("%d kernel results beside the transfers' cases", len(rep.Results))
	}
	var sizes []string
	for _, tr := range rep.Transfers {
		if last := tr.Cases[len(tr.Cases)-1]; last.Direction != results.Latency {
			t.Errorf("%s's cases end with %s, not the latency", tr.Backend, last.Name())
		}
		for _, r := range tr.Cases {
			switch {
			case r.Backend != tr.Backend:
				t.Errorf("%s among %s's cases", r.Name(), tr.Backend)
			case r.Backend == "fake" && r.Direction == results.Upload:
				sizes = append(sizes, strconv.Itoa(r.N))
				fallthrough
			case r.Backend == "fake":
				if !r.Verified || r.MedianNs <= 0 || r.Checked != r.Elements {
					t.Errorf("fake %s: %+v", r.Name(), r)
				}
			case r.Direction != results.Latency:
				if r.Verified || !strings.Contains(r.Mismatch, "came back changed, the first at 3") {
					t.Errorf("lossy %s: verified %v, %q", r.Name(), r.Verified, r.Mismatch)
				}
			}
		}
	}
	// 4, 16 KiB, then the limit of 40 KiB (10240 float32).
	if got := strings.Join(sizes, " "); got != "1024 4096 10240" {
		t.Errorf("upload sizes %s, want 1024 4096 10240 elements", got)
	}
	f := rep.Transfers[0]
	if !f.HostMemory || f.Upload.PeakGBps <= 0 || f.Upload.HalfPeakBytes <= 0 || f.LatencyNs <= 0 || !strings.Contains(f.LatencyOf, "copy kernel") {
		t.Errorf("fake's transfer: %+v", f)
	}
	if l := rep.Transfers[1]; l.Upload.PeakGBps != 0 || l.Download.PeakGBps != 0 {
		t.Errorf("lossy's failed copies make a peak: %+v", l)
	}
}

// TestTransferSizes: a GPU's largest buffer caps the sweep, which ends
// on the cap.
func TestTransferSizes(t *testing.T) {
	t.Parallel()
	dev := compute.Device{GPU: &compute.GPU{MaxSSBOSize: 100 << 10}}
	got := transferSizes(TransferConfig{}, dev, 0)
	want := []int{4 << 10, 16 << 10, 64 << 10, 100 << 10}
	if len(got) != len(want) {
		t.Fatalf("sizes %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sizes %v, want %v", got, want)
		}
	}
}

// TestResident: the smallest cache that holds the operands, counting L1
// and L2 once per worker's core and the L3 once; none for a GPU or past
// the L3.
func TestResident(t *testing.T) {
	t.Parallel()
	info := &hwinfo.Info{NumCPU: 4, CPU: hwinfo.CPU{PhysicalCores: 4, L1D: 32 << 10, L2: 1 << 20, L3: 16 << 20}}
	cpu2 := compute.Device{Workers: 2}
	vec := func(n int) compute.Problem { return NewProblem(compute.Triad, compute.Vec(n), compute.Float32) } // 12 B an element
	for _, c := range []struct {
		p    compute.Problem
		dev  compute.Device
		want string
	}{
		{vec(4 << 10), cpu2, "L1"},                         // 48 KiB ≤ 2 × 32 KiB
		{vec(8 << 10), cpu2, "L2"},                         // 96 KiB
		{vec(8 << 10), compute.Device{Workers: 4}, "L1"},   // ≤ 4 × 32 KiB
		{vec(1 << 20), cpu2, "L3"},                         // 12 MiB
		{vec(4 << 20), cpu2, ""},                           // 48 MiB: memory
		{vec(64), compute.Device{GPU: &compute.GPU{}}, ""}, // a GPU's caches are not probed
		{vec(4 << 10), compute.Device{Workers: 64}, "L1"},  // more workers than cores count the cores
		{vec(12 << 10), compute.Device{Workers: 64}, "L2"}, // 144 KiB > 4 × 32 KiB
	} {
		if got := Resident(c.p, c.dev, info); got != c.want {
			t.Errorf("%s on %d workers: %q, want %q", c.p, c.dev.Workers, got, c.want)
		}
	}
}

// TestCostGrowsWithWork: a case's expected cost grows with its FLOPs and
// bytes beyond the fixed minimum of its warm-up and repetitions, so that
// a sweep's large cases weigh as much as they take.
func TestCostGrowsWithWork(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	small := Cost(NewProblem(compute.Saxpy, compute.Vec(1<<10), compute.Float32), cfg)
	big := Cost(NewProblem(compute.Saxpy, compute.Vec(64<<20), compute.Float32), cfg)
	gemm := Cost(NewProblem(compute.Gemm, compute.MNK(4096, 4096, 4096), compute.Float32), cfg)
	if floor := cfg.MinWarmupTime.Seconds() + float64(cfg.Reps)*cfg.MinRepTime.Seconds(); small < floor || small > 1.5*floor {
		t.Errorf("saxpy 1Ki costs %v, want about the fixed %v", small, floor)
	}
	if big < 10*small || gemm < big {
		t.Errorf("costs: saxpy 1Ki %v, 64Mi %v, gemm 4096 %v: want each well above the last", small, big, gemm)
	}
}
