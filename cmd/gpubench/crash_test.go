//go:build cgo && linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// A GL driver that crashes, hangs or resets the GPU mid-run costs the
// case in flight and the gl backend: the cases that finished, and every
// case of the other backends, reach the table and the --out file. The
// driver's fault is made by testdata/gldriverfault.c, built here and
// preloaded (LD_PRELOAD): gpubench itself reads none of its variables.

// faultLib builds the preloaded library into a folder of the test's.
func faultLib(t *testing.T) string {
	t.Helper()
	return preloadLib(t, "gldriverfault.c")
}

// preloadLib builds testdata/src into a shared library to preload. gcc
// is there wherever gl is (cgo needs it): its lack fails a test under
// GPUBENCH_REQUIRE_GL=1, and skips it elsewhere.
func preloadLib(t *testing.T, src string) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		if os.Getenv("GPUBENCH_REQUIRE_GL") == "1" {
			t.Fatalf("no gcc to build the preloaded fault library %s (GPUBENCH_REQUIRE_GL=1)", src)
		}
		t.Skip("no gcc to build the preloaded fault library (cgo needs it too)")
	}
	lib := filepath.Join(t.TempDir(), strings.TrimSuffix(src, ".c")+".so")
	out, err := exec.Command(gcc, "-shared", "-fPIC", "-Wall", "-o", lib, filepath.Join("testdata", src), "-ldl").CombinedOutput()
	if err != nil {
		t.Fatalf("building the fault library %s: %v\n%s", src, err, out)
	}
	return lib
}

// faultRun runs a run of saxpy and dot at 1Ki on cpu and gl under the
// fault library with env (GBFAULT_*), and returns its stderr, exit code
// and --out file's results by kernel and backend. The timing flags make
// the number of dispatches of a case the same in every run: one warm-up
// run, one repetition of one run.
func faultRun(t *testing.T, self bool, env []string) (string, int, map[string]results.Result) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "r.json")
	env = append([]string{"LD_PRELOAD=" + faultLib(t)}, env...)
	args := []string{"run", "--backend", "cpu,gl", "--kernel", "saxpy,dot", "--size", "1Ki",
		"--warmup", "1", "--min-warmup-time", "0", "--reps", "1", "--min-rep-time", "0", "--out", out, "-q"}
	var stderr string
	var code int
	if self {
		_, stderr, code = gpubenchSelf(t, env, args...)
	} else {
		_, stderr, code = gpubench(t, env, args...)
	}
	var rep results.Report
	if err := json.Unmarshal([]byte(readFile(t, out)), &rep); err != nil {
		t.Fatalf("--out: %v; stderr:\n%s", err, stderr)
	}
	byName := map[string]results.Result{}
	for _, r := range rep.Results {
		byName[r.Kernel.String()+"/"+r.Backend] = r
	}
	if len(byName) != 4 {
		t.Errorf("--out holds %d results, want saxpy and dot on cpu and gl: %v", len(rep.Results), byName)
	}
	return stderr, code, byName
}

// checkSurvived checks that the cpu cases ran and verified, and that the
// stderr says nothing of Go's (run1 already refuses a goroutine dump).
func checkSurvived(t *testing.T, stderr string, rs map[string]results.Result) {
	t.Helper()
	for _, k := range []string{"saxpy/cpu", "dot/cpu"} {
		if r := rs[k]; !r.Verified || r.MedianNs <= 0 {
			t.Errorf("%s: verified %v, median %v ns, error %q: want its result", k, r.Verified, r.MedianNs, r.Err)
		}
	}
	if strings.Contains(stderr, "segmentation violation") || strings.Contains(stderr, "[signal") {
		t.Errorf("stderr holds the Go runtime's crash report:\n%s", stderr)
	}
}

// TestGLDriverCrashMidRun: a SIGSEGV inside the first glDispatchCompute
// of the run (gl's saxpy) ends that case and gl; the cpu cases are kept,
// and the exit code is 4, a device lost.
func TestGLDriverCrashMidRun(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	for _, c := range []struct{ kind, signal string }{{"segv", "SIGSEGV"}, {"abort", "SIGABRT"}} {
		t.Run(c.kind, func(t *testing.T) {
			t.Parallel()
			stderr, code, rs := faultRun(t, false, []string{"GBFAULT_KIND=" + c.kind, "GBFAULT_AT=1"})
			if code != exitIO {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
			}
			checkSurvived(t, stderr, rs)
			crashed := "the gl driver crashed (" + c.signal + ") during saxpy/1024/float32"
			if got := rs["saxpy/gl"].Err; got != crashed {
				t.Errorf("gl's saxpy: error %q, want %q", got, crashed)
			}
			if got := rs["dot/gl"].Err; got != "not run: "+crashed {
				t.Errorf("gl's dot: error %q, want it not run: %q", got, crashed)
			}
			if !strings.Contains(stderr, crashed+": the run goes on without gl") {
				t.Errorf("stderr does not say what happened:\n%s", stderr)
			}
		})
	}
}

// TestGLDriverExitsMidRun: a driver that ends the process itself with
// exit() inside glDispatchCompute (as Xlib's handler of a lost display
// does, with status 1), even with status 0, costs gl's cases only: the
// run goes on without gl, keeps the cpu cases, and exits 4.
func TestGLDriverExitsMidRun(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	for _, status := range []string{"0", "1"} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			stderr, code, rs := faultRun(t, false, []string{"GBFAULT_KIND=exit", "GBFAULT_AT=1", "GBFAULT_STATUS=" + status})
			if code != exitIO {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
			}
			checkSurvived(t, stderr, rs)
			ended := "the gl driver ended the process (exit status " + status + ") during saxpy/1024/float32"
			if got := rs["saxpy/gl"].Err; got != ended {
				t.Errorf("gl's saxpy: error %q, want %q", got, ended)
			}
		})
	}
}

// TestGLCaseKilledMidRun: a gl case in flight when the process is killed
// (SIGKILL, as the kernel's OOM killer sends while the driver allocates)
// costs gl's cases only: the run goes on without gl, exit 4.
func TestGLCaseKilledMidRun(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	stderr, code, rs := faultRun(t, false, []string{"GBFAULT_KIND=kill", "GBFAULT_AT=1"})
	if code != exitIO {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
	}
	checkSurvived(t, stderr, rs)
	if got, want := rs["saxpy/gl"].Err, "the gl driver's process was killed (SIGKILL: out of memory, or kill -9) during saxpy/1024/float32"; got != want {
		t.Errorf("gl's saxpy: error %q, want %q", got, want)
	}
}

// TestGLDriverCrashKeepsFinishedGLCases: where gl's saxpy finished before
// the driver crashed in dot, saxpy's gl result is kept too. The
// library counts saxpy's dispatches in a run of saxpy alone first.
func TestGLDriverCrashKeepsFinishedGLCases(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	countFile := filepath.Join(t.TempDir(), "count")
	out := filepath.Join(t.TempDir(), "saxpy.json")
	if _, stderr, code := gpubench(t, []string{"LD_PRELOAD=" + faultLib(t), "GBFAULT_KIND=count", "GBFAULT_COUNT_FILE=" + countFile},
		"run", "--backend", "gl", "--kernel", "saxpy", "--size", "1Ki", "--warmup", "1", "--min-warmup-time", "0",
		"--reps", "1", "--min-rep-time", "0", "--out", out, "-q"); code != 0 {
		t.Fatalf("counting saxpy's dispatches: exit %d; stderr:\n%s", code, stderr)
	}
	n, err := strconv.Atoi(strings.TrimSpace(readFile(t, countFile)))
	if err != nil || n < 1 {
		t.Fatalf("saxpy's dispatches: %q (%v)", readFile(t, countFile), err)
	}
	stderr, code, rs := faultRun(t, false, []string{"GBFAULT_KIND=segv", "GBFAULT_AT=" + strconv.Itoa(n+1)})
	if code != exitIO {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
	}
	checkSurvived(t, stderr, rs)
	if r := rs["saxpy/gl"]; !r.Verified || r.MedianNs <= 0 {
		t.Errorf("gl's saxpy finished before the crash: verified %v, error %q: want its result", r.Verified, r.Err)
	}
	if got, want := rs["dot/gl"].Err, "the gl driver crashed (SIGSEGV) during dot/1024/float32"; got != want {
		t.Errorf("gl's dot: error %q, want %q", got, want)
	}
}

// TestGLDriverHangMidRun: a glDispatchCompute that never returns meets
// the watchdog (its least time shortened to 2 s in this test binary:
// envTestWatchdog), which ends the child; the run goes on without gl.
func TestGLDriverHangMidRun(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	stderr, code, rs := faultRun(t, true, []string{"GBFAULT_KIND=hang", "GBFAULT_AT=1", envTestWatchdog + "=2s"})
	if code != exitIO {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
	}
	checkSurvived(t, stderr, rs)
	hung := "the gl driver did not return: saxpy/1024/float32 ran past the watchdog's limit of "
	if got := rs["saxpy/gl"].Err; !strings.HasPrefix(got, hung) {
		t.Errorf("gl's saxpy: error %q, want %q…", got, hung)
	}
	if got := rs["dot/gl"].Err; !strings.HasPrefix(got, "not run: "+hung) {
		t.Errorf("gl's dot: error %q, want it not run: %q…", got, hung)
	}
}

// TestGLResetMidRun: a GPU reset (the context lost, as
// glGetGraphicsResetStatus reports it) fails gl's cases from the one in
// flight on, and the cpu cases are kept; exit 4.
func TestGLResetMidRun(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	stderr, code, rs := faultRun(t, false, []string{"GBFAULT_KIND=reset", "GBFAULT_AT=1"})
	if code != exitIO {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
	}
	checkSurvived(t, stderr, rs)
	for _, k := range []string{"saxpy/gl", "dot/gl"} {
		if got := rs[k].Err; !strings.Contains(got, "the context was reset") {
			t.Errorf("%s: error %q, want the reset", k, got)
		}
	}
}

// TestRunWithoutGLHasNoSupervisor: supervises says no for a run whose
// backends cannot open gl, so that it starts no child gpubench, and yes
// for one that names gl, all or auto (in a build that can open gl); a
// command run inside a test (no supervision) is never supervised.
func TestRunWithoutGLHasNoSupervisor(t *testing.T) {
	t.Parallel()
	sup := newSupervision(nil)
	for _, b := range [][]string{{"cpu"}, {"cpu", "gonum"}, {"cpu/all"}} {
		if sup.supervises(b) {
			t.Errorf("--backend %v is supervised", b)
		}
	}
	for _, b := range [][]string{{"gl"}, {"cpu", "gl"}, {"all"}, {"auto"}} {
		if !sup.supervises(b) && crashCatcher {
			t.Errorf("--backend %v is not supervised", b)
		}
	}
	var none *supervision
	if none.supervises([]string{"gl"}) {
		t.Error("a command run inside a test is supervised")
	}
}

// TestSupervisedInterrupt: a SIGINT or SIGTERM to a supervised run (its
// backends "all", so that it may open gl; gl is off here, so that the
// cases are the cpu's) reaches the child, which writes the cases that
// finished and exits as an unsupervised run does; nothing is resumed.
func TestSupervisedInterrupt(t *testing.T) {
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			_, run := interruptMidRun(t, "all", sig)
			if strings.Contains(run.stderr.String(), "goes on without") {
				t.Errorf("the interrupted run was resumed: %s", run.stderr)
			}
		})
	}
}

// BenchmarkJournalEnd is what a supervised run adds to each case: its
// result journalled, one JSON line written on a pipe (outside the
// case's timing).
func BenchmarkJournalEnd(b *testing.B) {
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	go io.Copy(io.Discard, r)
	j := &journal{w: w}
	p := compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(1 << 20), DType: compute.Float32}
	res := results.NewResult(p, "gl", compute.Device{Backend: "gl"})
	res.TimesNs = make([]float64, 10)
	b.ReportAllocs()
	for b.Loop() {
		j.End(p, "gl", res)
	}
}

// TestGLDriverCrashUnsupervised: a command that is not supervised yet
// (scale) ends by the fault's signal, saying which in one line, without
// the Go runtime's report and stack trace.
func TestGLDriverCrashUnsupervised(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	_, stderr, code := gpubench(t, []string{"LD_PRELOAD=" + faultLib(t), "GBFAULT_KIND=segv", "GBFAULT_AT=1"},
		"scale", "--backend", "gl", "--kernel", "saxpy", "--size", "1Ki", "--workers", "1", "-q")
	if code != -1 { // exec's code of a process ended by a signal
		t.Errorf("exit %d, want the end by SIGSEGV; stderr:\n%s", code, stderr)
	}
	if want := "gpubench: SIGSEGV in C code (a driver's fault, or a library's): the process ends\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}

// TestSupervisedCtrlC: a Ctrl-C on the terminal reaches the whole
// foreground process group, the supervised child as well as its
// supervisor, which then passes no SIGINT on: two Ctrl-Cs are two
// signals to the child (the second leaves the long case behind, and the
// finished cases are written), as without a supervisor. (Passed on, a
// Ctrl-C would be two signals wherever the supervisor's copy came after
// the child had received the terminal's, and the third ends the child
// before it writes; copies that come close together are merged, so this
// test does not always see that.) The run is on a terminal of its own
// (a pty), of whose session it is the leader.
func TestSupervisedCtrlC(t *testing.T) {
	master, slave := openPty(t)
	dir := t.TempDir()
	out, dump := filepath.Join(dir, "r.json"), filepath.Join(dir, "dump")
	cmd := exec.Command(binary, "run", "--backend", "all", "--kernel", "fma", "--size", "16x4,17x4,16Mix4Mi",
		"--reps", "1", "--warmup", "1", "--min-warmup-time", "0", "--out", out, "-q", "--dump", dump)
	cmd.Env = append(os.Environ(), noGL...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	run := &started{cmd: cmd, stderr: new(bytes.Buffer), done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	t.Cleanup(func() { cmd.Process.Kill() })
	go io.Copy(run.stderr, master) // the terminal's screen; a full one would stop the run
	go func() { run.done <- cmd.Wait() }()
	run.waitDumped(t, dump, 2)
	kid := supervisedChild(t, cmd.Process.Pid)
	(&started{cmd: &exec.Cmd{Process: kid}, stderr: run.stderr, done: run.done}).waitBusy(t, time.Second)
	master.Write([]byte{3}) // Ctrl-C
	// os/signal merges a signal that comes before the last one was
	// received: leave the first time to be.
	time.Sleep(500 * time.Millisecond)
	master.Write([]byte{3})
	if code := run.wait(t, time.Minute); code != 130 {
		t.Fatalf("exit %d, want 130", code)
	}
	checkInterrupted(t, out, "16777216x4194304")
}

// openPty opens a new pseudo-terminal: its master, and its slave to be
// a child's terminal.
func openPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("pseudo-terminal: unlock: %v", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal: number: %v", err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("pseudo-terminal: %v", err)
	}
	return m, s
}

// supervisedChild is the child of the supervisor pid, in which the
// kernels run: the one child process of any of its threads.
func supervisedChild(t *testing.T, pid int) *os.Process {
	t.Helper()
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	if len(files) == 0 {
		t.Skip("no /proc/PID/task/TID/children (a kernel without CONFIG_PROC_CHILDREN)")
	}
	var kids []string
	for _, f := range files {
		b, _ := os.ReadFile(f)
		kids = append(kids, strings.Fields(string(b))...)
	}
	if len(kids) != 1 {
		t.Fatalf("want the one supervised child, found children %q (/proc/PID/task/TID/children)", kids)
	}
	n, err := strconv.Atoi(kids[0])
	if err != nil {
		t.Fatal(err)
	}
	p, err := os.FindProcess(n)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGLDriverCrashNoteOnDumbTerminal: the supervisor's line that the run
// goes on without gl, on a terminal that takes no control codes
// (TERM=dumb, or NO_COLOR), or with -q (no progress line to clear),
// holds no escape sequence.
func TestGLDriverCrashNoteOnDumbTerminal(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	lib := faultLib(t)
	for name, env := range map[string][]string{"dumb": {"TERM=dumb"}, "NO_COLOR": {"TERM=xterm-256color", "NO_COLOR=1"}, "quiet": {"TERM=xterm-256color", "-q"}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			master, tty := openPTY(t)
			args := []string{"run", "--backend", "cpu,gl", "--kernel", "saxpy", "--size", "1Ki"}
			if env[len(env)-1] == "-q" {
				args, env = append(args, "-q"), env[:len(env)-1]
			}
			cmd := exec.Command(binary, args...)
			cmd.Env = append(os.Environ(), append([]string{"TERM=", "NO_COLOR=", "LD_PRELOAD=" + lib, "GBFAULT_KIND=segv", "GBFAULT_AT=1"}, env...)...)
			cmd.Stderr = tty
			got := make(chan string)
			go func() {
				b, _ := io.ReadAll(master)
				got <- string(b)
			}()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			tty.Close()
			cmd.Wait()
			out := <-got
			if !strings.Contains(out, "the run goes on without gl") || strings.Contains(out, "\033") {
				t.Errorf("%v: want the note with no escape sequence, got %q", env, out)
			}
		})
	}
}

// TestGLDriverCrashKeepsDumpIndex: with --dump, the index.json the run
// that goes on without gl writes keeps the cases the crashed run dumped
// before it (their .npy files are there): saxpy on cpu, dumped before
// gl's saxpy crashed, and dot on cpu, dumped after; not those of an
// index an earlier run left in the folder.
func TestGLDriverCrashKeepsDumpIndex(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	dir := filepath.Join(t.TempDir(), "dump")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stale := `{"cases": [{"kernel": "gemm", "backend": "earlier", "shape": "8x8x8", "dtype": "float32"}]}`
	if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := gpubench(t, []string{"LD_PRELOAD=" + faultLib(t), "GBFAULT_KIND=segv", "GBFAULT_AT=1"},
		"run", "--backend", "cpu,gl", "--kernel", "saxpy,dot", "--size", "1Ki", "--interleave", "--dump", dir, "-q")
	if code != exitIO {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
	}
	var idx struct {
		Cases []struct{ Kernel, Backend string }
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "index.json"))), &idx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range idx.Cases {
		got = append(got, c.Kernel+"/"+c.Backend)
	}
	if strings.Join(got, " ") != "saxpy/cpu dot/cpu" {
		t.Errorf("index.json holds %v, want saxpy/cpu dot/cpu", got)
	}
}
