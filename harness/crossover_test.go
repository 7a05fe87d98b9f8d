package harness

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// slow is the reference backend (fake) with a cost model: each run
// sleeps latency plus perElem for each element of its result, and each
// copy perCopy for each element. With gpu set its device is a GPU's, so
// that its cases are timed end to end too. It computes a result only
// where its inputs changed since the last run, so that the time of a
// run is the model's, not that of the float64 reference the fake
// computes (several times slower under the race detector, and shared
// with whatever else the machine runs).
type slow struct {
	*fake
	name                      string
	latency, perElem, perCopy time.Duration
	gpu                       bool
	fresh                     map[compute.Buffer]bool // results of the current inputs
}

func (s *slow) Name() string { return s.name }
func (s *slow) Device() compute.Device {
	d := s.fake.Device()
	d.Backend, d.Name = s.name, s.name
	if s.gpu {
		d.GPU = &compute.GPU{Renderer: s.name}
	}
	return d
}
func (s *slow) Run(l compute.Launch) error {
	time.Sleep(s.latency + time.Duration(l.OutLen())*s.perElem)
	if s.fresh[l.Out] {
		return l.Validate()
	}
	s.fresh[l.Out] = true
	return s.fake.Run(l)
}
func (s *slow) Upload(dst compute.Buffer, src compute.Host) error {
	time.Sleep(time.Duration(src.Len()) * s.perCopy)
	if slices.Equal(dst.(*fbuf).v, src.Float64s()) {
		return nil
	}
	clear(s.fresh) // every result may read dst
	return s.fake.Upload(dst, src)
}
func (s *slow) Download(dst compute.Host, src compute.Buffer) error {
	time.Sleep(time.Duration(dst.Len()) * s.perCopy)
	return s.fake.Download(dst, src)
}

// The crossover test's two backends: a "CPU" whose time grows with the
// size from nothing, and a "GPU" with a fixed cost of 6 ms per run and
// nothing per element, but copies that cost more per element than the
// CPU's whole run. Their kernel times cross between 16Ki (3.3 ms
// against 6) and 64Ki (13 ms against 6), with a factor of about 2 either
// side, far beyond a sleep's overshoot; end to end the GPU never wins.
//
// steep-gpu is a GPU whose end-to-end time grows 4× or more per 4×
// size: 1 ms per run and 1 µs per element copied. A sweep's forecast of
// its next size then lies far from a limit set between two sizes.
var (
	slowCPU  = &slow{name: "slow-cpu", perElem: 200 * time.Nanosecond}
	slowGPU  = &slow{name: "slow-gpu", latency: 6 * time.Millisecond, perCopy: 300 * time.Nanosecond, gpu: true}
	steepGPU = &slow{name: "steep-gpu", latency: time.Millisecond, perCopy: time.Microsecond, gpu: true}
)

// TestCrossoverFound: the sweep finds where the challenger starts to win
// with its data on the device (64Ki), says that end to end it never does
// up to the largest size, and reports both backends' transfers and
// latency, every case verified.
func TestCrossoverFound(t *testing.T) {
	var current *fake
	xc := CrossoverConfig{Config: config(&current), Base: Side{Name: "slow-cpu"}, Challenger: Side{Name: "slow-gpu"},
		Kernels: []compute.Kernel{compute.Saxpy}, DType: compute.Float32, MaxVector: 256 << 10, TransferMax: 16 << 10}
	xc.Warmup = 1
	var seen []string
	xc.Progress = func(p Progress) {
		seen = append(seen, p.Case)
		if p.Done > p.Total || p.DoneCost > p.TotalCost*1.0000001 {
			t.Errorf("progress %+v: more done than planned", p)
		}
	}
	rep, err := Crossover(context.Background(), xc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Crossovers) != 1 {
		t.Fatalf("%d crossovers, want 1", len(rep.Crossovers))
	}
	c := rep.Crossovers[0]
	var shapes []string
	for _, p := range c.Points {
		shapes = append(shapes, p.Shape)
		if !p.Verified {
			t.Errorf("point %s not verified", p.Shape)
		}
	}
	if got := strings.Join(shapes, " "); got != "1024 4096 16384 65536 262144" {
		t.Errorf("sizes %s, want 1Ki to 256Ki growing 4×", got)
	}
	if !c.KernelOnly.Found || c.KernelOnly.Size != 64<<10 {
		t.Errorf("kernel only: %+v, want the challenger to win from 65536\npoints %+v", c.KernelOnly, c.Points)
	}
	if c.EndToEnd.Found || c.EndToEnd.UpTo != "262144" || c.EndToEnd.Speedup >= 1 {
		t.Errorf("end to end: %+v, want never up to 262144\npoints %+v", c.EndToEnd, c.Points)
	}
	for _, p := range c.Points {
		if p.BaseE2ENs != p.BaseNs {
			t.Errorf("%s: the CPU's end to end %v is not its kernel time %v", p.Shape, p.BaseE2ENs, p.BaseNs)
		}
		if p.ChallengerE2E <= p.ChallengerNs {
			t.Errorf("%s: the GPU's end to end %v is no longer than its kernel %v", p.Shape, p.ChallengerE2E, p.ChallengerNs)
		}
	}
	if len(rep.Transfers) != 2 {
		t.Fatalf("%d transfers, want one per backend", len(rep.Transfers))
	}
	for _, tr := range rep.Transfers {
		if tr.Upload.PeakGBps <= 0 || tr.Download.PeakGBps <= 0 || tr.LatencyNs <= 0 || tr.HostMemory != (tr.Backend == "slow-cpu") {
			t.Errorf("transfer %+v", tr)
		}
	}
	if lat := rep.Transfers[1].LatencyNs; lat < float64(6*time.Millisecond) {
		t.Errorf("slow-gpu latency %v, below its 6 ms cost", time.Duration(lat))
	}
	kinds := map[string]int{}
	for _, r := range rep.Results {
		kinds[r.Kernel.String()]++
		if !r.Verified {
			t.Errorf("%s not verified: %s%s", r.Name(), r.Err, r.Mismatch)
		}
	}
	for _, tr := range rep.Transfers {
		for _, c := range tr.Cases {
			kinds[c.Direction.String()]++
			if !c.Verified {
				t.Errorf("%s not verified: %s%s", c.Name(), c.Err, c.Mismatch)
			}
		}
	}
	if kinds["saxpy"] != 10 || kinds[results.Upload.String()] != 4 || kinds[results.Download.String()] != 4 || kinds[results.Latency.String()] != 2 {
		t.Errorf("results by kernel %v", kinds)
	}
	if len(seen) != 10+4+2 {
		t.Errorf("progress saw %d starts, want 16: %v", len(seen), seen)
	}
}

// TestCrossoverStopsAtMaxRunTime: a sweep ends before a size whose run
// would take longer than MaxRunTime, says so, and decides on what it
// measured.
func TestCrossoverStopsAtMaxRunTime(t *testing.T) {
	var current *fake
	xc := CrossoverConfig{Config: config(&current), Base: Side{Name: "slow-cpu"}, Challenger: Side{Name: "steep-gpu"},
		Kernels: []compute.Kernel{compute.Saxpy}, DType: compute.Float32, MaxVector: 256 << 10, TransferMax: 4 << 10,
		MaxRunTime: 100 * time.Millisecond}
	rep, err := Crossover(context.Background(), xc)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Crossovers[0]
	// The GPU's end to end is about 1 ms + 3·n·1 µs: 4.1 ms at 1Ki,
	// 13 ms at 4Ki, 50 ms at 16Ki, 198 ms at 64Ki, which the line
	// through the two sizes before foresees. The forecast of 16Ki
	// (5·t(4Ki) − 4·t(1Ki)) stays under 100 ms unless a sleep of 13 ms
	// overshoots by 10 ms; that of 64Ki passes it unless the 4Ki run
	// took 24 ms more than the 16Ki run's share.
	if n := len(c.Points); n != 3 || len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "stopped before 65536") {
		t.Errorf("%d points, notes %q: want 3 and a stop before 65536", n, c.Notes)
	}
	if c.KernelOnly.UpTo != "16384" || c.EndToEnd.Found || c.EndToEnd.UpTo != "16384" {
		t.Errorf("kernel only %+v, end to end %+v: want verdicts up to 16384, end to end never", c.KernelOnly, c.EndToEnd)
	}
}

// TestDecide: the verdict is the smallest size from which the
// challenger wins at every larger size; a win followed by a loss is no
// crossover, and an unverified point decides nothing.
func TestDecide(t *testing.T) {
	pt := func(size int, base, chal float64, ok bool) results.CrossPoint {
		return results.CrossPoint{Shape: strings.Repeat("x", size), Size: size, BaseNs: base, ChallengerNs: chal,
			BaseE2ENs: base, ChallengerE2E: 2 * chal, Verified: ok}
	}
	for _, c := range []struct {
		name  string
		pts   []results.CrossPoint
		found bool
		size  int
		upTo  int
	}{
		{"wins from 3", []results.CrossPoint{pt(1, 1, 5, true), pt(2, 2, 4, true), pt(3, 4, 3, true), pt(4, 8, 3, true)}, true, 3, 4},
		{"a lucky win is not a crossover", []results.CrossPoint{pt(1, 1, 5, true), pt(2, 5, 4, true), pt(3, 4, 5, true)}, false, 0, 3},
		{"never", []results.CrossPoint{pt(1, 1, 5, true), pt(2, 2, 5, true)}, false, 0, 2},
		{"wins everywhere", []results.CrossPoint{pt(1, 5, 1, true), pt(2, 6, 1, true)}, true, 1, 2},
		{"a tie is no win", []results.CrossPoint{pt(1, 1, 5, true), pt(2, 5, 5, true)}, false, 0, 2},
		{"unverified points are passed over", []results.CrossPoint{pt(1, 1, 5, true), pt(2, 4, 3, true), pt(3, 1, 9, false)}, true, 2, 2},
		{"no point", nil, false, 0, 0},
	} {
		x := results.Crossover{Points: c.pts}
		x.Decide()
		v := x.KernelOnly
		if v.Found != c.found || v.Size != c.size || len(v.UpTo) != c.upTo {
			t.Errorf("%s: %+v, want found %v at %d up to %d", c.name, v, c.found, c.size, c.upTo)
		}
	}
}
