package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// quickRun is a run of a second or less whose results a test writes.
var quickRun = []string{"run", "--backend", "cpu", "--kernel", "dot,sum", "--size", "1000", "--reps", "2", "-q"}

// binary is gpubench built once for these tests, the way a user gets it.
var binary string

func TestMain(m *testing.M) {
	// The test binary as gpubench, and as the gl probe's child that a
	// registry of newBackends(isolated) starts: this binary again.
	if os.Getenv(envAsGpubench) != "" || len(os.Args) > 1 && os.Args[1] == glProbeCommand {
		os.Exit(asGpubench())
	}
	dir, err := os.MkdirTemp("", "gpubench-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "gpubench")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	// Built before XDG_CACHE_HOME moves below: Go's build cache lives
	// there too, and an empty one rebuilds every package (a minute and
	// more with go-gl's cgo).
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building gpubench: " + err.Error())
	}
	// Every run keeps its report as last.json and the pinned clock as
	// clock.json in the user cache directory, and info reads them: give
	// the tests, the binary's and the in-process runs alike, a cache and
	// a home of their own rather than the user's.
	for name, sub := range map[string]string{"XDG_CACHE_HOME": "cache", "HOME": "home"} {
		if err := os.Setenv(name, filepath.Join(dir, sub)); err != nil {
			panic(err)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// gpubench runs the binary and returns stdout, stderr and the exit code.
func gpubench(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	return gpubenchTo(t, "", env, args...)
}

// gpubenchTo is gpubench with stdout sent to the file stdout where it is
// not empty (a device such as /dev/full; the stdout returned is then
// empty).
func gpubenchTo(t *testing.T, stdout string, env []string, args ...string) (string, string, int) {
	t.Helper()
	return run1(t, binary, stdout, env, args...)
}

// run1 runs the executable exe as gpubench, as gpubenchTo says.
func run1(t *testing.T, exe, stdout string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdout != "" {
		f, err := os.OpenFile(stdout, os.O_WRONLY, 0)
		if err != nil {
			t.Skipf("stdout to %s: %v", stdout, err)
		}
		defer f.Close()
		cmd.Stdout = f
	}
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(errb.String(), "goroutine ") || strings.Contains(errb.String(), "panic:") {
		t.Errorf("gpubench %v printed a stack trace:\n%s", args, errb.String())
	}
	return out.String(), errb.String(), code
}

func TestInfo(t *testing.T) {
	t.Parallel()
	out, _, code := gpubench(t, nil, "info")
	if code != 0 || !strings.Contains(out, "CPU") || !strings.Contains(out, "Peak") || !strings.Contains(out, "estimate") {
		t.Fatalf("info exit %d:\n%s", code, out)
	}
	out, _, code = gpubench(t, nil, "info", "--json")
	var m struct {
		Probe struct {
			CPU struct {
				LogicalCores int `json:"logical_cores"`
			} `json:"cpu"`
			Peak struct {
				GFLOPS32 float64 `json:"gflops_f32"`
			} `json:"peak"`
		} `json:"probe"`
		Devices []struct {
			Backend string `json:"backend"`
		} `json:"devices"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 {
		t.Fatalf("info --json exit %d: %v\n%s", code, err, out)
	}
	if m.Probe.CPU.LogicalCores < 1 || m.Probe.Peak.GFLOPS32 <= 0 || len(m.Devices) == 0 || m.Devices[0].Backend != "cpu" {
		t.Errorf("info --json: %+v", m)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	out, _, code := gpubench(t, nil, "list")
	for _, want := range []string{"saxpy", "gemm", "transpose", "cpu", "gl"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Errorf("list exit %d", code)
	}
	l := listJSON(t, []string{"GPUBENCH_GL=none"})
	if len(l.Kernels) != 11 {
		t.Errorf("list --json has %d kernels, want 11", len(l.Kernels))
	}
	for _, b := range l.Backends {
		if b.Name == "gl" && (b.Available || b.Reason == "") {
			t.Errorf("gl with GPUBENCH_GL=none: available %v, reason %q", b.Available, b.Reason)
		}
	}
}

// listing is the part of `gpubench list --json` the tests read.
type listing struct {
	Kernels  []struct{ Name string }
	Backends []struct {
		Name      string
		Available bool
		Reason    string
	}
}

// listJSON runs `gpubench list --json` with env and decodes it.
func listJSON(t *testing.T, env []string) listing {
	t.Helper()
	out, _, _ := gpubench(t, env, "list", "--json")
	var l listing
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	return l
}

// result is the part of a results file the tests read.
type result struct {
	Kernel    string  `json:"kernel"`
	Backend   string  `json:"backend"`
	Shape     string  `json:"shape"`
	DType     string  `json:"dtype"`
	Verified  bool    `json:"verified"`
	MaxAbsErr float64 `json:"max_abs_err"`
	MaxRelErr float64 `json:"max_rel_err"`
	Bound     float64 `json:"bound"`
	MedianNs  float64 `json:"median_ns"`
	MinNs     float64 `json:"min_ns"`
	GFLOPS    float64 `json:"gflops"`
	GBps      float64 `json:"gbps"`
	Reps      int     `json:"reps"`
}

type resultsFile struct {
	SchemaVersion int      `json:"schema_version"`
	Complete      bool     `json:"complete"`
	Results       []result `json:"results"`
	Probe         any      `json:"probe"`
	Build         struct {
		GoVersion string `json:"go_version"`
	} `json:"build"`
}

func TestRunJSON(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "r.json")
	stdout, stderr, code := gpubench(t, nil, "run", "--backend", "cpu", "--kernel", "saxpy,dot,gemm,transpose",
		"--size", "33", "--dtype", "all", "--reps", "3", "--format", "json", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, src := range []string{stdout, readFile(t, out)} {
		var r resultsFile
		if err := json.Unmarshal([]byte(src), &r); err != nil {
			t.Fatalf("results are not JSON: %v\n%s", err, src)
		}
		if r.SchemaVersion != 1 || !r.Complete || r.Probe == nil || r.Build.GoVersion == "" || len(r.Results) != 8 {
			t.Fatalf("report: schema %d complete %v, %d results", r.SchemaVersion, r.Complete, len(r.Results))
		}
		for _, c := range r.Results {
			if !c.Verified || c.Backend != "cpu" || c.Reps != 3 || c.MedianNs <= 0 || c.MinNs > c.MedianNs || c.Bound <= 0 && c.Kernel != "transpose" {
				t.Errorf("%+v", c)
			}
			if c.Kernel != "transpose" && c.GFLOPS <= 0 || c.GBps <= 0 {
				t.Errorf("%s: no rate: %+v", c.Kernel, c)
			}
		}
	}
}

func TestRunTableAndCSV(t *testing.T) {
	t.Parallel()
	stdout, _, code := gpubench(t, nil, "run", "--backend", "cpu", "--kernel", "gemv", "--size", "31x7", "--reps", "2")
	if code != 0 || !strings.Contains(stdout, "gemv") || !strings.Contains(stdout, "31x7") || !strings.Contains(stdout, " ok") {
		t.Fatalf("table exit %d:\n%s", code, stdout)
	}
	for _, line := range strings.Split(stdout, "\n") {
		if n := len([]rune(line)); n > 100 && strings.HasPrefix(line, "gemv") {
			t.Errorf("table row is %d columns wide, over 100: %q", n, line)
		}
	}
	stdout, _, code = gpubench(t, nil, "run", "--backend", "cpu", "--kernel", "sum", "--size", "5", "--reps", "2", "--format", "csv")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "kernel,backend") || !strings.HasPrefix(lines[1], "sum,cpu") {
		t.Fatalf("csv exit %d:\n%s", code, stdout)
	}
}

func TestRunDump(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "dump")
	_, stderr, code := gpubench(t, nil, "run", "--backend", "cpu", "--kernel", "gemm", "--size", "3x4x5", "--reps", "1", "--dump", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var idx struct {
		Cases []struct {
			Kernel, Backend, Shape, DType string
			Alpha, Beta                   float64
			Inputs                        map[string]string
			Output                        string
		}
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "index.json"))), &idx); err != nil || len(idx.Cases) != 1 {
		t.Fatalf("index.json: %v %+v", err, idx)
	}
	c := idx.Cases[0]
	if c.Kernel != "gemm" || c.Shape != "3x4x5" || c.Alpha != 1.5 || len(c.Inputs) != 3 {
		t.Errorf("index: %+v", c)
	}
	for _, f := range append([]string{c.Output}, c.Inputs["A"], c.Inputs["B"], c.Inputs["C"]) {
		if b := readFile(t, filepath.Join(dir, f)); !strings.HasPrefix(b, "\x93NUMPY") {
			t.Errorf("%s is not a .npy file", f)
		}
	}
}

// TestBadInput: every mistake a user can make gives a one-line error
// naming the problem and the documented exit code, never a stack trace.
func TestBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		args []string
		env  []string
		code int
		msg  string
	}{
		{[]string{"run", "--kernel", "nope"}, nil, 2, "unknown kernel"},
		{[]string{"run", "--backend", "nope"}, nil, 2, "unknown backend"},
		{[]string{"run", "--kernel", "dot", "--size", "0"}, nil, 2, "must be positive"},
		{[]string{"run", "--kernel", "dot", "--size", "-3"}, nil, 2, "must be positive"},
		{[]string{"run", "--kernel", "dot", "--size", "12ab"}, nil, 2, "not a whole number"},
		{[]string{"run", "--kernel", "dot", "--size", "3x4"}, nil, 2, "dot takes"},
		{[]string{"run", "--kernel", "gemv", "--size", "3x4x5"}, nil, 2, "gemv takes"},
		{[]string{"run", "--kernel", "gemm", "--size", "1000000"}, nil, 2, "of memory"},
		{[]string{"run", "--reps", "0"}, nil, 2, "--reps"},
		{[]string{"run", "--workers", "-1"}, nil, 2, "--workers -1"},
		{[]string{"run", "--workers", "100000"}, nil, 2, "--workers 100000"},
		{[]string{"run", "--format", "xml"}, nil, 2, "--format"},
		{[]string{"run", "--dtype", "float16"}, nil, 2, "dtype"},
		{[]string{"run", "--kernel", "dot", "--out", filepath.Join(dir, "no", "such", "r.json")}, nil, 2, "not writable"},
		{[]string{"run", "--kernel", "dot", "--out", dir}, nil, 2, "is a directory"},
		{[]string{"run", "--kernel", "dot", "--dump", "/proc/version/x"}, nil, 2, "--dump"},
		{[]string{"run", "--bogus"}, nil, 2, "unknown flag"},
		{[]string{"frobnicate"}, nil, 2, "unknown command"},
		{[]string{"run", "--backend", "gl", "--kernel", "dot", "--size", "8"}, []string{"GPUBENCH_GL=none"}, 3, "gl"},
	}
	for _, c := range cases {
		_, stderr, code := gpubench(t, c.env, c.args...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("gpubench %s: exit %d, stderr %q; want exit %d mentioning %q", strings.Join(c.args, " "), code, stderr, c.code, c.msg)
		}
		if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 && c.code != 3 {
			t.Errorf("gpubench %s: error is %d lines, want one:\n%s", strings.Join(c.args, " "), n+1, stderr)
		}
	}
}

// TestAutoFallsBack: with gl unavailable, auto runs on the CPU, labels
// its rows with the backend it chose, and says why.
func TestAutoFallsBack(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := gpubench(t, []string{"GPUBENCH_GL=none"}, "run", "--backend", "auto", "--kernel", "sum", "--size", "100", "--reps", "1")
	if code != 0 || !strings.Contains(stdout, "auto chose cpu") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
	row := strings.Fields(strings.Split(stdout, "\n")[1])
	if len(row) < 4 || row[0] != "sum" || !strings.HasPrefix(row[3], "cpu") {
		t.Errorf("the row of auto is %q, want it labelled with the backend auto chose (cpu)", row)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInterruptKeepsFinishedCases: SIGINT and SIGTERM mid-run stop the
// current case, write the finished ones marked incomplete, and exit 128
// + the signal's number.
func TestInterruptKeepsFinishedCases(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT or SIGTERM on windows")
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			r, _ := interruptMidRun(t, "cpu", sig)
			for _, c := range r.Results {
				if !c.Verified || c.MedianNs <= 0 {
					t.Errorf("a case in the file did not finish: %+v", c)
				}
			}
		})
	}
}

// interruptMidRun sends sig to a run of 21 short cases (7 kernels × 3
// sizes; gl off) with --backend backend once two are done, checks that it exits 128 + sig's number with an
// incomplete --out file holding the cases that finished, and returns
// that file and the run.
func interruptMidRun(t *testing.T, backend string, sig os.Signal) (resultsFile, *started) {
	t.Helper()
	dir := t.TempDir()
	out, dump := filepath.Join(dir, "r.json"), filepath.Join(dir, "dump")
	run := startRun(t, "run", "--backend", backend, "--kernel", "copy,scale,add,triad,saxpy,dot,sum",
		"--size", "1000,2000,3000", "--reps", "200", "--min-rep-time", "2ms", "--out", out, "--format", "json", "-q", "--dump", dump)
	run.waitDumped(t, dump, 2)
	run.cmd.Process.Signal(sig)
	if want, code := 128+int(sig.(syscall.Signal)), run.wait(t, hangGuard); code != want {
		t.Fatalf("exit %d, want %d; stderr: %s", code, want, run.stderr)
	}
	var r resultsFile
	if err := json.Unmarshal([]byte(readFile(t, out)), &r); err != nil {
		t.Fatalf("results after %v: %v", sig, err)
	}
	if r.Complete || len(r.Results) == 0 || len(r.Results) >= 21 {
		t.Errorf("after %v: complete %v with %d results, want an incomplete file with the finished cases", sig, r.Complete, len(r.Results))
	}
	return r, run
}

func TestCompareAndBenchfmt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	for _, f := range []string{a, b} {
		if _, stderr, code := gpubench(t, nil, "run", "--backend", "cpu", "--kernel", "dot,sum", "--size", "1000", "--reps", "3", "--out", f, "-q"); code != 0 {
			t.Fatalf("run: %d %s", code, stderr)
		}
	}
	stdout, stderr, code := gpubench(t, nil, "compare", a, b)
	if code != 0 || !strings.Contains(stdout, "dot/cpu/1000/float32") || !strings.Contains(stdout, "[1] SPEED") {
		t.Fatalf("compare exit %d: %s\n%s", code, stderr, stdout)
	}
	trunc := filepath.Join(dir, "t.json")
	os.WriteFile(trunc, []byte(readFile(t, a)[:100]), 0o644)
	if _, stderr, code := gpubench(t, nil, "compare", a, trunc); code != 2 || !strings.Contains(stderr, "truncated") {
		t.Errorf("compare with a truncated file: exit %d, %s", code, stderr)
	}
	if _, stderr, code := gpubench(t, nil, "compare", a); code != 2 || !strings.Contains(stderr, "2 arg") {
		t.Errorf("compare with one file: exit %d, %s", code, stderr)
	}
	stdout, _, code = gpubench(t, nil, "run", "--backend", "cpu", "--kernel", "dot", "--size", "1000", "--reps", "3", "--format", "benchfmt")
	if code != 0 || strings.Count(stdout, "BenchmarkDot/backend=cpu/n=1000/dtype=float32-") != 3 || !strings.Contains(stdout, "ns/op") {
		t.Errorf("benchfmt:\n%s", stdout)
	}
}

func TestScale(t *testing.T) {
	t.Parallel()
	svg := filepath.Join(t.TempDir(), "s.svg")
	stdout, stderr, code := gpubench(t, nil, "scale", "--kernel", "saxpy", "--size", "64Ki", "--workers", "1,2,3", "--reps", "5", "--out", svg)
	if code != 0 {
		t.Fatalf("scale exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Amdahl fit: serial fraction p =", "predicted speedup", "limit 1/p", "WORKERS", "EFFICIENCY"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("scale output lacks %q:\n%s", want, stdout)
		}
	}
	if runtime.GOMAXPROCS(0) < 3 && !strings.Contains(stdout, "over-subscription") {
		t.Errorf("3 workers on %d CPUs not called over-subscription:\n%s", runtime.GOMAXPROCS(0), stdout)
	}
	checkSVG(t, svg, "measured", "ideal", "Amdahl")
	if _, stderr, code := gpubench(t, nil, "scale", "--kernel", "saxpy", "--workers", "0"); code != 2 || !strings.Contains(stderr, "--workers") {
		t.Errorf("scale --workers 0: exit %d %s", code, stderr)
	}
	if _, stderr, code := gpubench(t, nil, "scale", "--kernel", "saxpy", "--out", "x.pdf"); code != 2 || !strings.Contains(stderr, ".svg or .png") {
		t.Errorf("scale --out x.pdf: exit %d %s", code, stderr)
	}
}

// checkSVG parses an SVG file as XML and checks that every label appears
// in its text elements.
func checkSVG(t *testing.T, path string, labels ...string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var text strings.Builder
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not valid XML: %v", path, err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = v.Name.Local
			}
		case xml.CharData:
			text.Write(v)
		}
	}
	if root != "svg" {
		t.Fatalf("%s: root element %q, want svg", path, root)
	}
	for _, l := range labels {
		if !strings.Contains(text.String(), l) {
			t.Errorf("%s has no text %q", path, l)
		}
	}
}

// checkInterrupted checks that out holds the finished cases of an
// interrupted run: at least one, each verified, none of the shape that
// was still running (its cases do not finish in a test's time).
func checkInterrupted(t *testing.T, out, running string) {
	t.Helper()
	var r resultsFile
	if err := json.Unmarshal([]byte(readFile(t, out)), &r); err != nil {
		t.Fatalf("results: %v", err)
	}
	if r.Complete || len(r.Results) == 0 {
		t.Errorf("complete %v with %d results; want the finished cases, marked incomplete", r.Complete, len(r.Results))
	}
	for _, c := range r.Results {
		if !c.Verified || c.Shape == running {
			t.Errorf("a case that did not finish is in the file: %+v", c)
		}
	}
}

// TestInterruptWithinCase: a case of many repetitions gives way to
// SIGINT at its next repetition, not after them all: the run ends with
// the cases that finished, the interrupted one left out.
func TestInterruptWithinCase(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT on windows")
	}
	dir := t.TempDir()
	out, dump := filepath.Join(dir, "r.json"), filepath.Join(dir, "dump")
	// 100000 repetitions of fma 16x4 or 17x4 take milliseconds; of fma
	// 1Mix256, a millisecond each, minutes. The signal comes once the
	// second small case is dumped (the first has finished) and the run
	// has since spent a second of processor time (in the long case).
	run := startRun(t, "run", "--backend", "cpu", "--kernel", "fma", "--size", "16x4,17x4,1Mix256",
		"--reps", "100000", "--min-rep-time", "0", "--warmup", "0", "--min-warmup-time", "0", "--out", out, "-q", "--dump", dump)
	run.waitDumped(t, dump, 2)
	run.waitBusy(t, time.Second)
	run.cmd.Process.Signal(os.Interrupt)
	if code := run.wait(t, hangGuard); code != 130 {
		t.Fatalf("exit %d, want 130; stderr: %s", code, run.stderr)
	}
	checkInterrupted(t, out, "1048576x256")
}

// TestSecondSignalWrites: a single kernel call that runs for many
// seconds cannot be cut short; a second SIGINT leaves it behind, and the
// finished cases are written all the same. The call
// runs on every worker, in assembly that Go cannot preempt: its sections
// are cut into calls of bounded work (cpu's maxCallCost) so that the
// signal's goroutine gets a processor.
func TestSecondSignalWrites(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT on windows")
	}
	dir := t.TempDir()
	out, dump := filepath.Join(dir, "r.json"), filepath.Join(dir, "dump")
	// fma 16Mi elements × 4Mi steps is 1.4·10¹⁴ FLOP in one call:
	// minutes on two cores, so a run that waited for it would meet the
	// guard of a minute first (the chains stay 4Mi steps, so the calls
	// it is cut into stay short). The first signal comes once the small
	// cases are done and the long call has had a second of processor
	// time.
	run := startRun(t, "run", "--backend", "cpu", "--kernel", "fma", "--size", "16x4,17x4,16Mix4Mi",
		"--reps", "1", "--warmup", "1", "--min-warmup-time", "0", "--out", out, "-q", "--dump", dump)
	run.waitDumped(t, dump, 2)
	run.waitBusy(t, time.Second)
	run.cmd.Process.Signal(os.Interrupt)
	// os/signal merges a signal that comes before the last one was
	// received: leave the first time to be.
	time.Sleep(500 * time.Millisecond)
	run.cmd.Process.Signal(os.Interrupt)
	if code := run.wait(t, time.Minute); code != 130 {
		t.Fatalf("exit %d, want 130; stderr: %s", code, run.stderr)
	}
	checkInterrupted(t, out, "16777216x4194304")
}

// glAvailable skips the test where this machine has no OpenGL 4.3
// context at all (unless GPUBENCH_REQUIRE_GL=1): the faults below are
// made on a driver that works.
func glAvailable(t *testing.T) {
	t.Helper()
	for _, b := range listJSON(t, nil).Backends {
		if b.Name == "gl" && !b.Available {
			if os.Getenv("GPUBENCH_REQUIRE_GL") == "1" {
				t.Fatalf("gl unavailable (GPUBENCH_REQUIRE_GL=1): %s", b.Reason)
			}
			t.Skipf("gl unavailable here: %s", b.Reason)
		}
	}
}
