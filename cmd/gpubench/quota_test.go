//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/hwinfo"
)

// TestCgroupCPUQuota: gpubench started inside a cgroup of its own with
// a CPU quota of one CPU (made by the test: v1's cpu controller or v2's
// cpu.max) reports the quota, a peak of one core and one worker, and
// says so on stderr; the cgroup is removed afterwards. It needs root
// and a cgroup hierarchy with the cpu controller, and skips without.
func TestCgroupCPUQuota(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("a quota of one CPU changes nothing on a machine of one")
	}
	dir := makeQuotaCgroup(t, fmt.Sprintf("gpubench-test-%d", os.Getpid()))
	inCgroup := gpubenchIn(t, dir)

	stdout, stderr := inCgroup("info", "--format", "json")
	var m struct {
		Probe hwinfo.Info `json:"probe"`
	}
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("info --format json: %v\n%s", err, stdout)
	}
	if m.Probe.CPU.CPUQuota != 1 || m.Probe.Peak.Cores != 1 || !strings.Contains(m.Probe.CPU.CPUQuotaFrom, dir) {
		t.Errorf("under a quota of 1 CPU: quota %g from %q, a peak of %d cores", m.Probe.CPU.CPUQuota, m.Probe.CPU.CPUQuotaFrom, m.Probe.Peak.Cores)
	}
	if want := fmt.Sprintf("cgroup CPU quota: 1 CPU of %d; workers 1", m.Probe.CPU.LogicalCores); !strings.Contains(stderr, want) {
		t.Errorf("info's stderr %q, want %q", stderr, want)
	}

	stdout, stderr = inCgroup("run", "--backend", "cpu", "--kernel", "dot", "--size", "1000", "--reps", "2", "-q", "--format", "json")
	var rep struct {
		Devices []struct {
			Workers int `json:"workers"`
		} `json:"devices"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || len(rep.Devices) != 1 || rep.Devices[0].Workers != 1 {
		t.Errorf("run under a quota of 1 CPU: %v, devices %+v, want 1 worker", err, rep.Devices)
	}
	if !strings.Contains(stderr, "workers 1") {
		t.Errorf("run's stderr %q does not name the quota", stderr)
	}
}

// gpubenchIn runs the built gpubench inside the cgroup dir (its shell
// joins the cgroup, then becomes gpubench), with a cache of its own and
// no gl, and returns its stdout and stderr.
func gpubenchIn(t *testing.T, dir string) func(args ...string) (string, string) {
	env := append(os.Environ(), append([]string{"XDG_CACHE_HOME=" + t.TempDir()}, noGL...)...)
	return func(args ...string) (string, string) {
		t.Helper()
		script := `echo $$ > "$1"/cgroup.procs && shift && exec "$@"`
		cmd := exec.Command("sh", append([]string{"-c", script, "sh", dir, binary}, args...)...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("gpubench %v in %s: %v\n%s", args, dir, err, errb.String())
		}
		return out.String(), errb.String()
	}
}

// TestCgroupCpuset: gpubench started inside a v1 cpuset cgroup of one
// CPU (made by the test) counts one core and one thread, and its peak
// one core: a cpuset narrows the affinity mask the cores are counted
// from. It needs root and v1's cpuset hierarchy, and skips without.
func TestCgroupCpuset(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("a cpuset of one CPU changes nothing on a machine of one")
	}
	root := "/sys/fs/cgroup/cpuset"
	mems, err := os.ReadFile(filepath.Join(root, "cpuset.mems"))
	if err != nil {
		t.Skipf("no v1 cpuset hierarchy: %v", err)
	}
	dir := filepath.Join(root, fmt.Sprintf("gpubench-test-%d", os.Getpid()))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Skipf("cannot make a cpuset cgroup (root is needed): %v", err)
	}
	t.Cleanup(func() { removeCgroup(t, dir) })
	if err := errors.Join(os.WriteFile(filepath.Join(dir, "cpuset.cpus"), []byte("0"), 0o644),
		os.WriteFile(filepath.Join(dir, "cpuset.mems"), mems, 0o644)); err != nil {
		t.Skipf("cannot set the cpuset: %v", err)
	}
	stdout, _ := gpubenchIn(t, dir)("info", "--format", "json")
	var m struct {
		Probe hwinfo.Info `json:"probe"`
	}
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("info --format json: %v\n%s", err, stdout)
	}
	if c := m.Probe.CPU; c.LogicalCores != 1 || c.PhysicalCores != 1 || m.Probe.Peak.Cores != 1 {
		t.Errorf("in a cpuset of CPU 0: %d logical, %d physical (%s), a peak of %d cores; want 1, 1, 1",
			c.LogicalCores, c.PhysicalCores, c.CoresFrom, m.Probe.Peak.Cores)
	}
}

// makeQuotaCgroup makes a cgroup called name with a CPU quota of one
// CPU, in v1's cpu hierarchy or else in v2's, and removes it when the
// test ends; it skips the test where none can be made.
func makeQuotaCgroup(t *testing.T, name string) string {
	t.Helper()
	write := func(path, s string) error { return os.WriteFile(path, []byte(s), 0o644) }
	var dir string
	switch {
	case fileExists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"):
		dir = filepath.Join("/sys/fs/cgroup/cpu", name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Skipf("cannot make a v1 cgroup (root is needed): %v", err)
		}
		t.Cleanup(func() { removeCgroup(t, dir) })
		if err := errors.Join(write(filepath.Join(dir, "cpu.cfs_period_us"), "100000"),
			write(filepath.Join(dir, "cpu.cfs_quota_us"), "100000")); err != nil {
			t.Skipf("cannot set a v1 CPU quota: %v", err)
		}
	case fileExists("/sys/fs/cgroup/cgroup.controllers"):
		dir = filepath.Join("/sys/fs/cgroup", name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Skipf("cannot make a v2 cgroup (root is needed): %v", err)
		}
		t.Cleanup(func() { removeCgroup(t, dir) })
		if err := write(filepath.Join(dir, "cpu.max"), "100000 100000"); err != nil {
			t.Skipf("cannot set cpu.max (is the cpu controller enabled in cgroup.subtree_control?): %v", err)
		}
	default:
		t.Skip("no cgroup hierarchy with the cpu controller at /sys/fs/cgroup")
	}
	return dir
}

// removeCgroup removes the cgroup dir, whose processes have ended.
func removeCgroup(t *testing.T, dir string) {
	if err := os.Remove(dir); err != nil {
		t.Errorf("removing the cgroup: %v", err)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
