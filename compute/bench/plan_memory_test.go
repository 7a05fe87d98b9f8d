package bench

import (
	"errors"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestCheckMemoryFor: a case too large for a full float64 reference but
// checked on a sample fits where its operands do; verified in full, or
// dumped (which auto checks in full), it is refused with ErrTooLarge.
func TestCheckMemoryFor(t *testing.T) {
	triad := mustKernel("triad")
	c := Case{Kernel: triad, Shape: compute.Vec(64 << 20), DType: compute.Float32, Alpha: DefaultAlpha}
	const avail uint64 = 2 << 30 // operands and the staging slice are 1 GiB, a full reference 3.5 GiB more
	if got := HostBytes(c); got <= float64(avail) {
		t.Fatalf("HostBytes %v fits in %v: the case does not test anything", got, avail)
	}
	if err := CheckMemoryFor(c, Config{Verify: VerifyAuto}, avail); err != nil {
		t.Errorf("auto (sampled): %v", err)
	}
	if err := CheckMemoryFor(c, Config{Verify: VerifySample}, avail); err != nil {
		t.Errorf("sample: %v", err)
	}
	if err := CheckMemoryFor(c, Config{Verify: VerifyFull}, avail); !errors.Is(err, compute.ErrTooLarge) {
		t.Errorf("full: %v, want ErrTooLarge", err)
	}
	dump := Config{Verify: VerifyAuto, Dump: func(Case, string, [][]float64, []float64) error { return nil }}
	if err := CheckMemoryFor(c, dump, avail); !errors.Is(err, compute.ErrTooLarge) {
		t.Errorf("auto with a dump: %v, want ErrTooLarge", err)
	}
	if err := CheckMemoryFor(c, Config{Verify: VerifyAuto}, 512<<20); !errors.Is(err, compute.ErrTooLarge) {
		t.Errorf("operands beyond memory: %v, want ErrTooLarge", err)
	}
}
