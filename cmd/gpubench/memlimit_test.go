//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// memoryCgroup makes a memory cgroup of limit bytes for the test, v1's
// memory hierarchy or v2's, and removes it when the test ends; it skips
// the test where none can be made (not root, no writable hierarchy).
// Its cgroup.procs is what a child writes its pid into to join it.
func memoryCgroup(t *testing.T, limit int64) string {
	t.Helper()
	name := fmt.Sprintf("gpubench-test-%d-%s-%d", os.Getpid(), strings.NewReplacer("/", "-").Replace(t.Name()), limit)
	var tried []string
	for _, h := range []struct{ root, file string }{
		{"/sys/fs/cgroup/memory", "memory.limit_in_bytes"},
		{"/sys/fs/cgroup/unified", "memory.max"},
		{"/sys/fs/cgroup", "memory.max"},
	} {
		if _, err := os.Stat(filepath.Join(h.root, "cgroup.procs")); err != nil {
			continue
		}
		dir := filepath.Join(h.root, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			tried = append(tried, err.Error())
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, h.file), []byte(fmt.Sprint(limit)), 0o644); err != nil {
			os.Remove(dir)
			tried = append(tried, err.Error())
			continue
		}
		// Swap would let the cgroup's processes go past the limit
		// rather than meet it.
		os.WriteFile(filepath.Join(dir, "memory.swap.max"), []byte("0"), 0o644)
		t.Cleanup(func() {
			if err := os.Remove(dir); err != nil {
				t.Errorf("removing the test's cgroup: %v", err)
			}
		})
		return dir
	}
	t.Skipf("no memory cgroup can be made here (needs root and a writable cgroup hierarchy): %v", tried)
	return ""
}

// gpubenchLimited runs the binary with args from a shell that first
// applies limit (a cgroup folder from memoryCgroup: the shell joins it;
// or "ulimit -v N"), and returns stdout, stderr and the exit code (137
// for a process the kernel killed).
func gpubenchLimited(t *testing.T, limit string, args ...string) (string, string, int) {
	t.Helper()
	if !strings.HasPrefix(limit, "ulimit") {
		limit = "echo $$ > " + filepath.Join(limit, "cgroup.procs")
	}
	script := limit + ` && exec "$0" "$@"`
	cmd := exec.Command("sh", append([]string{"-c", script, binary}, args...)...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal()) // as a shell reports it: 137 for SIGKILL
		}
	} else if err != nil {
		t.Fatalf("sh: %v", err)
	}
	return out.String(), errb.String(), code
}

// clearRefusal fails the test where a command crashed or was killed:
// anything but exit 0, or a refusal (2: too large or usage, 3: a backend
// unavailable) whose error is one line of gpubench's and names why; never
// a Go stack trace, an abort or the kernel's kill.
func clearRefusal(t *testing.T, what string, stderr string, code int) {
	t.Helper()
	for _, crash := range []string{"goroutine ", "fatal error", "panic:", "SIGABRT", "pthread_create failed"} {
		if strings.Contains(stderr, crash) {
			t.Errorf("%s: crashed (exit %d):\n%s", what, code, stderr)
			return
		}
	}
	if code != 0 && code != 2 && code != 3 {
		t.Errorf("%s: exit %d, want 0 or a refusal (2, 3):\n%s", what, code, stderr)
	}
	if code != 0 && !strings.Contains(stderr, "gpubench: ") {
		t.Errorf("%s: exit %d with no reason:\n%s", what, code, stderr)
	}
}

// TestCgroupMemoryLimit: in a cgroup of 80 MiB, saxpy 1Mi on the CPU
// (about 32 MiB of buffers) runs, or is refused with exit 2 naming the
// cgroup's limit and a size that fits; the kernel never kills it (137),
// nor info, which leaves gl out with the reason. In 120 MiB saxpy 4Mi
// runs or is refused the same way, as the quick suite does.
func TestCgroupMemoryLimit(t *testing.T) {
	dir := memoryCgroup(t, 80<<20)
	_, stderr, code := gpubenchLimited(t, dir, "run", "--backend", "cpu", "--kernel", "saxpy", "--size", "1Mi", "-q")
	clearRefusal(t, "saxpy 1Mi in 80 MiB", stderr, code)
	if code == 2 && (!strings.Contains(stderr, "the cgroup's memory limit of 80.0 MiB") || !strings.Contains(stderr, "the largest saxpy that fits is ")) {
		t.Errorf("saxpy 1Mi in 80 MiB refused without naming the cgroup's limit and a size that fits:\n%s", stderr)
	}
	stdout, stderr, code := gpubenchLimited(t, dir, "info")
	clearRefusal(t, "info in 80 MiB", stderr, code)
	if code != 0 || !strings.Contains(stdout, "80.0 MiB") {
		t.Errorf("info in 80 MiB: exit %d, want 0 and the limit shown:\n%s%s", code, stdout, stderr)
	}
	// Far beyond the limit: refused, with what fits.
	_, stderr, code = gpubenchLimited(t, dir, "run", "--backend", "cpu", "--kernel", "saxpy", "--size", "64Mi", "-q")
	if code != 2 || !strings.Contains(stderr, "the cgroup's memory limit of 80.0 MiB") || !strings.Contains(stderr, "the largest saxpy that fits is ") {
		t.Errorf("saxpy 64Mi in 80 MiB: exit %d, want 2 naming the cgroup's limit and a size that fits:\n%s", code, stderr)
	}

	dir = memoryCgroup(t, 120<<20)
	for _, args := range [][]string{
		{"run", "--backend", "cpu", "--kernel", "saxpy", "--size", "4Mi", "-q"},
		{"run", "-q"},
		{"info"},
	} {
		_, stderr, code := gpubenchLimited(t, dir, args...)
		clearRefusal(t, strings.Join(args, " ")+" in 120 MiB", stderr, code)
	}
}

// TestAddressLimit: under ulimit -v 2000000 (1.9 GiB of address space,
// the example of docs/errors.md) every command runs or refuses clearly,
// gl included where it fits; under ulimit -v 1000000 a small CPU case
// still runs. A Go process maps about 1 GiB it never touches, so the
// check counts what is mapped (VmSize), not what is resident.
func TestAddressLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("a dozen runs under ulimit -v")
	}
	for _, args := range [][]string{
		{"info"},
		{"list"},
		{"run", "--backend", "cpu", "-q"},
		{"run", "--backend", "all", "-q"},
		{"run", "--size", "16", "-q"},
		{"scale", "--kernel", "saxpy", "--size", "64Ki", "--workers", "1,2"},
		{"crossover", "--max-size", "64Ki"},
		{"transfer"},
		{"roofline", "--quick"},
		{"info", "--measure"},
	} {
		_, stderr, code := gpubenchLimited(t, "ulimit -v 2000000", args...)
		clearRefusal(t, strings.Join(args, " ")+" under ulimit -v 2000000", stderr, code)
	}
	_, stderr, code := gpubenchLimited(t, "ulimit -v 1000000", "run", "--size", "16", "--backend", "cpu", "-q")
	if code != 0 {
		t.Errorf("run --size 16 --backend cpu under ulimit -v 1000000: exit %d, want 0:\n%s", code, stderr)
	}
	_, stderr, code = gpubenchLimited(t, "ulimit -v 1000000", "run", "--size", "256Mi", "--kernel", "copy", "--backend", "cpu", "-q")
	if code != 2 || !strings.Contains(stderr, "RLIMIT_AS (ulimit -v) of 976.6 MiB") || !strings.Contains(stderr, "the largest copy that fits is ") {
		t.Errorf("copy 256Mi under ulimit -v 1000000: exit %d, want 2 naming RLIMIT_AS and a size that fits:\n%s", code, stderr)
	}
}
