package harness

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/results"
)

// TestCheckMemoryFor: a vector case whose float64 reference would not
// fit is checked streaming, in full or sampled, where its operands fit:
// HostBytes counts the operands, the staging slice and a few chunks, not
// a float64 copy of each array. A dump changes neither how a case is
// checked nor what it needs beyond its blocks: it fits where the case
// without it does. Operands beyond memory are refused with ErrTooLarge.
func TestCheckMemoryFor(t *testing.T) {
	t.Parallel()
	triad := mustKernel("triad")
	c := compute.Problem{Kernel: triad, Shape: compute.Vec(64 << 20), DType: compute.Float32, Alpha: DefaultAlpha}
	const avail uint64 = 2 << 30 // operands and the staging slice are 1 GiB, a reference in memory 3.5 GiB more
	const operands = 4 * 4 * (64 << 20)
	if got := HostBytes(c); got < operands || got > operands+64<<20 {
		t.Errorf("HostBytes %s, want the operands' %s and a few chunks", results.FormatBytes(got), results.FormatBytes(operands))
	}
	dump := func(compute.Problem, string, uint64, compute.Host) error { return nil }
	for _, mode := range []VerifyMode{VerifyAuto, VerifySample, VerifyFull} {
		if err := CheckMemoryFor(c, Config{Verify: mode}, avail); err != nil {
			t.Errorf("%s: %v", mode, err)
		}
		if err := CheckMemoryFor(c, Config{Verify: mode, Dump: dump}, avail); err != nil {
			t.Errorf("%s with a dump: %v", mode, err)
		}
	}
	if err := CheckMemoryFor(c, Config{Verify: VerifyAuto, Dump: dump}, 512<<20); !errors.Is(err, compute.ErrTooLarge) {
		t.Errorf("operands beyond memory: %v, want ErrTooLarge", err)
	}
	// gemm is checked as it would be without the dump, sampled past
	// FullRefFLOPs, in blocks of rows below, and needs only the dump's
	// blocks more.
	for _, n := range []int{300, 2048, 4096} {
		g := compute.Problem{Kernel: mustKernel("gemm"), Shape: compute.MNK(n, n, n), DType: compute.Float32}
		for _, mode := range []VerifyMode{VerifyAuto, VerifySample, VerifyFull} {
			plain, dumped := Config{Verify: mode}, Config{Verify: mode, Dump: dump}
			if sampled(g, plain) != sampled(g, dumped) || streamed(g, plain) != streamed(g, dumped) {
				t.Errorf("gemm %d %s: a dump changes the check", n, mode)
			}
			if d := hostBytes(g, dumped) - hostBytes(g, plain); d != 3*results.NPYBlock {
				t.Errorf("gemm %d %s: a dump needs %s more, want its blocks' %s", n, mode, results.FormatBytes(d), results.FormatBytes(3*results.NPYBlock))
			}
		}
	}
}

// limitMemory makes the harness see avail bytes free within a cgroup's
// limit in env.
func limitMemory(env *Env, avail uint64) {
	env.Memory = func() hwinfo.Memory {
		return hwinfo.Memory{TotalBytes: 64 << 30, AvailableBytes: avail, Limit: "/sys/fs/cgroup/memory.max (cgroup v2)", LimitBytes: 120 << 20}
	}
}

// TestMemoryLimitEveryCommand: the memory check holds run's plan and
// every point of a scaling sweep, a weak one's largest included, to what
// a limit leaves, and names the limit.
func TestMemoryLimitEveryCommand(t *testing.T) {
	t.Parallel()
	current := &fake{}
	cfg := config(&current)
	limitMemory(cfg.Env, 110<<20)
	full := cfg
	full.Verify = VerifyFull // as Plan checks
	triad := mustKernel("triad")
	if _, err := PlanFor([]compute.Kernel{triad}, []string{"16Mi"}, []compute.DType{compute.Float32}, full); !errors.Is(err, compute.ErrTooLarge) ||
		!strings.Contains(err.Error(), "free under /sys/fs/cgroup/memory.max (cgroup v2) of 120.0 MiB") ||
		!strings.Contains(err.Error(), "the largest triad that fits is 4Mi") {
		t.Errorf("Plan of triad 16Mi in 110 MiB: %v", err)
	}
	cases, err := PlanFor([]compute.Kernel{triad}, []string{"1Mi"}, []compute.DType{compute.Float32}, full)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Reps, cfg.Warmup = 1, 0
	// 1Mi triad needs about 40 MiB; with 8 workers the weak sweep's last
	// point is 8Mi, about 170 MiB, and 4Mi about 102 MiB.
	if _, err := Scale(context.Background(), cfg, "fake", cases[0], []int{1, 2, 8}, true); !errors.Is(err, compute.ErrTooLarge) ||
		!strings.Contains(err.Error(), "8388608") {
		t.Errorf("a weak sweep to 8Mi in 110 MiB: %v", err)
	}
	if _, err := Scale(context.Background(), cfg, "fake", cases[0], []int{1, 2, 4}, true); err != nil {
		t.Errorf("a weak sweep to 4Mi in 110 MiB: %v", err)
	}
}

// TestHostBytesInPlace: saxpy updates y in place, so it holds x, y and
// the staging slice; triad holds its third array too.
func TestHostBytesInPlace(t *testing.T) {
	t.Parallel()
	const n = 64 << 20
	saxpy := compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(n), DType: compute.Float32, Alpha: DefaultAlpha}
	triad := saxpy
	triad.Kernel = compute.Triad
	if d := HostBytes(triad) - HostBytes(saxpy); d != 4*n {
		t.Errorf("triad needs %s more than saxpy, want one array, %s", results.FormatBytes(d), results.FormatBytes(4*n))
	}
}
