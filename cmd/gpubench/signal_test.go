package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hangGuard bounds every wait on a child gpubench: far past anything a
// loaded machine takes, it turns a hang into a failure instead of go
// test's timeout, and asserts nothing about speed.
const hangGuard = 2 * time.Minute

// started is a child gpubench with its stderr and the channel that gets
// its Wait's error.
type started struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   chan error
}

// startRun starts gpubench with args (and noGL), killed when the test
// ends.
func startRun(t *testing.T, args ...string) *started {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), noGL...)
	s := &started{cmd: cmd, stderr: new(bytes.Buffer), done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	return s
}

// waitDumped waits until the run's --dump folder indexes n cases: a
// case's dump is written after its repetitions, during its check, so
// the first n−1 cases have finished by then.
func (s *started) waitDumped(t *testing.T, dir string, n int) {
	t.Helper()
	deadline := time.After(hangGuard)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		var idx struct{ Cases []json.RawMessage }
		if b, err := os.ReadFile(filepath.Join(dir, "index.json")); err == nil && json.Unmarshal(b, &idx) == nil && len(idx.Cases) >= n {
			return
		}
		select {
		case err := <-s.done:
			t.Fatalf("exited (%v) before dumping %d cases; stderr: %s", err, n, s.stderr)
		case <-deadline:
			t.Fatalf("no %d cases dumped after %v; stderr: %s", n, hangGuard, s.stderr)
		case <-tick.C:
		}
	}
}

// waitBusy waits until the child has spent cpu more processor time
// than when called: the sign, once the small cases are done, that it
// is inside the long one. Without /proc it waits 3·cpu of wall time.
func (s *started) waitBusy(t *testing.T, cpu time.Duration) {
	t.Helper()
	if runtime.GOOS != "linux" {
		time.Sleep(3 * cpu)
		return
	}
	start := s.cpuTime(t)
	deadline := time.After(hangGuard)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for s.cpuTime(t)-start < cpu {
		select {
		case err := <-s.done:
			t.Fatalf("exited (%v) before it was busy; stderr: %s", err, s.stderr)
		case <-deadline:
			t.Fatalf("not %v busy after %v; stderr: %s", cpu, hangGuard, s.stderr)
		case <-tick.C:
		}
	}
}

// cpuTime is the child's user and system time, from /proc/PID/stat
// (fields 14 and 15, in clock ticks of 1/100 s on Linux).
func (s *started) cpuTime(t *testing.T) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	// The fields after the command's name, which is in parentheses and
	// may hold spaces: state is field 3, utime 14, stime 15.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		t.Fatalf("/proc/PID/stat: %q", b)
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("/proc/PID/stat: %q", b)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// wait waits for the child to exit, killing it after guard, and
// returns its exit code.
func (s *started) wait(t *testing.T, guard time.Duration) int {
	t.Helper()
	select {
	case err := <-s.done:
		if err == nil {
			return 0
		}
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		t.Fatalf("wait: %v", err)
	case <-time.After(guard):
		s.cmd.Process.Kill()
		t.Fatalf("still running %v after the signal; stderr: %s", guard, s.stderr)
	}
	return -1
}

// TestScaleInterrupted: a scale sweep stopped by SIGINT says it was
// interrupted, as every measuring command does, after printing the
// worker counts that finished, not "context canceled".
func TestScaleInterrupted(t *testing.T) {
	t.Parallel()
	run := startRun(t, "scale", "--kernel", "triad", "--size", "64Mi", "--workers", "1,2,1,2,1,2", "--reps", "50", "--format", "json", "-q")
	run.waitBusy(t, 300*time.Millisecond)
	run.cmd.Process.Signal(os.Interrupt)
	if code := run.wait(t, hangGuard); code != 130 {
		t.Errorf("exit %d, want 130; stderr: %s", code, run.stderr)
	}
	if got := run.stderr.String(); !strings.Contains(got, "interrupted") || strings.Contains(got, "context canceled") {
		t.Errorf("stderr %q, want it to say the sweep was interrupted", got)
	}
}
