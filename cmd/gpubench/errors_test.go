package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// golden is a results file in the repository's testdata/results.
func golden(name string) string { return filepath.Join("..", "..", "testdata", "results", name) }

// noGL keeps the gl backend out of tests that do not need it: no context
// is probed, so each run starts faster.
var noGL = []string{"GPUBENCH_GL=none"}

// row is one line of the error catalogue: a command line, and the exit
// code and a part of the message it gives.
type row struct {
	name string
	args []string
	code int
	msg  string
}

// faultRow is a row whose fault is made by the environment: env added
// (instead of noGL), and stdout sent to a file where set; self runs the
// test binary as gpubench (gpubenchSelf), for faults made there.
type faultRow struct {
	row
	env    []string
	stdout string
	self   bool
}

// TestErrorCatalogue is docs/errors.md's "Errors" table: every input a user can
// get wrong, and every fault of the machine gpubench meets, with the
// message (a part of it, in any case: a setting compute checks is named
// by its field, Device, and printed as its flag) and the exit code it
// gives. Each is one line on stderr, never a stack trace (gpubench
// checks).
func TestErrorCatalogue(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	rootCanWrite := os.Getuid() == 0 // root writes into a 0555 directory
	fifo, roFile := fifoAndReadOnly(t, dir)
	cases := []row{
		{"unknown kernel", []string{"run", "--kernel", "nope"}, 2, `unknown kernel "nope": known kernels are copy`},
		{"unknown backend", []string{"run", "--backend", "nope"}, 2, `unknown backend "nope": known backends are cpu`},
		{"unknown format", []string{"run", "--format", "xml"}, 2, `invalid argument "xml" for "--format" flag: unknown format "xml": use table, json, csv or benchfmt`},
		{"a format the command does not write", []string{"roofline", "--format", "csv"}, 2, `unknown format "csv": use table or json`},
		{"unknown dtype", []string{"run", "--dtype", "float16"}, 2, `unknown dtype "float16"`},
		{"unknown inputs", []string{"run", "--inputs", "bogus"}, 2, `unknown --inputs "bogus": use standard, or special`},
		{"malformed size", []string{"run", "--kernel", "dot", "--size", "12ab"}, 2, `size "12ab" is not a whole number`},
		{"a flag's number malformed", []string{"run", "--warmup", "1e9"}, 2, `invalid argument "1e9" for "--warmup" flag: not a whole number`},
		{"a flag's number too large", []string{"run", "--reps", "99999999999999999999"}, 2, `invalid argument "99999999999999999999" for "--reps" flag: beyond the largest whole number a flag takes`},
		{"a flag's duration too long", []string{"run", "--min-rep-time", "3000000h"}, 2, `invalid argument "3000000h" for "--min-rep-time" flag: not a duration gpubench takes: use a number and a unit, e.g. 500ms, 2s or 1m30s, up to 2562047h`},
		{"malformed shape", []string{"run", "--kernel", "dot", "--size", "1x"}, 2, `malformed size "1x": use N, MxN or MxNxK`},
		{"empty size", []string{"run", "--kernel", "dot", "--size", ""}, 2, `--size is empty`},
		{"an empty size in a list", []string{"run", "--kernel", "dot", "--size", "8,"}, 2, `malformed size ""`},
		{"no kernel", []string{"run", "--kernel", ""}, 2, `--kernel names no kernel`},
		{"zero size", []string{"run", "--kernel", "dot", "--size", "0"}, 2, `size "0" must be positive`},
		{"negative size", []string{"run", "--kernel", "dot", "--size", "-3"}, 2, `size "-3" must be positive`},
		{"size beyond MaxDim", []string{"run", "--kernel", "dot", "--size", "1099511627777"}, 2, `is beyond 1099511627776`},
		{"matrix size for a vector kernel", []string{"run", "--kernel", "dot", "--size", "3x4"}, 2, `dot takes a length N, not "3x4"`},
		{"two dimensions for gemm", []string{"run", "--kernel", "gemm", "--size", "3x4"}, 2, `gemm takes MxNxK (or N for square)`},
		{"three dimensions for gemv", []string{"run", "--kernel", "gemv", "--size", "3x4x5"}, 2, `gemv takes MxN (or N for square)`},
		{"beyond host memory", []string{"run", "--backend", "cpu", "--kernel", "gemm", "--size", "1000000"}, 2, `needs about 18.6 TiB of memory and`},
		{"no repetitions", []string{"run", "--reps", "0"}, 2, `--reps 0: at least one repetition is needed`},
		{"negative warm-up", []string{"run", "--warmup", "-1"}, 2, `--warmup -1: use 0 or more`},
		{"negative warm-up time", []string{"run", "--min-warmup-time", "-1s"}, 2, `--min-warmup-time -1s: use 0 or more`},
		{"negative workers", []string{"run", "--workers", "-1"}, 2, `--workers -1: use 0 (one per logical CPU) up to 4096`},
		{"absurd workers", []string{"run", "--workers", "100000"}, 2, `--workers 100000: use 0 (one per logical CPU) up to 4096`},
		{"absurd workers in a sweep", []string{"scale", "--kernel", "saxpy", "--workers", "1,100000"}, 2, `--workers 100000: give counts from 1 to 4096, or max`},
		{"scale with no workers", []string{"scale", "--kernel", "saxpy", "--workers", "0"}, 2, `--workers`},
		{"--out in a missing directory", []string{"run", "--kernel", "dot", "--out", filepath.Join(dir, "no", "r.json")}, 2, `is not writable: cannot create a file in ` + filepath.Join(dir, "no") + `: no such file or directory`},
		{"--out is a directory", []string{"run", "--kernel", "dot", "--out", dir}, 2, `is a directory`},
		{"--out is a named pipe", []string{"run", "--kernel", "dot", "--out", fifo}, 2, `is a named pipe (FIFO): gpubench writes regular files only`},
		{"--out is a device", []string{"run", "--kernel", "dot", "--out", "/dev/null"}, 2, `is a device: gpubench writes regular files only`},
		{"--out is a read-only file", []string{"run", "--kernel", "dot", "--out", roFile}, 2, `is read-only (mode 0444)`},
		{"nothing ran", []string{"run", "--backend", "gonum", "--kernel", "fma", "--size", "64", "--reps", "1"}, 3,
			`nothing ran: every case is unsupported (gonum does not run fma)`},
		{"device below -1", []string{"run", "--device", "-2"}, 2, `--device -2: use the index of a device the backend lists, or -1 for its own choice; see 'gpubench list --devices'`},
		{"--dump under a file", []string{"run", "--kernel", "dot", "--dump", "/proc/version/x"}, 2, `--dump /proc/version/x`},
		{"compare a truncated file", []string{"compare", golden("v1.json"), golden("truncated.json")}, 2, `ends early: a truncated results file`},
		{"compare a file that is not JSON", []string{"compare", golden("v1.json"), golden("not-json.json")}, 2, `is not JSON`},
		{"compare another schema_version", []string{"compare", golden("v1.json"), golden("schema-v2.json")}, 2, `has schema_version 2; this gpubench reads 1`},
		{"compare an empty file", []string{"compare", golden("v1.json"), golden("empty.json")}, 2, `is empty, not a results file`},
		{"compare a file of the wrong shape", []string{"compare", golden("v1.json"), golden("wrong-type.json")}, 2, `is not a gpubench results file`},
		{"compare a missing file", []string{"compare", golden("v1.json"), filepath.Join(dir, "none.json")}, 2, `no such file`},
		{"compare one file", []string{"compare", golden("v1.json")}, 2, `requires at least 2 arg`},
		{"crossover with one backend", []string{"crossover", "--backend", "cpu"}, 2, `name two backends, the CPU one to beat and the GPU one`},
		{"crossover in two dtypes", []string{"crossover", "--dtype", "all"}, 2, `a crossover takes one dtype`},
		{"crossover with a negative time limit", []string{"crossover", "--max-run-time", "-1s"}, 2, `--max-run-time -1s: use 0 (no limit) or more`},
		{"crossover --from a file without one", []string{"crossover", "--from", golden("v1.json")}, 2, `holds no crossover`},
		{"roofline --from a file without one", []string{"roofline", "--from", golden("v1.json")}, 2, `holds no roofline`},
		{"transfer in an unknown format", []string{"transfer", "--format", "xml"}, 2, `invalid argument "xml" for "--format" flag: unknown format "xml": use table, json, csv or benchfmt`},
		{"unknown flag", []string{"run", "--bogus"}, 2, `unknown flag: --bogus`},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
	}
	if !rootCanWrite {
		cases = append(cases,
			row{"--out in a read-only directory", []string{"run", "--kernel", "dot", "--out", filepath.Join(ro, "r.json")}, 2, `is not writable`},
			row{"--dump in a read-only directory", []string{"run", "--kernel", "dot", "--dump", filepath.Join(ro, "d")}, 2, `--dump`})
	}
	all := []faultRow{
		{row{"stdout on a full disk", []string{"run", "--backend", "cpu", "--kernel", "dot", "--size", "8", "--reps", "1"}, 4,
			`cannot write: standard output: write /dev/stdout: no space left on device`}, nil, "/dev/full", false},
	}
	for _, c := range cases {
		all = append(all, faultRow{row: c})
	}
	for _, c := range append(all, glCatalogue...) {
		t.Run(c.name, func(t *testing.T) {
			env := c.env
			if env == nil {
				env = noGL
			}
			exe := binary
			if c.self {
				exe, env = os.Args[0], append([]string{envAsGpubench + "=1"}, env...)
			}
			_, stderr, code := run1(t, exe, c.stdout, env, c.args...)
			if code != c.code || !strings.Contains(stderr, c.msg) {
				t.Errorf("gpubench %s: exit %d, stderr %q; want exit %d mentioning %q", strings.Join(c.args, " "), code, stderr, c.code, c.msg)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 {
				t.Errorf("error is %d lines, want one:\n%s", n+1, stderr)
			}
		})
	}
	t.Run("unavailable backend", func(t *testing.T) {
		_, stderr, code := gpubench(t, noGL, "run", "--backend", "gl", "--kernel", "dot", "--size", "8")
		if code != 3 || !strings.Contains(stderr, "backend gl") {
			t.Errorf("exit %d, stderr %q; want 3 naming gl", code, stderr)
		}
	})
	// Under ulimit -v the Go runtime died with a dump when the run
	// allocated; now the plan is refused, naming the limit and what fits.
	// A cgroup's limit: memlimit_test.go.
	t.Run("beyond ulimit -v", func(t *testing.T) {
		if runtime.GOOS != "linux" {
			t.Skip("RLIMIT_AS is read on Linux")
		}
		cmd := exec.Command("sh", "-c", `ulimit -v 2000000 && exec "$0" "$@"`, binary, "run", "--backend", "cpu", "--kernel", "gemm", "--size", "16384")
		cmd.Env = append(os.Environ(), noGL...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		const want = "is free under RLIMIT_AS (ulimit -v) of 1.9 GiB: the largest gemm that fits is "
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitUsage || !strings.Contains(stderr.String(), want) ||
			strings.Count(strings.TrimSpace(stderr.String()), "\n") > 0 {
			t.Errorf("gemm 16384 under ulimit -v 2000000: %v, stderr %q; want exit 2, one line mentioning %q", err, stderr.String(), want)
		}
	})
}

// fifoAndReadOnly makes a named pipe and a read-only file holding "keep"
// in dir, two outputs gpubench refuses.
func fifoAndReadOnly(t *testing.T, dir string) (fifo, ro string) {
	t.Helper()
	fifo = filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	ro = filepath.Join(dir, "ro.json")
	if err := os.WriteFile(ro, []byte("keep"), 0o444); err != nil {
		t.Fatal(err)
	}
	return fifo, ro
}

// TestWorkersZeroMeansOnePerCPU: --workers 0 is not an error for run: it
// is the default, one worker per CPU the Go runtime may use.
func TestWorkersZeroMeansOnePerCPU(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := gpubench(t, noGL, "run", "--backend", "cpu", "--kernel", "sum", "--size", "100", "--reps", "1", "--workers", "0", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Devices []struct{ Workers int }
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || len(r.Devices) != 1 || r.Devices[0].Workers != runtime.GOMAXPROCS(0) {
		t.Errorf("--workers 0: devices %+v (%v), want %d workers", r.Devices, err, runtime.GOMAXPROCS(0))
	}
}

// TestAtomicWriteSurvivesKill: kill -9 at any moment around the end of a
// run, when --out is written, leaves the file either as it was (absent,
// or the last complete run's) or complete: never half a file.
func TestAtomicWriteSurvivesKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on windows")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	// Many cases with every repetition kept: a file of some hundreds of
	// KiB, so that writing it takes a while; no warm-up, so that the
	// run is little more than that.
	args := []string{"run", "--backend", "cpu", "--kernel", "copy,scale,add,triad,saxpy,dot,sum",
		"--size", "8,16,32,64,128,256,512,1024", "--reps", "100", "--warmup", "0", "--min-warmup-time", "0", "--min-rep-time", "0", "--out", out, "-q", "--format", "csv"}
	start := time.Now()
	if _, stderr, code := gpubench(t, noGL, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	full := time.Since(start)
	st, err := os.Stat(out)
	if err != nil || st.Size() < 100<<10 {
		t.Fatalf("results file: %v, %d bytes", err, st.Size())
	}
	last, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	checked := 0
	for i := range 20 {
		if i%2 == 0 {
			os.Remove(out) // half the tries start with no file at all
		} else if err := os.WriteFile(out, last, 0o644); err != nil {
			t.Fatal(err) // the other half with the last complete run's
		}
		cmd := exec.Command(binary, args...)
		cmd.Env = append(os.Environ(), noGL...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Anywhere from late in the run, when the file is written, to
		// past its end.
		time.Sleep(time.Duration(float64(full) * (0.7 + 0.5*r.Float64())))
		cmd.Process.Kill()
		cmd.Wait()
		b, err := os.ReadFile(out)
		if os.IsNotExist(err) {
			continue
		}
		var rep resultsFile
		if err != nil || json.Unmarshal(b, &rep) != nil || !rep.Complete || len(rep.Results) != 56 {
			t.Fatalf("try %d: after kill -9 the results file is %d bytes and not a complete report (%v)", i, len(b), err)
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("%d of 20 tries found a results file, want at least the 10 that start with one", checked)
	}
}

// TestPanicInBackend: a backend that panics in one kernel fails that case
// alone, with the panic's message and no stack unless --debug asks for
// it; the other cases and backends run and verify.
func TestPanicInBackend(t *testing.T) {
	t.Parallel()
	env := append([]string{envTestPanic + "=dot"}, noGL...)
	args := []string{"run", "--backend", "panic,cpu", "--kernel", "dot,sum", "--size", "100", "--reps", "1", "--format", "json"}
	for _, debug := range []bool{false, true} {
		a := args
		if debug {
			a = append(a, "--debug")
		}
		stdout, stderr, code := gpubenchSelf(t, env, a...)
		if code != 1 || !strings.Contains(stderr, "1 case(s) failed verification: dot/panic/100/float32") {
			t.Fatalf("debug %v: exit %d, stderr %q; want 1 naming dot on panic", debug, code, stderr)
		}
		var r struct {
			Results []struct {
				Kernel, Backend, Error string
				Verified               bool
			}
		}
		if err := json.Unmarshal([]byte(stdout), &r); err != nil || len(r.Results) != 4 {
			t.Fatalf("debug %v: %v, %d results:\n%s", debug, err, len(r.Results), stdout)
		}
		for _, c := range r.Results {
			if c.Kernel == "dot" && c.Backend == "panic" {
				stack := strings.Contains(c.Error, "goroutine ") && strings.Contains(c.Error, "fault_test.go")
				if c.Verified || !strings.Contains(c.Error, "panic: assignment to entry in nil map") || stack != debug {
					t.Errorf("debug %v: the panicking case reads %q (stack %v)", debug, c.Error, stack)
				}
			} else if !c.Verified || c.Error != "" {
				t.Errorf("debug %v: %s on %s did not run on after the panic: %+v", debug, c.Kernel, c.Backend, c)
			}
		}
	}
}
