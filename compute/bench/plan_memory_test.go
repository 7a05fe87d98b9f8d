package bench

import (
	"errors"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestCheckMemoryFor: a vector case whose float64 reference would not
// fit is checked streaming, in full or sampled, where its operands fit:
// HostBytes counts the operands, the staging slice and a few chunks, not
// a float64 copy of each array. A dump, which holds the inputs and the
// reference whole, is refused with ErrTooLarge, as are operands beyond
// memory.
func TestCheckMemoryFor(t *testing.T) {
	triad := mustKernel("triad")
	c := Case{Kernel: triad, Shape: compute.Vec(64 << 20), DType: compute.Float32, Alpha: DefaultAlpha}
	const avail uint64 = 2 << 30 // operands and the staging slice are 1 GiB, a reference in memory 3.5 GiB more
	const operands = 4 * 4 * (64 << 20)
	if got := HostBytes(c); got < operands || got > operands+64<<20 {
		t.Errorf("HostBytes %s, want the operands' %s and a few chunks", FormatBytes(got), FormatBytes(operands))
	}
	for _, mode := range []VerifyMode{VerifyAuto, VerifySample, VerifyFull} {
		if err := CheckMemoryFor(c, Config{Verify: mode}, avail); err != nil {
			t.Errorf("%s: %v", mode, err)
		}
	}
	dump := Config{Verify: VerifyAuto, Dump: func(Case, string, [][]float64, []float64) error { return nil }}
	if err := CheckMemoryFor(c, dump, avail); !errors.Is(err, compute.ErrTooLarge) {
		t.Errorf("auto with a dump: %v, want ErrTooLarge", err)
	}
	if err := CheckMemoryFor(c, Config{Verify: VerifyAuto}, 512<<20); !errors.Is(err, compute.ErrTooLarge) {
		t.Errorf("operands beyond memory: %v, want ErrTooLarge", err)
	}
	// A gemm with a dump holds its reference in memory; without, blocks
	// of rows.
	g := Case{Kernel: mustKernel("gemm"), Shape: compute.GEMM(2048, 2048, 2048), DType: compute.Float32}
	if full, dumped := hostBytes(g, Config{}), hostBytes(g, dump); dumped < full+5*8*2048*2048 {
		t.Errorf("gemm 2048: %s dumped, %s not: the dump's reference is not counted", FormatBytes(dumped), FormatBytes(full))
	}
}
