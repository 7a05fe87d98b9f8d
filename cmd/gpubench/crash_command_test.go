//go:build cgo && linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gpubench/gpubench/results"
)

// roofline and transfer with gl among their backends run supervised too:
// a gl driver that crashes, exits or is killed mid-command costs gl
// only, the command measured again without it; crossover, which needs
// gl, ends with exit 4. The fault is made by the preloaded library of
// crash_test.go (faultLib).

// commandFault runs gpubench's args under the fault library with env
// (GBFAULT_*), and returns its stdout, stderr and exit code, having
// checked that stderr holds no Go runtime report or stack trace.
func commandFault(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	stdout, stderr, code := gpubench(t, append([]string{"LD_PRELOAD=" + faultLib(t)}, env...), args...)
	for _, s := range []string{"goroutine ", "[signal", "panic:", "SIGSEGV: segmentation violation"} {
		if strings.Contains(stderr, s) {
			t.Errorf("stderr holds a Go crash report (%q):\n%s", s, stderr)
		}
	}
	return stdout, stderr, code
}

// checkLostGL checks that rep holds results of the cpu backend only
// (backends, one per measured row), and marks gl unavailable for reason.
func checkLostGL(t *testing.T, rep results.Report, measured []string, reason string) {
	t.Helper()
	if !slices.Contains(measured, "cpu") || slices.Contains(measured, "gl") {
		t.Errorf("results of %v, want cpu's and no gl's", measured)
	}
	for _, b := range rep.Backends {
		if b.Name == "gl" {
			if b.Available || b.Reason != reason {
				t.Errorf("gl: available %v, reason %q; want unavailable: %q", b.Available, b.Reason, reason)
			}
			return
		}
	}
	t.Errorf("the results do not list gl: %+v", rep.Backends)
}

// TestGLDriverCrashDuringRoofline: a SIGSEGV inside the first
// glDispatchCompute of a roofline of cpu then gl, after cpu's ceilings
// were measured, ends the child; the roofline is measured again on cpu,
// its JSON holding cpu's roofline and gl unavailable with the crash,
// and the exit code is 4, a device lost.
func TestGLDriverCrashDuringRoofline(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	plot := filepath.Join(t.TempDir(), "r.svg")
	stdout, stderr, code := commandFault(t, []string{"GBFAULT_KIND=segv", "GBFAULT_AT=1"},
		"roofline", "--quick", "--backend", "cpu,gl", "--dtype", "float32", "--format", "json", "--out", plot, "-q")
	if code != exitIO {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
	}
	crashed := "the gl driver crashed (SIGSEGV) during roofline"
	if !strings.Contains(stderr, "gpubench: "+crashed+"; measuring again without gl\n") {
		t.Errorf("stderr does not say what happened:\n%s", stderr)
	}
	var rep results.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout: %v; stderr:\n%s", err, stderr)
	}
	var measured []string
	for _, r := range rep.Rooflines {
		measured = append(measured, r.Backend)
	}
	checkLostGL(t, rep, measured, crashed)
	if _, err := os.Stat(plot); err != nil {
		t.Errorf("--out: the cpu roofline is not drawn: %v", err)
	}
}

// TestGLDriverFaultDuringTransfer: a gl driver that crashes (SIGSEGV,
// or abort()), calls exit() or is killed (SIGKILL) inside its first
// dispatch, after cpu's copies were measured, costs gl only: transfer
// is measured again on cpu (all made cpu), the --out file holds cpu's
// transfers and gl unavailable with the reason, and the exit code is 4.
func TestGLDriverFaultDuringTransfer(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	for _, c := range []struct{ kind, reason string }{
		{"segv", "the gl driver crashed (SIGSEGV) during transfer"},
		{"abort", "the gl driver crashed (SIGABRT) during transfer"},
		{"exit", "the gl driver ended the process (exit status 0) during transfer"},
		{"kill", "the gl driver's process was killed (SIGKILL: out of memory, or kill -9) during transfer"},
	} {
		t.Run(c.kind, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "t.json")
			_, stderr, code := commandFault(t, []string{"GBFAULT_KIND=" + c.kind, "GBFAULT_AT=1"},
				"transfer", "--backend", "all", "--max-size", "64Ki", "--reps", "1", "--out", out, "-q")
			if code != exitIO {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
			}
			if !strings.Contains(stderr, "gpubench: "+c.reason+"; measuring again without gl\n") {
				t.Errorf("stderr does not say what happened:\n%s", stderr)
			}
			var rep results.Report
			if err := json.Unmarshal([]byte(readFile(t, out)), &rep); err != nil {
				t.Fatalf("--out: %v; stderr:\n%s", err, stderr)
			}
			var measured []string
			for _, tr := range rep.Transfers {
				measured = append(measured, tr.Backend)
			}
			checkLostGL(t, rep, measured, c.reason)
		})
	}
}

// TestGLDriverCrashDuringCrossover: crossover needs gl, so a crash of
// its driver ends the command: one line naming the signal, exit 4, and
// no --out plot.
func TestGLDriverCrashDuringCrossover(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	plot := filepath.Join(t.TempDir(), "x.svg")
	_, stderr, code := commandFault(t, []string{"GBFAULT_KIND=segv", "GBFAULT_AT=1"},
		"crossover", "--kernel", "saxpy", "--max-size", "16Ki", "--out", plot, "-q")
	if code != exitIO {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
	}
	want := "gpubench: device lost: the gl driver crashed (SIGSEGV) during crossover: a crossover needs both backends, so nothing is measured again\n"
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	if _, err := os.Stat(plot); !os.IsNotExist(err) {
		t.Errorf("--out %s: %v, want no file", plot, err)
	}
}

// TestSupervisedCommandInterrupt: a SIGTERM to a supervised roofline
// (its backends "all", so that it may open gl; gl is off here) reaches
// the child, which ends as an unsupervised roofline does; nothing is
// measured again.
func TestSupervisedCommandInterrupt(t *testing.T) {
	run := startRun(t, "roofline", "--backend", "all", "--dtype", "float32", "--stream-size", "64Mi", "--format", "json", "-q")
	waitChildStarted(t, run)
	kid := supervisedChild(t, run.cmd.Process.Pid)
	(&started{cmd: &exec.Cmd{Process: kid}, stderr: run.stderr, done: run.done}).waitBusy(t, 200*time.Millisecond)
	run.cmd.Process.Signal(syscall.SIGTERM)
	if code := run.wait(t, hangGuard); code != 128+int(syscall.SIGTERM) {
		t.Errorf("exit %d, want %d; stderr: %s", code, 128+int(syscall.SIGTERM), run.stderr)
	}
	if strings.Contains(run.stderr.String(), "measuring again") {
		t.Errorf("the interrupted roofline was measured again: %s", run.stderr)
	}
}

// TestWithoutGL: the backends a command is measured again with, gl
// lost: gl left out, all and auto made cpu, once.
func TestWithoutGL(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want []string }{
		{[]string{"cpu", "gl"}, []string{"cpu"}},
		{[]string{"all"}, []string{"cpu"}},
		{[]string{"auto"}, []string{"cpu"}},
		{[]string{"cpu", " all"}, []string{"cpu"}},
		{[]string{"gl"}, nil},
		{[]string{"gl", "gonum"}, []string{"gonum"}},
	} {
		if got := withoutGL(c.in); !slices.Equal(got, c.want) {
			t.Errorf("withoutGL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// waitChildStarted waits until the supervisor run has started a child
// (/proc/PID/task/TID/children lists one).
func waitChildStarted(t *testing.T, run *started) {
	t.Helper()
	deadline := time.After(hangGuard)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", run.cmd.Process.Pid))
		for _, f := range files {
			if b, _ := os.ReadFile(f); len(strings.Fields(string(b))) > 0 {
				return
			}
		}
		select {
		case err := <-run.done:
			t.Fatalf("exited (%v) before it started a child; stderr: %s", err, run.stderr)
		case <-deadline:
			t.Fatalf("no child after %v; stderr: %s", hangGuard, run.stderr)
		case <-tick.C:
		}
	}
}

// TestGLDriverHangDuringRoofline: a glDispatchCompute that never returns
// during a roofline meets the watchdog (its least time shortened to 2 s
// in this test binary: envTestWatchdog), which ends the child; the
// roofline is measured again on cpu, exit 4.
func TestGLDriverHangDuringRoofline(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	env := []string{"LD_PRELOAD=" + faultLib(t), "GBFAULT_KIND=hang", "GBFAULT_AT=1", envTestWatchdog + "=2s"}
	stdout, stderr, code := gpubenchSelf(t, env, "roofline", "--quick", "--backend", "cpu,gl", "--dtype", "float32", "--format", "json", "-q")
	if code != exitIO {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIO, stderr)
	}
	hung := "gpubench: the gl driver did not return during roofline: "
	if !strings.Contains(stderr, hung) || !strings.Contains(stderr, "; measuring again without gl\n") {
		t.Errorf("stderr does not say what happened:\n%s", stderr)
	}
	var rep results.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout: %v; stderr:\n%s", err, stderr)
	}
	var measured []string
	for _, r := range rep.Rooflines {
		measured = append(measured, r.Backend)
	}
	for _, b := range rep.Backends {
		if b.Name == "gl" && !strings.HasPrefix(b.Reason, "the gl driver did not return during roofline: ") {
			t.Errorf("gl: reason %q, want the hang", b.Reason)
		}
	}
	if !slices.Equal(measured, []string{"cpu"}) {
		t.Errorf("rooflines of %v, want cpu's", measured)
	}
}

// TestGLDriverCrashDuringGLOnlyRoofline: where gl was the only backend,
// nothing is left to measure again: one line, exit 4.
func TestGLDriverCrashDuringGLOnlyRoofline(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	_, stderr, code := commandFault(t, []string{"GBFAULT_KIND=segv", "GBFAULT_AT=1"},
		"roofline", "--quick", "--backend", "gl", "--dtype", "float32", "-q")
	want := "gpubench: device lost: the gl driver crashed (SIGSEGV) during roofline: gl was the only backend, so nothing is measured again\n"
	if code != exitIO || stderr != want {
		t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, exitIO, want)
	}
}
