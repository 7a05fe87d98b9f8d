package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/perf/benchfmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// Format is a way of writing results: a table for people, or JSON, CSV
// or the Go benchmark format for tools.
type Format string

// The formats Write knows.
const (
	FormatTable    Format = "table"
	FormatJSON     Format = "json"
	FormatCSV      Format = "csv"
	FormatBenchfmt Format = "benchfmt" // golang.org/x/perf/benchfmt, for benchstat
)

// Formats lists every Format, in the order a help text names them.
func Formats() []Format { return []Format{FormatTable, FormatJSON, FormatCSV, FormatBenchfmt} }

// String returns the format's name, as ParseFormat reads it.
func (f Format) String() string { return string(f) }

// ParseFormat reads a format's name: table, json, csv or benchfmt. An
// unknown name is an error wrapping compute.ErrUsage.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if s == string(f) {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w: unknown format %q: use table, json, csv or benchfmt", compute.ErrUsage, s)
}

// Write writes rep to w in format f. An unknown format is an error
// wrapping compute.ErrUsage, and nothing is written.
func Write(w io.Writer, rep *results.Report, f Format) error {
	switch f {
	case FormatTable:
		return writeTable(w, rep)
	case FormatJSON:
		return JSON(w, rep)
	case FormatCSV:
		return writeCSV(w, rep)
	case FormatBenchfmt:
		return writeBenchfmt(w, rep)
	}
	return fmt.Errorf("%w: unknown format %q: use table, json, csv or benchfmt", compute.ErrUsage, string(f))
}

// Save writes rep to path atomically: JSON, or CSV for a .csv path.
func Save(path string, rep *results.Report) error {
	var b strings.Builder
	var err error
	if strings.HasSuffix(strings.ToLower(path), ".csv") {
		err = writeCSV(&b, rep)
	} else {
		err = JSON(&b, rep)
	}
	if err != nil {
		return err
	}
	return results.WriteFileAtomic(path, []byte(b.String()))
}

// JSON writes v as indented JSON.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func csvHeader() []string {
	return []string{"kernel", "backend", "level", "shape", "dtype", "verified", "max_abs_err", "max_rel_err", "bound", "err_over_bound",
		"median_ns", "min_ns", "max_ns", "cv", "gflops", "gbps", "peak_pct", "upload_gbps", "download_gbps", "reps", "error", "checked", "elements"}
}

// writeCSV writes one row per case of rep. A figure that is not known
// is an empty field, never 0 (a share of a peak that was not measured,
// the times and element counts of a case that did not run, the GFLOP/s
// of a kernel that does no arithmetic): the cells the table leaves blank or marks "-".
// Names read from a file (a backend, an error) are kept as they are,
// quoted where CSV needs it.
func writeCSV(w io.Writer, rep *results.Report) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader())
	for _, c := range caseRows(rep) {
		r := c.r
		ran := r.Err == "" && r.Skipped == ""
		timed := ran && r.Reps > 0
		msg := r.Err + r.Skipped + r.Mismatch
		cw.Write([]string{c.name, r.Backend, r.Level, c.shape, r.DType.String(), strconv.FormatBool(r.Verified),
			csvFigure(ran, r.MaxAbsErr), csvFigure(ran, r.MaxRelErr), csvFigure(ran, r.Bound), csvFigure(ran && !math.IsInf(r.Bound, 0), r.ErrRatio),
			csvFigure(timed, r.MedianNs), csvFigure(timed, r.MinNs), csvFigure(timed, r.MaxNs), csvFigure(timed, r.CV),
			csvFigure(timed && r.Flops != 0, r.GFLOPS), csvFigure(timed && r.Bytes != 0, r.GBps),
			csvFigure(timed && (r.PeakOf == results.PeakOfBandwidth || r.PeakPct > 0), r.PeakPct),
			csvFigure(r.UploadGBps > 0, r.UploadGBps), csvFigure(r.DownloadGBps > 0, r.DownloadGBps),
			strconv.Itoa(r.Reps), msg, csvCount(ran, r.Checked), csvCount(ran, r.Elements)})
	}
	cw.Flush()
	return cw.Error()
}

// csvCount writes n where it is known, and nothing where it is not: a
// case that could not run (a driver that crashed in it) or was
// unsupported has no output, and its results count 0 elements checked
// of 0, not the case's.
func csvCount(known bool, n int) string {
	if !known {
		return ""
	}
	return strconv.Itoa(n)
}

// csvFigure writes x to six significant digits where it is known, and
// nothing where it is not.
func csvFigure(known bool, x float64) string {
	if !known {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// noisyCV is the coefficient of variation above which a timing is
// flagged: beyond 10 % the median moves visibly between runs.
const noisyCV = 0.10

// writeTable prints one row per case and backend, then what the reader
// needs to trust the figures: the devices, and any failures in full.
func writeTable(w io.Writer, rep *results.Report) error {
	w = PrintableTo(w)
	rows := [][]string{{"KERNEL", "SHAPE", "DTYPE", "BACKEND", "TIME", "GFLOP/S", "GB/S", "PEAK", "ERR/BOUND", "CHECK"}}
	var notes []string
	sampled := 0 // elements of a sampled check, for the legend
	// What the legend explains: a share of the bandwidth, a case bound
	// by memory without one, a case resident in a cache.
	var ofBandwidth, noBandwidth, resident bool
	for _, c := range caseRows(rep) {
		r := c.r
		check := "ok"
		// A check on a sample is marked * and the legend says what the
		// sample was: "ok (4096 sampled)" would take a table of every
		// kernel at 4096 past 100 columns.
		mark := ""
		if r.Checked < r.Elements {
			mark = "*"
			sampled = r.Checked
		}
		switch {
		case r.Skipped != "":
			check = "unsupported"
			notes = append(notes, fmt.Sprintf("%s/%s %s %v unsupported: %s", c.name, r.Backend, c.shape, r.DType, r.Skipped))
		case r.Err != "":
			check = "ERROR"
			notes = append(notes, fmt.Sprintf("%s/%s %s: %s", c.name, r.Backend, c.shape, r.Err))
		case !r.Verified:
			check = "FAIL" + mark
			msg := r.Mismatch
			if mark != "" {
				msg += fmt.Sprintf(" (in a sample of %d of %d elements)", r.Checked, r.Elements)
			}
			notes = append(notes, fmt.Sprintf("%s/%s %s: %s", c.name, r.Backend, c.shape, msg))
		case r.Software:
			check = "ok (sw)" + mark
		default:
			check += mark
		}
		backend := r.Backend
		if r.Level != "" && r.Backend == "cpu" {
			backend += "/" + r.Level
		}
		row := []string{c.name, c.shape, r.DType.String(), backend, "", "", "", "", "", check}
		if r.Err == "" && r.Skipped == "" {
			t := formatDuration(r.MedianNs)
			if r.CV > noisyCV {
				t += "~"
			}
			row[4] = t
			row[5] = formatRate(r.GFLOPS, r.Flops)
			row[6] = formatRate(r.GBps, r.Bytes)
			if r.Resident != "" {
				// Where it matters: this GB/s is the cache's.
				row[6] += " " + r.Resident
				resident = true
			}
			switch {
			case r.PeakOf == results.PeakOfBandwidth:
				row[7] = fixed(r.PeakPct, 0) + "% bw"
				ofBandwidth = true
			case r.PeakPct > 0:
				row[7] = fixed(r.PeakPct, 0) + "%"
			case r.BoundByMemory(0, 0) && !c.transfer:
				noBandwidth = true
			}
			if !math.IsInf(r.Bound, 0) {
				row[8] = fmt.Sprintf("%.2g", r.ErrRatio)
			}
		}
		rows = append(rows, row)
	}
	Aligned(w, rows, []bool{false, true, false, false, true, true, true, true, true, false})
	fmt.Fprintln(w)
	peaks := FMAPeaks(rep)
	for _, d := range rep.Devices {
		line := fmt.Sprintf("%s: %s", d.Backend, d.Name)
		if d.Level != "" {
			line += ", " + d.Level
		}
		if d.Workers > 0 {
			line += ", " + nWorkers(d.Workers)
		}
		if p := d.PeakGFLOPS; len(p) > 0 {
			line += ", peak est. " + fixed(p[1], 0) + " GFLOP/s f32"
		}
		if m := formatMeasured(peaks[d.Backend], d.PeakGFLOPS); m != "" {
			line += "; " + m
		}
		if d.Software {
			line += " (software renderer: its figures check correctness, not speed)"
		}
		fmt.Fprintln(w, line)
		for _, n := range d.Notes {
			fmt.Fprintln(w, "  "+n)
		}
	}
	fmt.Fprintln(w, "TIME is the median per run; ~ marks a noisy timing (CV > 10%). ERR/BOUND is the largest error over its derived bound.")
	if ofBandwidth {
		fmt.Fprintln(w, "PEAK is GFLOP/s over the peak estimate; bw marks a kernel bound by memory: its GB/s over the memory bandwidth measured:")
		for _, b := range rep.Bandwidths {
			fmt.Fprintf(w, "  %s %s GB/s, from the %s\n", b.Backend, formatRate(b.GBps, 1), b.From)
		}
	}
	if noBandwidth {
		fmt.Fprintln(w, "PEAK is blank for a kernel bound by memory on a device whose memory bandwidth was not measured: 'gpubench roofline' measures it, and later runs use it.")
	}
	if resident {
		fmt.Fprintln(w, "L1, L2, L3 after GB/S: the case's operands fit in that CPU cache (L1 and L2 counted per worker's core): its GB/s is the cache's, not memory's.")
		if ofBandwidth {
			fmt.Fprintf(w, "  L3 on a kernel bound by memory only where it ran past %g× the memory bandwidth: a VM's L3 can be its host's.\n", results.L3Evidence)
		}
	}
	if sampled > 0 {
		fmt.Fprintf(w, "* checked on a sample of %d elements (tile edges and a seeded draw), a gemm's every row and column by probes; a full verification checks all.\n", sampled)
	}
	if !rep.Complete {
		fmt.Fprintln(w, "INCOMPLETE: the run was interrupted; only finished cases are shown.")
	}
	for _, n := range notes {
		fmt.Fprintln(w, "! "+n)
	}
	return nil
}

// Aligned prints rows as columns, right-aligning where right[i]. A cell
// is shown as Printable writes it, and measured so.
func Aligned(w io.Writer, rows [][]string, right []bool) {
	shown := make([][]string, len(rows))
	width := make([]int, len(rows[0]))
	for j, r := range rows {
		shown[j] = make([]string, len(r))
		for i, c := range r {
			shown[j][i] = Printable(c)
			width[i] = max(width[i], utf8.RuneCountInString(shown[j][i]))
		}
	}
	for _, r := range shown {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// formatDuration writes ns with a unit chosen for the value, to 0.1 ns
// below 10 ns (a cache's load latency). A figure no run takes (negative,
// not a number, beyond a day) is written in a few digits all the same:
// files hold what their writers put there, 1e308 included.
func formatDuration(ns float64) string {
	switch {
	case !(ns >= 0 && ns < 864e11):
		return strconv.FormatFloat(ns/1e9, 'g', 3, 64) + " s"
	case ns < 10:
		return fmt.Sprintf("%.1f ns", ns)
	case ns < 1e3:
		return fmt.Sprintf("%.0f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	case ns < 1e9:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	}
	return fmt.Sprintf("%.2f s", ns/1e9)
}

// formatRate writes a GFLOP/s or GB/s figure, blank where the kernel
// does no such work (copy has no FLOPs).
func formatRate(v, amount float64) string {
	switch {
	case amount == 0:
		return "-"
	case v >= 100:
		return fixed(v, 0)
	case v >= 10:
		return fixed(v, 1)
	}
	return fixed(v, 2)
}

// maxFixed bounds the figures fixed writes with decimals: beyond it a
// figure is written as 1.23e+12, in a few characters however large.
const maxFixed = 1e9

// fixed writes v with prec decimals where it is below maxFixed in
// magnitude, else (and for NaN and ±Inf) to three significant digits:
// every figure a table shows is a few characters wide, whatever a file
// held.
func fixed(v float64, prec int) string {
	if math.Abs(v) < maxFixed {
		return strconv.FormatFloat(v, 'f', prec, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// writeBenchfmt writes the results in the Go benchmark format with
// x/perf's benchfmt writer, one line per repetition, so that benchstat
// compares two runs, or pivots one run's backends against each other
// (benchstat -col /backend): every part of a name but the kernel is
// key=value, and the devices are configuration lines.
//
//	cpu: AMD EPYC 9R14
//	gpu: llvmpipe (LLVM 15.0.6, 256 bits)
//	BenchmarkGemm/backend=cpu/m=512/n=512/k=512/dtype=float32-2  1  4153211 ns/op  64.6 GFLOP/s  1.01 GB/s
//
// The iteration count is the runs per repetition; -N is GOMAXPROCS.
func writeBenchfmt(w io.Writer, rep *results.Report) error {
	bw := benchfmt.NewWriter(w)
	res := &benchfmt.Result{}
	// Lines of the file's configuration, written once before the
	// results (Result.SetConfig would make them the results' own, which
	// the writer does not print).
	config := func(key, value string) {
		if value != "" {
			res.Config = append(res.Config, benchfmt.Config{Key: key, Value: []byte(value), File: true})
		}
	}
	if p := rep.Probe; p != nil {
		config("goos", p.OS)
		config("goarch", p.Arch)
		config("pkg", "github.com/gpubench/gpubench")
		config("cpu", p.CPU.Brand)
	}
	for _, d := range rep.Devices {
		if d.GPU != nil {
			config("gpu", d.Name)
			break
		}
	}
	if rep.Build.Version != "" {
		config("gpubench", rep.Build.String())
	}
	procs := 1
	if rep.Probe != nil {
		procs = rep.Probe.GOMAXPROCS
	}
	for _, c := range caseRows(rep) {
		r := c.r
		if r.Err != "" || r.Skipped != "" || !r.Verified {
			continue
		}
		res.Name = benchfmt.Name(fmt.Sprintf("%s/backend=%s/%s/dtype=%s-%d", strings.ToUpper(c.name[:1])+c.name[1:],
			strings.ReplaceAll(r.Backend, "/", "-"), c.keys, r.DType, procs))
		res.Iters = max(r.Inner, 1)
		times := r.TimesNs
		if len(times) == 0 {
			times = []float64{r.MedianNs}
		}
		for _, ns := range times {
			res.Values = append(res.Values[:0], benchfmt.Value{Value: ns, Unit: "ns/op"})
			if r.Flops > 0 {
				res.Values = append(res.Values, benchfmt.Value{Value: r.Flops / ns, Unit: "GFLOP/s"})
			}
			if r.Bytes > 0 {
				res.Values = append(res.Values, benchfmt.Value{Value: r.Bytes / ns, Unit: "GB/s"})
			}
			if err := bw.Write(res); err != nil {
				return err
			}
		}
	}
	return nil
}

// nWorkers is "1 worker", "2 workers".
func nWorkers(n int) string {
	if n == 1 {
		return "1 worker"
	}
	return fmt.Sprintf("%d workers", n)
}
