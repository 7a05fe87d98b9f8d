package results

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestLastRun: the last run and the last roofline are kept in, and read
// from, the cache folder passed in and nowhere else; with none, nothing
// is kept and the reasons say so.
func TestLastRun(t *testing.T) {
	t.Parallel()
	cache := filepath.Join(t.TempDir(), "gpubench")
	if p, err := LastRunPath(cache); err != nil || p != filepath.Join(cache, "last.json") || LastRunHelp(cache) != p {
		t.Errorf("LastRunPath = %q, %v; help %q", p, err, LastRunHelp(cache))
	}
	if rep, note := ReadLastRun("", cache); rep != nil || !strings.Contains(note, "no 'gpubench run' yet") {
		t.Errorf("before any run: %v, %q", rep, note)
	}
	if bws := LastBandwidths(cache); bws != nil {
		t.Errorf("bandwidths before any roofline: %v", bws)
	}

	run := NewReport(nil, nil)
	if err := SaveLastRun(cache, run); err != nil {
		t.Fatal(err)
	}
	if rep, note := ReadLastRun("", cache); rep == nil || !rep.Time.Equal(run.Time) || !strings.Contains(note, filepath.Join(cache, "last.json")) {
		t.Errorf("after SaveLastRun: %v, %q", rep, note)
	}
	roof := NewReport(nil, nil)
	roof.Rooflines = []Roofline{{Backend: "cpu", Device: "x", BandwidthGBps: 40}, {Backend: "gl", Device: "y"}}
	if err := SaveLastRoofline(cache, roof); err != nil {
		t.Fatal(err)
	}
	if bws := LastBandwidths(cache); len(bws) != 1 || bws[0].Backend != "cpu" || bws[0].GBps != 40 || !strings.HasPrefix(bws[0].From, "roofline of ") {
		t.Errorf("LastBandwidths = %+v, want cpu's 40 GB/s", bws)
	}
	entries, _ := os.ReadDir(cache)
	if len(entries) != 2 || entries[0].Name() != "last.json" || entries[1].Name() != "roofline.json" {
		t.Errorf("cache folder holds %v, want last.json and roofline.json", entries)
	}

	// No cache folder: nothing kept, nothing found, and why.
	for _, err := range []error{SaveLastRun("", run), SaveLastRoofline("", roof)} {
		if !errors.Is(err, errNoCache) {
			t.Errorf("saving without a cache folder: %v, want errNoCache", err)
		}
	}
	if _, err := LastRooflinePath(""); !errors.Is(err, errNoCache) {
		t.Errorf("LastRooflinePath(\"\"): %v", err)
	}
	if rep, note := ReadLastRun("", ""); rep != nil || !strings.Contains(note, "no last run to place: no user cache folder") {
		t.Errorf("ReadLastRun without a cache folder: %v, %q", rep, note)
	}
	if LastBandwidths("") != nil || LastRunHelp("") != "in the user cache directory" {
		t.Errorf("without a cache folder: bandwidths %v, help %q", LastBandwidths(""), LastRunHelp(""))
	}
}

// TestReadBackDoubt: a last run whose file holds figures no device
// reaches (an fma of 1e308 GFLOP/s, a negative time, a rate past its
// device's peak) has those cases marked not verified by DoubtReadBack,
// naming the file; a roofline's bandwidth of 1e-320 or 1e308 GB/s is left out.
func TestReadBackDoubt(t *testing.T) {
	cache := t.TempDir()
	rep := NewReport(nil, nil)
	rep.Devices = []compute.Device{{Backend: "cpu", PeakGFLOPS: map[compute.DType]float64{compute.Float32: 100}}}
	fma := Shape{compute.Chain(1024, 64)}
	rep.Results = []Result{
		{Kernel: compute.FMA, Backend: "cpu", Shape: fma, DType: compute.Float32, Verified: true, GFLOPS: 1e308},
		{Kernel: compute.FMA, Backend: "cpu", Shape: fma, DType: compute.Float32, Verified: true, GFLOPS: 50, MedianNs: -1},
		{Kernel: compute.FMA, Backend: "cpu", Shape: fma, DType: compute.Float32, Verified: true, GFLOPS: 200},
		{Kernel: compute.FMA, Backend: "cpu", Shape: fma, DType: compute.Float32, Verified: true, GFLOPS: 90, MedianNs: 5},
	}
	rep.Rooflines = []Roofline{{Backend: "cpu", BandwidthGBps: 1e-320}, {Backend: "gl", BandwidthGBps: 1e308}, {Backend: "x", BandwidthGBps: 40}}
	if err := SaveLastRun(cache, rep); err != nil {
		t.Fatal(err)
	}
	path, _ := LastRunPath(cache)
	back, _ := ReadLastRun("", cache)
	if back == nil {
		t.Fatal("no last run read")
	}
	back.DoubtReadBack(path)
	for i, r := range back.Results {
		bad := i < 3
		if r.Verified == bad || bad != strings.Contains(r.Mismatch, "read back from "+path) {
			t.Errorf("case %d (%g GFLOP/s, %g ns): verified %v, %q", i, r.GFLOPS, r.MedianNs, r.Verified, r.Mismatch)
		}
	}
	if bw := BandwidthsOf(back); len(bw) != 1 || bw[0].GBps != 40 {
		t.Errorf("bandwidths %+v, want the 40 GB/s alone", bw)
	}
}
