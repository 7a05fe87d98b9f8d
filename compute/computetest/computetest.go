// Package computetest is the conformance suite every backend passes: each
// kernel of the catalogue, in each dtype the device supports, against the
// float64 reference within the kernel's derived error bound.
package computetest

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// describe names a problem of the suite with its scalars, for messages:
// "gemm/37x41x43/float32/a=1,b=0".
func describe(p compute.Problem) string {
	return fmt.Sprintf("%v/a=%g,b=%g", p, p.Alpha, p.Beta)
}

// VectorSizes covers 1, small primes, both sides of the common SIMD
// widths (4, 8, 16 float32) and work-group sizes (64, 256), a size
// bigger than one typical work-group dispatch, and a large size over
// several parallel chunks.
var VectorSizes = []int{1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 255, 256, 257, 1000, 4099, 65537, 1<<20 + 3}

// MatrixShapes covers thin, wide, odd and prime shapes for gemv and
// transpose: [m, n].
var MatrixShapes = [][2]int{{1, 1}, {1, 7}, {7, 1}, {3, 33}, {31, 127}, {127, 31}, {64, 64}, {65, 63}, {257, 1000}, {1031, 1024}}

// GEMMShapes covers odd m, n, k including 1, non-square shapes, sizes
// around register-tile and work-group edges, and one large case: [m, n, k].
var GEMMShapes = [][3]int{
	{1, 1, 1}, {2, 3, 4}, {7, 1, 5}, {1, 7, 3}, {5, 5, 1}, {16, 16, 16}, {17, 15, 33},
	{31, 33, 17}, {33, 31, 64}, {127, 1, 129}, {1, 127, 129}, {65, 67, 3},
	{100, 50, 257}, {129, 130, 131}, {256, 300, 271},
}

// ChainShapes covers fma: N across the same edges as VectorSizes, each
// with K from 1 (one step) through primes and powers of two around
// SIMD and unroll widths to chains long enough to reach the fixed
// point: [n, k].
var ChainShapes = [][2]int{
	{1, 1}, {1, 1000}, {2, 3}, {3, 2}, {7, 64}, {15, 17}, {16, 16}, {17, 5}, {31, 1}, {33, 8},
	{63, 7}, {64, 64}, {65, 2}, {127, 129}, {255, 3}, {256, 256}, {257, 31}, {1000, 1},
	{4099, 13}, {65537, 4}, {1<<20 + 3, 2},
}

// Cases lists the suite for one kernel in dtype dt.
func Cases(k compute.Kernel, dt compute.DType) []compute.Problem {
	var out []compute.Problem
	alpha, beta := 0.0, 0.0
	if k.UsesAlpha() {
		alpha = 1.5
	}
	if k.UsesBeta() {
		beta = -0.75
	}
	add := func(s compute.Shape, alpha, beta float64) {
		out = append(out, compute.Problem{Kernel: k, Shape: s, DType: dt, Alpha: alpha, Beta: beta})
	}
	switch k.Form() {
	case compute.VectorForm:
		for _, n := range VectorSizes {
			add(compute.Vec(n), alpha, beta)
		}
	case compute.MatrixForm:
		for _, d := range MatrixShapes {
			add(compute.Mat(d[0], d[1]), alpha, beta)
		}
	case compute.GEMMForm:
		for _, d := range GEMMShapes {
			add(compute.MNK(d[0], d[1], d[2]), alpha, beta)
		}
		// α = 1, β = 0 (C not read), and β = 1 (pure accumulate).
		add(compute.MNK(37, 41, 43), 1, 0)
		add(compute.MNK(37, 41, 43), -2, 1)
	case compute.ChainForm:
		for _, d := range ChainShapes {
			add(compute.Chain(d[0], d[1]), alpha, beta)
		}
	}
	return out
}

// Run checks every kernel of the catalogue on b in each dtype its device
// supports.
func Run(t *testing.T, b compute.Backend) {
	t.Helper()
	eachCase(t, b, func(t *testing.T, p compute.Problem) {
		if err := Check(b, p, 1); err != nil {
			t.Errorf("%s: %v", describe(p), err)
		}
	})
	t.Run("special-values", func(t *testing.T) { SpecialValues(t, b) })
	t.Run("in-place", func(t *testing.T) { InPlace(t, b) })
	t.Run("bad-launches", func(t *testing.T) { BadLaunches(t, b) })
}

// eachCase calls check on every case of Cases, for every kernel of the
// catalogue in each dtype b's device supports, in a subtest per kernel
// and dtype.
func eachCase(t *testing.T, b compute.Backend, check func(t *testing.T, p compute.Problem)) {
	t.Helper()
	for _, k := range compute.Kernels() {
		for _, dt := range b.Device().DTypes {
			t.Run(k.String()+"/"+dt.String(), func(t *testing.T) {
				for _, p := range Cases(k, dt) {
					check(t, p)
				}
			})
		}
	}
}

// Check runs one case on b with inputs from seed and returns an error
// that describes the first mismatch: an element outside its bound, an
// element left unwritten (out is filled with NaN first; a kernel that
// updates an input in place finds it there instead), or an input the
// kernel changed (other than the one it updates).
func Check(b compute.Backend, p compute.Problem, seed uint64) error {
	in := ref.Inputs(p, seed)
	poisonUnread(p, in)
	return CheckInputs(b, p, in)
}

// poisonUnread fills with NaN the operand p does not read: gemm's C where
// β = 0 (BLAS semantics), so that a kernel that reads it anyway leaks
// NaN into its result.
func poisonUnread(p compute.Problem, in [][]float64) {
	if p.Kernel == compute.Gemm && p.Beta == 0 {
		for i := range in[2] {
			in[2][i] = math.NaN()
		}
	}
}

// CheckInputs is Check with given inputs (ordered as p.Kernel.Inputs).
func CheckInputs(b compute.Backend, p compute.Problem, in [][]float64) error {
	k, dt := p.Kernel, p.DType
	refs, extra, err := references(b.Device(), p, in)
	if err != nil {
		return err
	}
	want := refs[0].Want
	bufs := make([]compute.Buffer, len(in))
	defer func() {
		for _, buf := range bufs {
			if buf != nil {
				buf.Release()
			}
		}
	}()
	for i, v := range in {
		if bufs[i], err = b.Alloc(dt, len(v)); err != nil {
			return fmt.Errorf("alloc %s: %w", k.Inputs()[i], err)
		}
		if err := b.Upload(bufs[i], compute.HostFrom(v, dt)); err != nil {
			return fmt.Errorf("upload %s: %w", k.Inputs()[i], err)
		}
	}
	ip := k.InPlaceIndex()
	var out compute.Buffer
	if ip >= 0 {
		out = bufs[ip]
	} else {
		if out, err = b.Alloc(dt, len(want)); err != nil {
			return fmt.Errorf("alloc out: %w", err)
		}
		defer out.Release()
		nan := make([]float64, len(want))
		for i := range nan {
			nan[i] = math.NaN()
		}
		if err := b.Upload(out, compute.HostFrom(nan, dt)); err != nil {
			return fmt.Errorf("upload out: %w", err)
		}
	}
	got, err := runOnce(b, compute.Launch{Problem: p, In: bufs, Out: out})
	if err != nil {
		return err
	}
	if err := verify(b, p, extra, got, refs); err != nil {
		return err
	}
	for i, buf := range bufs {
		if i == ip {
			continue
		}
		after := compute.NewHost(dt, buf.Len())
		if err := b.Download(after, buf); err != nil {
			return fmt.Errorf("download %s: %w", k.Inputs()[i], err)
		}
		if j := firstDiff(after.Float64s(), in[i]); j >= 0 {
			return fmt.Errorf("input %s changed at element %d", k.Inputs()[i], j)
		}
	}
	return nil
}

// runOnce runs l, waits for it, and downloads its out.
func runOnce(b compute.Backend, l compute.Launch) ([]float64, error) {
	if err := b.Run(l); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	if err := b.Sync(); err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	}
	got := compute.NewHost(l.DType, l.Out.Len())
	if err := b.Download(got, l.Out); err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return got.Float64s(), nil
}

// verify checks got, p's result, against the references, and says what
// is wrong.
func verify(b compute.Backend, p compute.Problem, extra float64, got []float64, refs []ref.Reference) error {
	chk := ref.VerifyAny(p, b.Device().SumLeaf, extra, got, refs...)
	if !chk.OK {
		nan := ""
		if chk.NaNPlacement > 0 {
			nan = fmt.Sprintf(" (%d with NaN misplaced)", chk.NaNPlacement)
		}
		return fmt.Errorf("%d of %d elements wrong%s; first: %s", chk.Bad, len(got), nan, chk.Reason)
	}
	return nil
}

// InPlace checks the kernels that update an input in place (saxpy's y)
// run after run: each run starts from what the last one left, so the
// second run's result must be the kernel of the first one's, within one
// run's bound, over sizes around SIMD widths and parallel chunks.
func InPlace(t *testing.T, b compute.Backend) {
	t.Helper()
	for _, k := range compute.Kernels() {
		ip := k.InPlaceIndex()
		if ip < 0 {
			continue
		}
		for _, dt := range b.Device().DTypes {
			for _, n := range []int{1, 17, 4099, 1<<20 + 3} {
				p := Cases(k, dt)[0].WithShape(compute.Vec(n))
				if err := checkTwice(b, p, ip); err != nil {
					t.Errorf("%s run twice in place: %v", describe(p), err)
				}
			}
		}
	}
}

// checkTwice runs p twice on the same buffers, whose input ip it
// updates, and checks the second result against the reference of the
// first.
func checkTwice(b compute.Backend, p compute.Problem, ip int) error {
	in := ref.Inputs(p, 2)
	bufs := make([]compute.Buffer, len(in))
	for i, v := range in {
		buf, err := b.Alloc(p.DType, len(v))
		if err != nil {
			return err
		}
		defer buf.Release()
		if err := b.Upload(buf, compute.HostFrom(v, p.DType)); err != nil {
			return err
		}
		bufs[i] = buf
	}
	l := compute.Launch{Problem: p, In: bufs, Out: bufs[ip]}
	first, err := runOnce(b, l)
	if err != nil {
		return err
	}
	second, err := runOnce(b, l)
	if err != nil {
		return err
	}
	in[ip] = first
	refs, extra, err := references(b.Device(), p, in)
	if err != nil {
		return err
	}
	return verify(b, p, extra, second, refs)
}

// firstDiff is the first index where a and b differ bit for bit (NaN
// equals NaN), or −1.
func firstDiff(a, b []float64) int {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return i
		}
	}
	return -1
}

// BadLaunches checks that the backend refuses what it must refuse with
// the catalogue's errors rather than a panic or a wrong answer.
func BadLaunches(t *testing.T, b compute.Backend) {
	t.Helper()
	for _, n := range []int{0, -1} {
		if buf, err := b.Alloc(compute.Float32, n); err == nil {
			buf.Release()
			t.Errorf("Alloc(float32, %d) succeeded, want an error", n)
		}
	}
	saxpy10 := compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(10), DType: compute.Float32}
	triad10 := compute.Problem{Kernel: compute.Triad, Shape: compute.Vec(10), DType: compute.Float32}
	x, _ := b.Alloc(compute.Float32, 10)
	y, _ := b.Alloc(compute.Float32, 10)
	y11, _ := b.Alloc(compute.Float32, 11)
	out, _ := b.Alloc(compute.Float32, 10)
	defer x.Release()
	defer y.Release()
	defer y11.Release()
	defer out.Release()
	cases := []struct {
		name string
		l    compute.Launch
	}{
		{"length mismatch", compute.Launch{Problem: saxpy10, In: []compute.Buffer{x, y11}, Out: y11}},
		{"zero size", compute.Launch{Problem: saxpy10.WithShape(compute.Vec(0)), In: []compute.Buffer{x, y}, Out: y}},
		{"missing input", compute.Launch{Problem: saxpy10, In: []compute.Buffer{x}, Out: y}},
		{"matrix shape for vector", compute.Launch{Problem: saxpy10.WithShape(compute.Mat(2, 5)), In: []compute.Buffer{x, y}, Out: y}},
		{"in-place kernel to a third array", compute.Launch{Problem: saxpy10, In: []compute.Buffer{x, y}, Out: out}},
		{"in-place kernel into the wrong input", compute.Launch{Problem: saxpy10, In: []compute.Buffer{x, y}, Out: x}},
		{"out aliases input", compute.Launch{Problem: triad10, In: []compute.Buffer{x, out}, Out: out}},
	}
	for _, c := range cases {
		if err := b.Run(c.l); !errors.Is(err, compute.ErrShape) {
			t.Errorf("%s: Run returned %v, want compute.ErrShape", c.name, err)
		}
	}
	if err := b.Upload(x, compute.HostOf(make([]float32, 3))); err == nil {
		t.Errorf("Upload of 3 elements into a 10-element buffer succeeded")
	}
	if err := b.Upload(x, compute.HostOf(make([]float64, 10))); err == nil {
		t.Errorf("Upload of []float64 into a float32 buffer succeeded")
	}
	if err := b.Download(compute.HostOf(make([]float32, 3)), x); err == nil {
		t.Errorf("Download of a 10-element buffer into 3 elements succeeded")
	}
	z, _ := b.Alloc(compute.Float32, 4)
	z.Release()
	if err := b.Upload(z, compute.HostOf(make([]float32, 4))); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Upload after Release returned %v, want compute.ErrReleased", err)
	}
}
