//go:build cgo && linux

package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// hungDriver is the environment of a gl driver that hangs while it opens
// (envTestGLProbe, in the probe's child), with each child's start noted
// in log, and a probe timeout long enough that only a command that does
// not wait for the probe ends before it.
func hungDriver(log string) []string {
	return []string{envTestGLProbe + "=hang", envTestGLProbeLog + "=" + log, "GPUBENCH_GL_PROBE_TIMEOUT=1m"}
}

// probeStarts are the pids of the probe's children that log noted
// (envTestGLProbeLog).
func probeStarts(t *testing.T, log string) []int {
	t.Helper()
	b, err := os.ReadFile(log)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, line := range strings.Split(string(b), "\n") {
		if pid, ok := strings.CutPrefix(line, "start "); ok {
			n, err := strconv.Atoi(pid)
			if err != nil {
				t.Fatalf("log line %q", line)
			}
			pids = append(pids, n)
		}
	}
	return pids
}

// TestCPUWorkDoesNotProbeGL: with a gl driver that hangs while it opens,
// commands that do not need gl never start its probe, and a run's
// results list gl as not probed.
func TestCPUWorkDoesNotProbeGL(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"run", "--backend", "cpu", "--kernel", "dot", "--size", "8", "--reps", "1", "--format", "json"},
		{"run", "--backend", "gonum", "--kernel", "dot", "--size", "8", "--reps", "1"},
		{"run", "--backend", "cpu/all", "--kernel", "dot", "--size", "8", "--reps", "1"},
		{"scale", "--kernel", "dot", "--size", "8", "--workers", "1", "--reps", "1"},
		{"transfer", "--backend", "cpu", "--max-size", "4Ki", "--reps", "1"},
	} {
		t.Run(args[0]+" "+args[2], func(t *testing.T) {
			t.Parallel()
			log := filepath.Join(t.TempDir(), "probes")
			stdout, stderr, code := gpubenchSelf(t, hungDriver(log), args...)
			if code != exitOK {
				t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
			}
			if pids := probeStarts(t, log); len(pids) > 0 {
				t.Errorf("%v started the gl probe %d time(s)", args, len(pids))
			}
			if !slices.Contains(args, "json") {
				return
			}
			var rep struct {
				Backends []struct {
					Name      string
					NotProbed bool `json:"not_probed"`
				}
			}
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			for _, b := range rep.Backends {
				if b.Name == "gl" && !b.NotProbed {
					t.Errorf("the results do not list gl as not probed:\n%s", stdout)
				}
			}
		})
	}
}

// TestListDoesNotWaitForGL: list waits for a hung driver a bounded time,
// lists gl's availability as unknown and says why and which command
// waits, and leaves no probe's child behind.
func TestListDoesNotWaitForGL(t *testing.T) {
	t.Parallel()
	log := filepath.Join(t.TempDir(), "probes")
	stdout, stderr, code := gpubenchSelf(t, hungDriver(log), "list", "--format", "json")
	if code != exitOK {
		t.Fatalf("list: exit %d, stderr %q", code, stderr)
	}
	var l struct {
		Backends []struct {
			Name      string
			Available bool
			NotProbed bool `json:"not_probed"`
			Reason    string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &l); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, b := range l.Backends {
		switch {
		case b.Name == "gl":
			found = true
			if b.Available || !b.NotProbed || !strings.Contains(b.Reason, "did not answer within 2s") || !strings.Contains(b.Reason, "list --wait") {
				t.Errorf("list --format json lists gl as %+v; want not probed, saying why and what waits", b)
			}
		case b.Name == "cpu" && !b.Available:
			t.Errorf("cpu unavailable: %s", b.Reason)
		}
	}
	if !found {
		t.Errorf("list lists no gl:\n%s", stdout)
	}
	pids := probeStarts(t, log)
	if len(pids) != 1 {
		t.Fatalf("list started the gl probe %d times; want once", len(pids))
	}
	waitGone(t, pids[0])

	table, stderr, code := gpubenchSelf(t, hungDriver(log), "list")
	if code != exitOK || !strings.Contains(table, "unknown") || !strings.Contains(table, "did not answer within 2s") {
		t.Errorf("list: exit %d, stderr %q; want gl's availability unknown, saying why:\n%s", code, stderr, table)
	}
}

// waitGone waits until the process pid has ended (pidfd_open: ESRCH
// once it is reaped, readable once it has exited).
func waitGone(t *testing.T, pid int) {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if errors.Is(err, unix.ESRCH) {
		return
	} else if err != nil {
		t.Skipf("pidfd_open: %v", err)
	}
	defer unix.Close(fd)
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	for {
		// A minute only so that a child left behind fails the test
		// rather than hanging it.
		n, err := unix.Poll(fds, 60_000)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || n == 0 {
			t.Errorf("the gl probe's child %d outlived the command that started it (%v)", pid, err)
		}
		return
	}
}

// TestRunAllBesideGLProbe: run --backend all with a driver that hangs
// while it opens runs the cpu cases while the probe is out, then reports
// gl unavailable with the probe's reason and keeps the cpu results.
func TestRunAllBesideGLProbe(t *testing.T) {
	t.Parallel()
	type report struct {
		Backends []struct {
			Name      string
			Available bool
			Reason    string
		}
		Results []struct {
			Backend  string
			Verified bool
		}
	}
	check := func(t *testing.T, stdout, reason string) {
		t.Helper()
		var rep report
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("%v:\n%s", err, stdout)
		}
		cpu := 0
		for _, r := range rep.Results {
			if r.Backend == "gl" {
				t.Errorf("a gl result, with gl unavailable: %+v", r)
			}
			if r.Backend == "cpu" && r.Verified {
				cpu++
			}
		}
		if cpu != 2 {
			t.Errorf("%d verified cpu results; want 2:\n%s", cpu, stdout)
		}
		for _, b := range rep.Backends {
			if b.Name == "gl" && (b.Available || !strings.Contains(b.Reason, reason)) {
				t.Errorf("the results list gl as %+v; want unavailable saying %q", b, reason)
			}
		}
	}
	args := []string{"run", "--backend", "all", "--kernel", "dot,saxpy", "--size", "8", "--reps", "1", "--format", "json"}

	t.Run("probe out while cpu runs", func(t *testing.T) {
		t.Parallel()
		// The probe's child waits for a cpu case's output (--dump), notes
		// that it saw it, and crashes: had the run waited for the probe
		// before the cpu cases, it would have seen none before the
		// timeout killed it.
		dir := t.TempDir()
		log, dump := filepath.Join(dir, "probes"), filepath.Join(dir, "dump")
		env := []string{envTestGLProbe + "=segv", envTestGLProbeLog + "=" + log, envTestGLProbeUntil + "=" + dump, "GPUBENCH_GL_PROBE_TIMEOUT=1m"}
		stdout, stderr, code := gpubenchSelf(t, env, append(args, "--dump", dump)...)
		if code != exitOK {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		b, _ := os.ReadFile(log)
		if !strings.Contains(string(b), "saw dot_cpu_") && !strings.Contains(string(b), "saw saxpy_cpu_") {
			t.Errorf("the gl probe ended before a cpu case finished; its child's log:\n%s", b)
		}
		check(t, stdout, "the driver crashed while opening (SIGSEGV)")
	})

	t.Run("probe times out", func(t *testing.T) {
		t.Parallel()
		env := []string{envTestGLProbe + "=hang", "GPUBENCH_GL_PROBE_TIMEOUT=1s"}
		stdout, stderr, code := gpubenchSelf(t, env, args...)
		if code != exitOK {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		check(t, stdout, "the driver did not answer in 1s (GPUBENCH_GL_PROBE_TIMEOUT sets the limit)")
		// Named beside cpu, gl fails its own cases after cpu's ran.
		named := []string{"run", "--backend", "cpu,gl", "--kernel", "dot", "--size", "8", "--reps", "1", "--format", "json"}
		stdout, stderr, code = gpubenchSelf(t, env, named...)
		if code != exitUnavailable || !strings.Contains(stderr, "gl: backend unavailable: the driver did not answer in 1s") {
			t.Errorf("%v: exit %d, stderr %q; want 3 naming gl and why", named, code, stderr)
		}
		var rep report
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil || len(rep.Results) != 2 || !rep.Results[0].Verified || rep.Results[0].Backend != "cpu" {
			t.Errorf("%v: want the cpu result, verified, then gl's failure (%v):\n%s", named, err, stdout)
		}
		// transfer and roofline take all too, and leave gl out alike.
		for _, args := range [][]string{
			{"transfer", "--backend", "all", "--max-size", "4Ki", "--reps", "1", "--format", "json"},
			{"roofline", "--backend", "all", "--quick", "--dtype", "float32", "--format", "json"},
		} {
			stdout, stderr, code := gpubenchSelf(t, append(env, "XDG_CACHE_HOME="+t.TempDir()), args...)
			if code != exitOK || !strings.Contains(stdout, "the driver did not answer in 1s") {
				t.Errorf("%v: exit %d, stderr %q; want 0, listing gl as unavailable, saying why:\n%s", args, code, stderr, stdout)
			}
		}
	})
}
