package hostbuf

import (
	"errors"
	"go/build"
	"math"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// other is a compute.Buffer that no Set made.
type other struct{}

func (other) Len() int             { return 1 }
func (other) DType() compute.DType { return compute.Float32 }
func (other) Release() error       { return nil }

func mustAlloc(t *testing.T, s *Set, dt compute.DType, n int) *Buffer {
	t.Helper()
	u, err := s.Alloc(dt, n)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAlloc(t *testing.T) {
	s := NewSet("test", 0)
	u := mustAlloc(t, s, compute.Float64, 5)
	if u.Len() != 5 || u.DType() != compute.Float64 || u.data.Len() != 5 || u.data.DType() != compute.Float64 {
		t.Errorf("Alloc(float64, 5) = %d %v holding %d %v", u.Len(), u.DType(), u.data.Len(), u.data.DType())
	}
	for _, c := range []struct {
		dt   compute.DType
		n    int
		want error
		says string
	}{
		{compute.Float32, 0, compute.ErrShape, "at least 1"},
		{compute.Float32, -1, compute.ErrShape, "at least 1"},
		{compute.DType(9), 4, compute.ErrUnsupported, "test has float32 and float64"},
		{compute.Float64, math.MaxInt / 4, compute.ErrTooLarge, ""},
		{compute.Float64, math.MaxInt/8 + 1, compute.ErrTooLarge, "address space"},
	} {
		if _, err := s.Alloc(c.dt, c.n); !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Alloc(%v, %d) = %v, want %v saying %q", c.dt, c.n, err, c.want, c.says)
		}
	}
}

// TestAllocMemory: a set refuses a buffer larger than the memory it was
// made with, saying what to do, and takes one that fits exactly; made
// with 0 (unknown) it refuses only what overflows the address space.
func TestAllocMemory(t *testing.T) {
	s := NewSet("test", 1<<20)
	mustAlloc(t, s, compute.Float64, 1<<17)
	if _, err := s.Alloc(compute.Float64, 1<<17+1); !errors.Is(err, compute.ErrTooLarge) ||
		!strings.Contains(err.Error(), "the machine has 0.0 GiB: choose a smaller size") {
		t.Errorf("Alloc of 1 MiB + 8 bytes with 1 MiB: %v, want ErrTooLarge", err)
	}
	mustAlloc(t, NewSet("test", 0), compute.Float32, 1<<18+1)
}

// TestAllocProbesNothing: a host buffer checks its size against the
// memory its set was given and never asks hwinfo (which measures the
// clock on its first probe): neither hostbuf nor any package of ours it
// imports imports hwinfo.
func TestAllocProbesNothing(t *testing.T) {
	const module = "github.com/gpubench/gpubench/"
	seen := map[string]bool{}
	var walk func(path string)
	walk = func(path string) {
		p, err := build.Default.Import(path, ".", 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, module) && !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(module + "internal/hostbuf")
	if seen[module+"hwinfo"] || !seen[module+"compute"] {
		t.Errorf("hostbuf imports %v: want compute, and not hwinfo", seen)
	}
}

func TestOwnership(t *testing.T) {
	s, t2 := NewSet("test", 0), NewSet("test", 0)
	x := mustAlloc(t, s, compute.Float32, 4)
	foreign := mustAlloc(t, t2, compute.Float32, 4)
	if _, err := s.Upload(foreign, compute.HostOf(make([]float32, 4))); !errors.Is(err, compute.ErrUsage) ||
		!strings.Contains(err.Error(), "belongs to another test backend") {
		t.Errorf("Upload into another set's buffer = %v, want ErrUsage", err)
	}
	if _, err := s.Download(compute.HostOf(make([]float32, 1)), other{}); !errors.Is(err, compute.ErrUsage) ||
		!strings.Contains(err.Error(), "is not a test buffer") {
		t.Errorf("Download of a foreign kind of buffer = %v, want ErrUsage", err)
	}
	if _, err := s.Upload(nil, compute.HostOf(make([]float32, 4))); !errors.Is(err, compute.ErrUsage) {
		t.Errorf("Upload into nil = %v, want ErrUsage", err)
	}
	if err := x.Release(); err != nil {
		t.Fatal(err)
	}
	if err := x.Release(); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("second Release = %v, want ErrReleased", err)
	}
	if _, err := s.Upload(x, compute.HostOf(make([]float32, 4))); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Upload into a released buffer = %v, want ErrReleased", err)
	}
	if len(s.live) != 0 {
		t.Errorf("%d buffers live after the only one was released", len(s.live))
	}
}

func TestTransfer(t *testing.T) {
	s := NewSet("test", 0)
	x := mustAlloc(t, s, compute.Float32, 3)
	d, err := s.Upload(x, compute.HostOf([]float32{1, 2, 3}))
	if err != nil {
		t.Fatal(err)
	}
	compute.CopyHost(d, compute.HostOf([]float32{1, 2, 3}))
	got := compute.HostOf(make([]float32, 3))
	src, err := s.Download(got, x)
	if err != nil {
		t.Fatal(err)
	}
	compute.CopyHost(got, src)
	if g := compute.Data[float32](got); g[0] != 1 || g[1] != 2 || g[2] != 3 {
		t.Errorf("round trip gave %v: Upload and Download do not return the buffer's memory", g)
	}
	for _, h := range []compute.Host{compute.HostOf(make([]float32, 4)), compute.HostOf(make([]float64, 3)), {}} {
		if _, err := s.Upload(x, h); !errors.Is(err, compute.ErrShape) || !strings.Contains(err.Error(), "upload: buffer holds 3 float32") {
			t.Errorf("Upload of %d %v into 3 float32 = %v, want ErrShape", h.Len(), h.DType(), err)
		}
		if _, err := s.Download(h, x); !errors.Is(err, compute.ErrShape) || !strings.Contains(err.Error(), "download:") {
			t.Errorf("Download of 3 float32 into %d %v = %v, want ErrShape", h.Len(), h.DType(), err)
		}
	}
}

func TestLaunch(t *testing.T) {
	s := NewSet("test", 0)
	x, y, out := mustAlloc(t, s, compute.Float64, 8), mustAlloc(t, s, compute.Float64, 8), mustAlloc(t, s, compute.Float64, 8)
	compute.CopyHost(x.data, compute.HostOf([]float64{1, 1, 1, 1, 1, 1, 1, 1}))
	p := compute.Problem{Kernel: compute.Add, Shape: compute.Vec(8), DType: compute.Float64}
	var ops Operands
	if err := s.Launch(&compute.Launch{Problem: p, In: []compute.Buffer{x, y}, Out: out}, &ops); err != nil {
		t.Fatal(err)
	}
	if ops.In != [3]*Buffer{x, y, nil} || ops.Out != out {
		t.Errorf("Launch's operands: %v, out %v; want %v, %v", ops.In, ops.Out, []*Buffer{x, y}, out)
	}
	in := [3][]float64{2: {7}}
	o := Slices(&ops, &in)
	if len(in[0]) != 8 || in[0][0] != 1 || &in[1][0] != &compute.Data[float64](y.data)[0] || in[2] != nil ||
		len(o) != 8 || &o[0] != &compute.Data[float64](out.data)[0] {
		t.Errorf("Slices: %v, out %v", in, o)
	}
	func() {
		defer func() {
			if r, _ := recover().(string); !strings.HasPrefix(r, "hostbuf: ") {
				t.Errorf("Slices[float32] of float64 operands: recovered %q, want a hostbuf panic", r)
			}
		}()
		var in32 [3][]float32
		Slices(&ops, &in32)
	}()
	if err := s.Launch(&compute.Launch{Problem: p, In: []compute.Buffer{x}, Out: out}, &ops); !errors.Is(err, compute.ErrShape) {
		t.Errorf("Launch with an operand missing = %v, want ErrShape", err)
	}
	if err := s.Launch(&compute.Launch{Problem: p, In: []compute.Buffer{x, y}, Out: other{}}, &ops); !errors.Is(err, compute.ErrShape) {
		t.Errorf("Launch with a float32 out = %v, want ErrShape (Validate first)", err)
	}
	y.Release()
	if err := s.Launch(&compute.Launch{Problem: p, In: []compute.Buffer{x, y}, Out: out}, &ops); !errors.Is(err, compute.ErrReleased) ||
		!strings.Contains(err.Error(), "operand y was released") {
		t.Errorf("Launch with a released operand = %v, want ErrReleased naming y", err)
	}
	s.Close()
	s.Close()
	if err := s.Launch(&compute.Launch{Problem: p, In: []compute.Buffer{x, x}, Out: out}, &ops); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Launch after Close = %v, want ErrReleased", err)
	}
	if err := x.Release(); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Release after Close = %v, want ErrReleased (Close released it)", err)
	}
	if _, err := s.Alloc(compute.Float32, 1); !errors.Is(err, compute.ErrReleased) || !strings.Contains(err.Error(), "test backend is closed") {
		t.Errorf("Alloc after Close = %v, want ErrReleased", err)
	}
}

func TestLaunchNoAlloc(t *testing.T) {
	s := NewSet("test", 0)
	a, b, c, out := mustAlloc(t, s, compute.Float32, 6), mustAlloc(t, s, compute.Float32, 12), mustAlloc(t, s, compute.Float32, 8), mustAlloc(t, s, compute.Float32, 8)
	l := compute.Launch{Problem: compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(2, 4, 3), DType: compute.Float32},
		In: []compute.Buffer{a, b, c}, Out: out}
	if n := testing.AllocsPerRun(100, func() {
		var ops Operands
		if err := s.Launch(&l, &ops); err != nil {
			t.Fatal(err)
		}
		var in [3][]float32
		Slices(&ops, &in)
	}); n != 0 {
		t.Errorf("Launch allocates %v times", n)
	}
}
