//go:build linux && !race

package main

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// TestGEMMPeakMemory: gemm 4096 on the CPU peaks below three times its
// operands' size (A, B and C in float32: 192 MiB), the bound.
// The backend's own A, B, C and out already take 256 MiB; the harness
// adds one host slice and the reference's blocks of rows (compute/bench
// measure, ref.GEMMChunks), never a whole operand in float64; a sampled
// check (--verify auto, at this size) reads the downloaded result in
// place and holds one row and column of the inputs. The full check takes
// about a minute (the float64 reference is most of it), so -short and
// -race leave it out.
func TestGEMMPeakMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("a minute of gemm 4096")
	}
	for _, verify := range []string{"full", "auto"} {
		cmd := exec.Command(binary, "run", "--backend", "cpu", "--kernel", "gemm", "--size", "4096", "--reps", "1", "--warmup", "0", "-q", "--verify", verify)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("--verify %s: %v:\n%s", verify, err, out)
		}
		peak := int64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) << 10 // KiB on Linux
		operands := int64(3 * 4096 * 4096 * 4)
		t.Logf("--verify %s: peak RSS %d MiB, operands %d MiB (%.2f×)", verify, peak>>20, operands>>20, float64(peak)/float64(operands))
		if peak >= 3*operands {
			t.Errorf("--verify %s: peak RSS %d MiB, want under 3× the operands' %d MiB", verify, peak>>20, operands>>20)
		}
	}
}

// TestCasesDoNotStack: two large cases in a row peak at about one case's
// memory, not more. copy and scale of 64Mi float32 each hold two 256 MiB
// operands and a 256 MiB host slice (768 MiB); returning the first
// case's arrays before the second allocates, the process peaked at 860
// MiB, and at 1116 MiB without.
func TestCasesDoNotStack(t *testing.T) {
	if testing.Short() {
		t.Skip("two cases of 768 MiB")
	}
	cmd := exec.Command(binary, "run", "--backend", "cpu", "--kernel", "copy,scale", "--size", "64Mi", "--reps", "1", "--warmup", "0", "-q")
	cmd.Env = append(os.Environ(), "GPUBENCH_GL=none")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	peak := int64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) << 10
	const one = 3 * 64 << 20 * 4
	t.Logf("peak RSS %d MiB, one case %d MiB", peak>>20, one>>20)
	if peak >= one*6/5 {
		t.Errorf("peak RSS %d MiB, want under 1.2× one case's %d MiB", peak>>20, one>>20)
	}
}
