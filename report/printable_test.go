package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

// hostile is a name a results file may hold: XML's markup characters,
// an escape sequence that would turn a terminal red, a bell, a NUL, a
// right-to-left override, a tab and bytes that are not UTF-8.
const hostile = "cpu<&\"'>\x1b[31mred\a\x00\u202e\t\xff\xfe"

// TestPrintable: a name of printable characters comes back as it is;
// every other character is written as Go quotes it.
func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"cpu/avx512":                  "cpu/avx512",
		"llvmpipe (LLVM 15.0.6, 256)": "llvmpipe (LLVM 15.0.6, 256)",
		"1024³ µs ≈ →":                "1024³ µs ≈ →",
		"\uFFFD":                      "\uFFFD",
		hostile:                       `cpu<&"'>\x1b[31mred\a\x00\u202e\t\xff\xfe`,
		"a\nb\r":                      `a\nb\r`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
	// A Write is a line, or lines with blank lines between: a newline
	// inside a line is a name's, and escaped.
	for in, want := range map[string]string{
		"x\x1b[2Jy\nz\n": "x\\x1b[2Jy\\nz\n",
		"\nx\n\ny\n":     "\nx\n\ny\n",
	} {
		var b bytes.Buffer
		n, err := PrintableTo(&b).Write([]byte(in))
		if err != nil || n != len(in) || b.String() != want {
			t.Errorf("printableWriter wrote %q (%d, %v), want %q", b.String(), n, err, want)
		}
	}
}

// checkShown fails where out holds a character a terminal acts on: a
// control character but the newline, or a byte that is not UTF-8.
func checkShown(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: not UTF-8:\n%q", what, out)
	}
	for _, r := range out {
		if r != '\n' && r != ' ' && !strconv.IsPrint(r) {
			t.Errorf("%s: holds %U raw:\n%q", what, r, out)
			return
		}
	}
}

// hostileReport is a report whose every name from a file is hostile.
func hostileReport() *results.Report { return reportNamed(hostile) }

// reportNamed is a report whose every name from a file is hostile.
func reportNamed(hostile string) *results.Report {
	rep := sampleReport()
	rep.Probe.CPU.Brand = hostile
	for i := range rep.Results {
		rep.Results[i].Backend, rep.Results[i].Device, rep.Results[i].Level = hostile, hostile, hostile
	}
	rep.Results[2].Err = "failed: " + hostile
	rep.Devices = []compute.Device{{Backend: hostile, Name: hostile, Level: hostile, Notes: []string{hostile}}}
	rep.Rooflines = []results.Roofline{{Backend: hostile, Device: hostile, Level: hostile, BandwidthGBps: 50, Notes: []string{hostile},
		Stream:   map[string]float64{"copy": 40},
		Ceilings: []results.Ceiling{{DType: compute.Float32, PeakGFLOPS: 400, TheoreticalGFLOPS: 500, Ridge: 8}}}}
	c := sampleCrossover()
	c.Base, c.Challenger, c.Notes = hostile, hostile+"2", []string{hostile}
	rep.Crossovers = []results.Crossover{c}
	rep.Transfers = []results.Transfer{{Backend: hostile, Device: hostile, Notes: []string{hostile},
		Upload: results.Link{PeakGBps: 1, HalfPeakBytes: 4096}, LatencyNs: 100, LatencyOf: hostile,
		Cases: []results.TransferCase{{Direction: results.Upload, Backend: hostile, N: 1024, DType: compute.Float32, Verified: true, Bytes: 4096, GBps: 1}}}}
	return rep
}

// TestTextShowsNamesEscaped: every table and text output shows a name
// from a file with its control characters escaped, never raw.
func TestTextShowsNamesEscaped(t *testing.T) {
	for name, text := range textOutputs(hostile) {
		checkShown(t, name, text)
		if name != "peers" && !strings.Contains(text, `\x1b[31mred\a`) {
			t.Errorf("%s: the name is not shown escaped:\n%s", name, text)
		}
	}
}

// TestTextNamesKeepToTheirLine: a newline in a name from a file is shown
// escaped, as \n, in every table and text output: it cannot start a line
// of its own that looks like gpubench's (a case "ok", a machine).
func TestTextNamesKeepToTheirLine(t *testing.T) {
	for name, text := range textOutputs("cpu\nFORGED") {
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "FORGED") {
				t.Errorf("%s: a name's newline starts a line:\n%s", name, text)
				break
			}
		}
	}
}

// textOutputs are the table and text outputs of a report whose every
// name from a file is hostile, by output.
func textOutputs(hostile string) map[string]string {
	rep := reportNamed(hostile)
	points := []KernelPoint{{Kernel: compute.Dot, Backend: hostile, DType: compute.Float32, Intensity: 0.25, GFLOPS: 1, Bound: 2, BoundBy: hostile}}
	sr := &results.ScaleReport{Kernel: compute.Dot, DType: compute.Float32, Backend: hostile,
		Points: []results.ScalePoint{{Workers: 1, Shape: hostile, Result: rep.Results[0], Speedup: 1, Efficiency: 1}}}
	out := map[string]string{}
	for name, write := range map[string]func(io.Writer){
		"table": func(w io.Writer) { Write(w, rep, FormatTable) },
		"peers": func(w io.Writer) { PeerRatios(w, rep) }, // rep has no peer: it prints nothing
		"compare": func(w io.Writer) {
			Comparison(w, []string{hostile, "b"}, []*results.Report{rep, rep}, results.Compare([]*results.Report{rep, rep}))
		},
		"crossover": func(w io.Writer) { CrossoverTable(w, rep) },
		"roofline":  func(w io.Writer) { RooflineTable(w, rep, points, hostile) },
		"transfer":  func(w io.Writer) { TransferTable(w, rep) },
		"scale":     func(w io.Writer) { ScaleTable(w, sr) },
		"info": func(w io.Writer) {
			Info(w, &Machine{Probe: &hwinfo.Info{CPU: hwinfo.CPU{Brand: hostile}}, Devices: rep.Devices})
		},
		"aligned": func(w io.Writer) { Aligned(w, [][]string{{"A", "B"}, {hostile, "x"}}, []bool{false, true}) },
	} {
		var b strings.Builder
		write(&b)
		out[name] = b.String()
	}
	return out
}

// TestPlotsAreXML: an SVG whose names hold XML's markup characters,
// control characters and bytes that are not UTF-8 is well-formed XML
// (encoding/xml reads it to the end), and shows those names escaped.
func TestPlotsAreXML(t *testing.T) {
	dir := t.TempDir()
	rep := hostileReport()
	points := []KernelPoint{{Kernel: compute.Dot, Backend: hostile, DType: compute.Float32, Intensity: 0.25, GFLOPS: 1}}
	sr := &results.ScaleReport{Kernel: compute.Dot, DType: compute.Float32, Backend: hostile,
		Points: []results.ScalePoint{{Workers: 1, Speedup: 1}, {Workers: 2, Speedup: 1.9}}}
	for name, plot := range map[string]func(string) error{
		"roofline":  func(p string) error { return PlotRoofline(p, rep.Rooflines, points) },
		"crossover": func(p string) error { return PlotCrossover(p, rep.Crossovers) },
		"scale":     func(p string) error { return PlotScale(p, sr) },
	} {
		p := filepath.Join(dir, name+".svg")
		if err := plot(p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkXML(t, name, b)
		if !bytes.Contains(b, []byte(`cpu&lt;&amp;&#34;&#39;&gt;\x1b[31mred\a\x00\u202e\t\xff\xfe`)) {
			t.Errorf("%s: the name is not in the SVG, escaped", name)
		}
	}
}

// checkXML fails unless b is well-formed XML to its end.
func checkXML(t *testing.T, name string, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Errorf("%s: not well-formed XML: %v", name, err)
			return
		}
	}
}

// TestHugeFiguresBounded: a figure a file holds, however large, small or
// odd (1e308, -1e308, NaN, ±Inf, 1e-320), is written in a few
// characters in every table: no run of more than a dozen digits.
func TestHugeFiguresBounded(t *testing.T) {
	for _, v := range []float64{1e308, -1e308, math.NaN(), math.Inf(1), math.Inf(-1), 1e-320, -5} {
		rep := hostileReport()
		for i := range rep.Results {
			r := &rep.Results[i]
			r.Err = ""
			r.MedianNs, r.MinNs, r.MaxNs, r.GFLOPS, r.GBps, r.PeakPct, r.Flops, r.Bytes = v, v, v, v, v, v, v, v
		}
		rep.Devices[0].PeakGFLOPS = map[compute.DType]float64{compute.Float32: v}
		rep.Rooflines[0].BandwidthGBps, rep.Rooflines[0].StreamBytes = v, v
		rep.Rooflines[0].Ceilings[0].PeakGFLOPS, rep.Rooflines[0].Ceilings[0].TheoreticalGFLOPS = v, 1
		for i := range rep.Crossovers[0].Points {
			p := &rep.Crossovers[0].Points[i]
			p.BaseNs, p.ChallengerNs, p.ChallengerE2E = v, 1, v
		}
		rep.Transfers[0].LatencyNs, rep.Transfers[0].Upload.PeakGBps, rep.Transfers[0].Upload.HalfPeakBytes = v, v, v
		rep.Transfers[0].Cases[0].Bytes, rep.Transfers[0].Cases[0].GBps = v, v
		points := []KernelPoint{{Kernel: compute.Dot, DType: compute.Float32, Intensity: v, GFLOPS: v, Bound: v, Share: v}}
		other := hostileReport()
		other.Results[0].MedianNs, other.Results[0].Verified, other.Results[0].MinNs = 1e-300, true, 1e-300
		rep.Results[0].Verified = true
		for name, write := range map[string]func(io.Writer){
			"table": func(w io.Writer) { Write(w, rep, FormatTable) },
			"compare": func(w io.Writer) {
				Comparison(w, []string{"a", "b"}, []*results.Report{rep, other}, results.Compare([]*results.Report{rep, other}))
			},
			"crossover": func(w io.Writer) { CrossoverTable(w, rep) },
			"roofline":  func(w io.Writer) { RooflineTable(w, rep, points, "") },
			"transfer":  func(w io.Writer) { TransferTable(w, rep) },
		} {
			var b strings.Builder
			write(&b)
			if m := longDigits.FindString(b.String()); m != "" {
				t.Errorf("%s with figures of %g: %d digits in a row:\n%s", name, v, len(m), b.String())
			}
		}
	}
}

// longDigits is a run of digits no figure a table shows needs.
var longDigits = regexp.MustCompile(`[0-9]{13,}`)
