package harness

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
	"github.com/gpubench/gpubench/results"
)

// runOne runs one case on the fake backend f with the given --verify.
func runOne(t *testing.T, f *fake, mode VerifyMode, size, kernel string) results.Result {
	var current *fake
	t.Helper()
	current = f
	cfg := config(&current)
	cfg.Reps, cfg.Warmup, cfg.Verify = 1, 0, mode
	rep, err := Run(context.Background(), cfg, plan(t, []string{size}, kernel))
	if err != nil {
		t.Fatal(err)
	}
	return rep.Results[0]
}

// TestSampledVerification: a sampled check passes a correct result,
// catches one wrong element among those it samples (gemm at a tile edge
// and in the uniform part; a vector kernel; gemv; transpose), and says
// how many it checked. A slightly wrong element outside the sample (by
// 10⁻³, under a gemm probe's summed bound) passes it, and full
// verification catches it; so does auto, which streams every kernel but
// gemm whole. In gemm, an element outside the sample wrong by 1 or NaN
// is caught by the probes, which name its row.
func TestSampledVerification(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ kernel, size string }{
		{"gemm", "70x90x33"}, {"saxpy", "10000"}, {"gemv", "5000x3"}, {"transpose", "50x99"}, {"fma", "5000x300"},
	} {
		k := mustKernel(tc.kernel)
		c := plan(t, []string{tc.size}, tc.kernel)[0]
		n := c.OutLen()
		idx := ref.SampleIndices(k, c.Shape, SampleSize, 1)
		r := runOne(t, &fake{}, VerifySample, tc.size, tc.kernel)
		if !r.Verified || r.Checked != SampleSize || r.Elements != n {
			t.Errorf("%s %s: correct result: verified %v, %d of %d checked (%s%s)", tc.kernel, tc.size, r.Verified, r.Checked, r.Elements, r.Mismatch, r.Err)
		}
		for _, e := range []int{idx[1], idx[len(idx)/2], idx[len(idx)-1]} {
			r := runOne(t, &fake{corrupt: tc.kernel, at: e}, VerifySample, tc.size, tc.kernel)
			if r.Verified || !strings.HasPrefix(r.Mismatch, fmt.Sprintf("element %d:", e)) || r.Checked != SampleSize {
				t.Errorf("%s %s: element %d wrong: verified %v, %q, %d checked", tc.kernel, tc.size, e, r.Verified, r.Mismatch, r.Checked)
			}
		}
		out := 0 // the first element not in the sample
		for i, e := range idx {
			if e != i {
				out = i
				break
			}
		}
		if r := runOne(t, &fake{corrupt: tc.kernel, at: out}, VerifySample, tc.size, tc.kernel); !r.Verified {
			t.Errorf("%s: element %d is not in the sample, yet it failed: %s", tc.kernel, out, r.Mismatch)
		}
		if r := runOne(t, &fake{corrupt: tc.kernel, at: out}, VerifyFull, tc.size, tc.kernel); r.Verified || r.Checked != n {
			t.Errorf("%s: full verification missed element %d (%d checked)", tc.kernel, out, r.Checked)
		}
		if tc.kernel == "gemm" {
			row := fmt.Sprintf("row %d, columns 0–%d:", out/c.Shape.N, c.Shape.N-1)
			for _, by := range []float64{1, math.NaN()} {
				r := runOne(t, &fake{corrupt: tc.kernel, at: out, by: by}, VerifySample, tc.size, tc.kernel)
				if r.Verified || !strings.HasPrefix(r.Mismatch, row) || r.Checked != SampleSize {
					t.Errorf("gemm: element %d outside the sample off by %g: verified %v, %q", out, by, r.Verified, r.Mismatch)
				}
			}
		} else if r := runOne(t, &fake{corrupt: tc.kernel, at: out}, VerifyAuto, tc.size, tc.kernel); r.Verified || r.Checked != n {
			t.Errorf("%s: auto (streamed) missed element %d (%d checked)", tc.kernel, out, r.Checked)
		}
	}
	// A result no larger than the sample is checked whole.
	if r := runOne(t, &fake{}, VerifySample, "33", "gemm"); !r.Verified || r.Checked != 33*33 || r.Elements != 33*33 {
		t.Errorf("small gemm sampled: %d of %d", r.Checked, r.Elements)
	}
	if r := runOne(t, &fake{}, VerifySample, "100000", "dot"); !r.Verified || r.Checked != 1 || r.Elements != 1 {
		t.Errorf("dot under sample: verified %v, %d of %d checked", r.Verified, r.Checked, r.Elements)
	}
}

// TestSampledWhen: auto samples a gemm whose full reference would cost
// more than FullRefFLOPs and streams every other kernel whole, full and
// sample force either way, dot and sum are checked whole, and a dump
// changes none of it.
func TestSampledWhen(t *testing.T) {
	t.Parallel()
	f32 := compute.Float32
	cases := []struct {
		kernel string
		s      compute.Shape
		mode   VerifyMode
		dump   bool
		want   bool
	}{
		{"gemm", compute.MNK(4096, 4096, 4096), "", false, true},
		{"gemm", compute.MNK(4096, 4096, 4096), VerifyAuto, true, true},
		{"gemm", compute.MNK(512, 512, 512), VerifyAuto, true, false},
		{"add", compute.Vec(64 << 20), VerifyAuto, true, false},
		{"gemm", compute.MNK(4096, 4096, 4096), VerifyFull, false, false},
		{"gemm", compute.MNK(512, 512, 512), VerifyAuto, false, false},
		{"gemm", compute.MNK(1024, 1024, 1024), VerifyAuto, false, true},
		{"gemm", compute.MNK(512, 512, 512), VerifySample, false, true},
		{"add", compute.Vec(4 << 20), VerifyAuto, false, false},
		{"add", compute.Vec(64 << 20), VerifyAuto, false, false},
		{"add", compute.Vec(64 << 20), VerifySample, false, true},
		{"gemv", compute.Mat(2048, 2048), VerifyAuto, false, false},
		{"gemv", compute.Mat(16384, 16384), VerifyAuto, false, false},
		{"fma", compute.Chain(64<<20, 1024), VerifyAuto, false, false},
		{"dot", compute.Vec(1 << 28), VerifyAuto, false, false},
		{"sum", compute.Vec(1 << 28), VerifySample, false, false},
	}
	for _, tc := range cases {
		cfg := Config{Verify: tc.mode}
		if tc.dump {
			cfg.Dump = func(compute.Problem, string, uint64, compute.Host) error { return nil }
		}
		c := compute.Problem{Kernel: mustKernel(tc.kernel), Shape: tc.s, DType: f32}
		if got := sampled(c, cfg); got != tc.want {
			t.Errorf("%s %s verify %q dump %v: sampled %v, want %v", tc.kernel, tc.s.Format(c.Kernel), tc.mode, tc.dump, got, tc.want)
		}
		// Whatever is not sampled is checked whole: streamed, but for
		// gemm.
		if want := !tc.want && tc.kernel != "gemm"; streamed(c, cfg) != want {
			t.Errorf("%s %s verify %q dump %v: streamed %v, want %v", tc.kernel, tc.s.Format(c.Kernel), tc.mode, tc.dump, !want, want)
		}
	}
	for _, s := range []string{"", "auto", "full", "sample"} {
		if _, err := ParseVerifyMode(s); err != nil {
			t.Errorf("ParseVerifyMode(%q): %v", s, err)
		}
	}
	var fe *compute.FieldError
	if _, err := ParseVerifyMode("some"); !errors.Is(err, compute.ErrUsage) || !errors.As(err, &fe) || fe.Field != "Verify" {
		t.Errorf("ParseVerifyMode(some): %v", err)
	}
}
