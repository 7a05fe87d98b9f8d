package harness

import (
	"errors"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

const mi = 1 << 20

// Limits a test holds a plan to, as hwinfo reads them: a v1 cgroup of 80
// MiB, ulimit -v 2000000 with 1.2 GiB mapped, and a machine's
// MemAvailable.
var (
	cgroup80 = hwinfo.Memory{Resident: hwinfo.Room{Bytes: 76 * mi, LimitBytes: 80 * mi, Name: hwinfo.CgroupLimit,
		Path: "/sys/fs/cgroup/memory/x/memory.limit_in_bytes"}}
	ulimit2000000 = hwinfo.Memory{Resident: hwinfo.Room{Bytes: 20 << 30, Name: hwinfo.MemAvailable},
		Address: hwinfo.Room{Bytes: 650 * mi, LimitBytes: 2000000 << 10, Name: hwinfo.AddressLimit}}
	available1G = hwinfo.Memory{Resident: hwinfo.Room{Bytes: 1 << 30, Name: hwinfo.MemAvailable}}
)

// TestCheckMemoryNamesLimit: a case beyond what a limit leaves is refused
// before it allocates, with ErrTooLarge, naming the limit that binds and
// the largest size of its kernel that fits; that size passes the same
// check, and twice it does not.
func TestCheckMemoryNamesLimit(t *testing.T) {
	t.Parallel()
	cpu := Config{Verify: VerifyAuto, Backends: []string{"cpu"}, Options: compute.Options{Workers: 2}}
	for _, c := range []struct {
		name, kernel, size string
		mem                hwinfo.Memory
		limit, fits        string
	}{
		{"saxpy in a cgroup of 80 MiB", "saxpy", "64Mi", cgroup80, "the cgroup's memory limit of 80.0 MiB (/sys/fs/cgroup/memory/x/memory.limit_in_bytes)", "2Mi"},
		{"copy under ulimit -v 2000000", "copy", "256Mi", ulimit2000000, "RLIMIT_AS (ulimit -v) of 1.9 GiB", "32Mi"},
		{"gemm beyond MemAvailable", "gemm", "16384", available1G, "MemAvailable", "7136x7136x7136"},
		{"transpose in a cgroup", "transpose", "8192", cgroup80, "the cgroup's memory limit of 80.0 MiB", "1728x1728"},
		{"fma in a cgroup", "fma", "64Mix256", cgroup80, "the cgroup's memory limit", "2Mix256"},
	} {
		k := mustKernel(c.kernel)
		s, err := k.ParseShape(c.size)
		if err != nil {
			t.Fatal(err)
		}
		p := NewProblem(k, s, compute.Float32)
		err = checkMemory(p, cpu, c.mem)
		if !errors.Is(err, compute.ErrTooLarge) || !strings.Contains(err.Error(), "is free under "+c.limit) ||
			!strings.Contains(err.Error(), "the largest "+c.kernel+" that fits is "+c.fits) {
			t.Errorf("%s: %v; want ErrTooLarge under %s, fitting %s", c.name, err, c.limit, c.fits)
			continue
		}
		fit, err := k.ParseShape(c.fits)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkMemory(NewProblem(k, fit, compute.Float32), cpu, c.mem); err != nil {
			t.Errorf("%s: the size said to fit does not: %v", c.name, err)
		}
		double := fit
		double.N *= 2
		if err := checkMemory(NewProblem(k, double, compute.Float32), cpu, c.mem); err == nil {
			t.Errorf("%s: twice the size said to be the largest fits too", c.name)
		}
	}
}

// TestRunNeedCountsBackends: a run that opens gl counts the GL
// implementation's working memory once and each case's operands again
// on the device; threads add a stack each in address space; a run on
// the CPU alone counts neither.
func TestRunNeedCountsBackends(t *testing.T) {
	t.Parallel()
	p := NewProblem(compute.Saxpy, compute.Vec(1<<20), compute.Float32)
	cpu := Config{Verify: VerifyAuto, Backends: []string{"cpu"}, Options: compute.Options{Workers: 2}}
	gl := cpu
	gl.Backends = []string{"cpu", "gl"}
	if d := runNeed(p, gl).Resident - runNeed(p, cpu).Resident; d != 2*4*(1<<20) {
		t.Errorf("gl adds %v bytes, want saxpy's x and y on the device, 8 MiB", d)
	}
	wide := cpu
	wide.Options.Workers = 10
	if d := runNeed(p, wide).Address - runNeed(p, cpu).Address; d != 8*threadStack {
		t.Errorf("8 workers more add %v bytes of address space, want 8 stacks", d)
	}
	cases, err := PlanFor([]compute.Kernel{compute.Saxpy}, []string{"1Mi"}, []compute.DType{compute.Float32}, Config{
		Env: &Env{Memory: func() hwinfo.Memory { return cgroup80 }}, Verify: VerifyAuto, Backends: cpu.Backends})
	if err != nil || len(cases) != 1 {
		t.Errorf("saxpy 1Mi on the CPU in a cgroup of 80 MiB: %v", err)
	}
	_, err = PlanFor([]compute.Kernel{compute.Saxpy}, []string{"1Mi"}, []compute.DType{compute.Float32}, Config{
		Env: &Env{Memory: func() hwinfo.Memory { return cgroup80 }}, Verify: VerifyAuto, Backends: gl.Backends})
	if !errors.Is(err, compute.ErrTooLarge) || !strings.Contains(err.Error(), "beside the GL implementation's working memory") {
		t.Errorf("saxpy 1Mi with gl in a cgroup of 80 MiB: %v, want a refusal that names gl's working memory", err)
	}
}

// TestRooflineAvailable: a CPU roofline whose run opens gl after it
// sizes its arrays to leave the GL implementation its working memory
// (the Go heap never returns address space); alone, or on gl itself, it
// may use more. Without a known limit it is AvailableBytes.
func TestRooflineAvailable(t *testing.T) {
	t.Parallel()
	both := Config{Backends: []string{"cpu", "gl"}, Verify: VerifySample, Options: compute.Options{Workers: 2}}
	alone := Config{Backends: []string{"cpu"}, Verify: VerifySample, Options: compute.Options{Workers: 2}}
	before, cpuAlone := rooflineAvailable(ulimit2000000, both, "cpu"), rooflineAvailable(ulimit2000000, alone, "cpu")
	if before == 0 || before >= cpuAlone {
		t.Errorf("before gl %s, alone %s: want less before gl", hwinfo.FormatBytes(float64(before)), hwinfo.FormatBytes(float64(cpuAlone)))
	}
	if d := float64(cpuAlone - before); d < hwinfo.GLWorkingMemory.Address/2 {
		t.Errorf("gl's working memory holds back only %s", hwinfo.FormatBytes(d))
	}
	if got := rooflineAvailable(hwinfo.Memory{AvailableBytes: 0}, both, "cpu"); got != 0 {
		t.Errorf("with nothing known: %d, want 0 (unknown)", got)
	}
	tiny := ulimit2000000
	tiny.Address.Bytes = 100 * mi
	if got := rooflineAvailable(tiny, both, "cpu"); got != 1 {
		t.Errorf("where nothing fits: %d, want 1 (not 0, unknown)", got)
	}
}
