package cpu

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/ref"
)

func open(t testing.TB, workers int) *Backend {
	t.Helper()
	b, err := Open("cpu", kern.Current(), compute.Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// TestConformance runs the shared suite on 1, 2 and 3 workers: 3 makes
// chunks of unequal length and reductions with an odd number of parts.
func TestConformance(t *testing.T) {
	for _, w := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("workers=%d", w), func(t *testing.T) {
			if w == 1 && raceEnabled {
				t.Skip("one worker has nothing to race; the suite is slow under -race")
			}
			b := open(t, w)
			if b.Device().Workers != w {
				t.Fatalf("Device().Workers = %d, want %d", b.Device().Workers, w)
			}
			computetest.Run(t, b)
		})
	}
}

// TestRegistered opens the backend by name, as the CLI does, and each
// per-level backend, and runs a few cases on each.
func TestRegistered(t *testing.T) {
	names := append([]string{"cpu"}, LevelBackends()...)
	if len(names) != 1+len(kern.Levels()) {
		t.Fatalf("LevelBackends() = %v, want one per level of %v", names[1:], kern.Levels())
	}
	for _, name := range names {
		be, err := compute.Open(name, compute.Options{Workers: 2})
		if err != nil {
			t.Fatalf("Open(%q): %v", name, err)
		}
		d := be.Device()
		wantLevel := string(kern.Current())
		if name != "cpu" {
			wantLevel = strings.TrimPrefix(name, "cpu/")
		}
		if d.Backend != name || d.Level != wantLevel || d.SumLeaf != kern.Leaf || d.Name == "" ||
			!d.Supports(compute.Float32) || !d.Supports(compute.Float64) {
			t.Errorf("%s: Device() = %+v", name, d)
		}
		before := kern.Current()
		for _, kn := range []string{"saxpy", "dot", "gemv", "gemm"} {
			k, _ := compute.LookupKernel(kn)
			for _, c := range computetest.Cases(k)[:8] {
				if err := computetest.Check(be, c, compute.Float32, 2); err != nil {
					t.Errorf("%s: %v: %v", name, c, err)
				}
			}
		}
		if kern.Current() != before {
			t.Errorf("%s: Run left the kern level at %s, was %s", name, kern.Current(), before)
		}
		be.Close()
	}
}

// forceParallel makes every kernel of at least a few cache lines run on
// all workers, for the duration of a test.
func forceParallel(t *testing.T) {
	old := minBytesPerWorker
	minBytesPerWorker = 1
	t.Cleanup(func() { minBytesPerWorker = old })
}

// TestParallelMatchesSerial checks that splitting changes no bit of any
// result: elementwise kernels and gemv rows are computed the same way on
// any worker, transpose moves bits, and reductions follow the serial
// pairwise tree (see reduce32). Sizes straddle the chunk alignment, the
// leaf, and the serial cut-off.
func TestParallelMatchesSerial(t *testing.T) {
	cut32 := 2 * minBytesPerWorker / (3 * 4) // saxpy's cut-off, in float32 elements
	vec := []int{1, 15, 16, 17, 31, 33, 47, 48, 49, 511, 512, 513, 1023, 1025, 3*512 + 1, 4099,
		8*512 - 1, 8*512 + 1, 17 * 512, 100003, cut32 - 1, cut32, cut32 + 1}
	mats := [][2]int{{1, 1}, {1, 33}, {33, 1}, {15, 17}, {17, 15}, {47, 49}, {100, 100}, {513, 31}, {31, 513}}
	serial := open(t, 1)
	for _, w := range []int{2, 3} {
		par := open(t, w)
		for _, name := range compute.KernelNames() {
			k, _ := compute.LookupKernel(name)
			var shapes []compute.Shape
			switch k.Form {
			case compute.VectorForm:
				for _, n := range vec {
					shapes = append(shapes, compute.Vec(n))
				}
			case compute.MatrixForm:
				for _, d := range mats {
					shapes = append(shapes, compute.Mat(d[0], d[1]))
				}
			case compute.ChainForm:
				for i, n := range vec {
					shapes = append(shapes, compute.Chain(n, 1+i%5))
				}
			default:
				continue // gemm's split is cpu/gemm's, tested there
			}
			for _, s := range shapes {
				for _, dt := range compute.DTypes {
					in := ref.Inputs(k, s, dt, 5)
					want := runOnce(t, serial, k, s, dt, in)
					for _, force := range []bool{false, true} {
						func() {
							if force {
								old := minBytesPerWorker
								minBytesPerWorker = 1
								defer func() { minBytesPerWorker = old }()
							}
							got := runOnce(t, par, k, s, dt, in)
							for i := range got {
								if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
									t.Fatalf("%s %s %v workers=%d forced=%v: element %d is %v, serial gives %v",
										name, s.Format(k), dt, w, force, i, got[i], want[i])
								}
							}
						}()
					}
				}
			}
		}
	}
}

// runOnce runs k on b with inputs in and returns out.
func runOnce(t *testing.T, b *Backend, k *compute.Kernel, s compute.Shape, dt compute.DType, in [][]float64) []float64 {
	t.Helper()
	bufs := make([]compute.Buffer, len(in))
	for i, v := range in {
		bufs[i] = mustAlloc(t, b, dt, len(v))
		if err := b.Upload(bufs[i], ref.Slice(v, dt)); err != nil {
			t.Fatal(err)
		}
	}
	out := mustAlloc(t, b, dt, k.OperandLen("out", s))
	l := compute.Launch{Kernel: k, Shape: s, DType: dt, Alpha: 0.75, Beta: -0.5, In: bufs, Out: out}
	if err := b.Run(l); err != nil {
		t.Fatalf("%s %s: %v", k.Name, s.Format(k), err)
	}
	got := ref.NewSlice(out.Len(), dt)
	if err := b.Download(got, out); err != nil {
		t.Fatal(err)
	}
	for _, u := range append(bufs, out) {
		u.Release()
	}
	return ref.Float64s(got)
}

func mustAlloc(t testing.TB, b *Backend, dt compute.DType, n int) compute.Buffer {
	t.Helper()
	u, err := b.Alloc(dt, n)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestLaunchErrors(t *testing.T) {
	b := open(t, 2)
	saxpy, _ := compute.LookupKernel("saxpy")
	x32 := mustAlloc(t, b, compute.Float32, 10)
	y32 := mustAlloc(t, b, compute.Float32, 10)
	o32 := mustAlloc(t, b, compute.Float32, 10)
	x64 := mustAlloc(t, b, compute.Float64, 10)
	short := mustAlloc(t, b, compute.Float32, 9)
	other := open(t, 1)
	foreign := mustAlloc(t, other, compute.Float32, 10)
	launch := func(dt compute.DType, n int, in ...compute.Buffer) compute.Launch {
		return compute.Launch{Kernel: saxpy, Shape: compute.Vec(n), DType: dt, In: in, Out: o32}
	}
	for _, c := range []struct {
		name string
		l    compute.Launch
		want error
	}{
		{"short operand", launch(compute.Float32, 10, x32, short), compute.ErrShape},
		{"wrong dtype", launch(compute.Float32, 10, x32, x64), compute.ErrShape},
		{"launch dtype differs from buffers", launch(compute.Float64, 10, x64, x64), compute.ErrShape},
		{"too few operands", launch(compute.Float32, 10, x32), compute.ErrShape},
		{"buffer of another backend", launch(compute.Float32, 10, x32, foreign), compute.ErrUsage},
	} {
		if err := b.Run(c.l); !errors.Is(err, c.want) {
			t.Errorf("%s: Run = %v, want %v", c.name, err, c.want)
		}
	}
	if err := b.Upload(x32, make([]float32, 11)); !errors.Is(err, compute.ErrShape) {
		t.Errorf("Upload of a longer slice = %v, want ErrShape", err)
	}
	if err := b.Download(make([]float64, 10), x32); !errors.Is(err, compute.ErrShape) {
		t.Errorf("Download into the wrong type = %v, want ErrShape", err)
	}
	if _, err := b.Alloc(compute.DType(9), 4); !errors.Is(err, compute.ErrUnsupported) {
		t.Errorf("Alloc of an unknown dtype = %v, want ErrUnsupported", err)
	}
	if _, err := b.Alloc(compute.Float64, math.MaxInt/4); !errors.Is(err, compute.ErrTooLarge) {
		t.Errorf("Alloc beyond memory = %v, want ErrTooLarge", err)
	}

	// Use after Release.
	if err := y32.Release(); err != nil {
		t.Fatal(err)
	}
	if err := y32.Release(); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("second Release = %v, want ErrReleased", err)
	}
	if err := b.Run(launch(compute.Float32, 10, x32, y32)); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Run with a released operand = %v, want ErrReleased", err)
	}
	if err := b.Download(make([]float32, 10), y32); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Download of a released buffer = %v, want ErrReleased", err)
	}

	// Use after Close.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if err := b.Run(launch(compute.Float32, 10, x32, x32)); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Run after Close = %v, want ErrReleased", err)
	}
	if _, err := b.Alloc(compute.Float32, 4); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Alloc after Close = %v, want ErrReleased", err)
	}
	if err := b.Upload(x32, make([]float32, 10)); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Upload after Close = %v, want ErrReleased", err)
	}
	if err := b.Sync(); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Sync after Close = %v, want ErrReleased", err)
	}
	if err := x32.Release(); !errors.Is(err, compute.ErrReleased) {
		t.Errorf("Release after Close = %v, want ErrReleased (Close released it)", err)
	}
}

func TestWorkersOption(t *testing.T) {
	for _, w := range []int{-1, MaxWorkers + 1} {
		_, err := compute.Open("cpu", compute.Options{Workers: w})
		if !errors.Is(err, compute.ErrUsage) || !strings.Contains(err.Error(), fmt.Sprint(MaxWorkers)) {
			t.Errorf("Workers=%d: Open = %v, want ErrUsage naming the range", w, err)
		}
	}
	b := open(t, 0)
	if b.Workers() < 1 || b.Device().Workers != b.Workers() {
		t.Errorf("Workers=0 gave %d workers, device says %d", b.Workers(), b.Device().Workers)
	}
}

// TestRunNoAlloc checks that a launch in steady state allocates nothing,
// on the serial and the parallel path.
func TestRunNoAlloc(t *testing.T) {
	b := open(t, 2)
	for _, c := range []struct {
		kernel string
		shape  compute.Shape
	}{
		{"saxpy", compute.Vec(100)}, {"saxpy", compute.Vec(1 << 20)},
		{"dot", compute.Vec(100)}, {"dot", compute.Vec(1 << 20)},
		{"sum", compute.Vec(1 << 20)}, {"scale", compute.Vec(1 << 20)},
		{"gemv", compute.Mat(512, 512)}, {"transpose", compute.Mat(512, 512)},
		{"gemm", compute.GEMM(64, 64, 64)},
	} {
		k, _ := compute.LookupKernel(c.kernel)
		for _, dt := range compute.DTypes {
			var in []compute.Buffer
			for _, name := range k.Inputs {
				in = append(in, mustAlloc(t, b, dt, k.OperandLen(name, c.shape)))
			}
			out := mustAlloc(t, b, dt, k.OperandLen("out", c.shape))
			l := compute.Launch{Kernel: k, Shape: c.shape, DType: dt, Alpha: 2, Beta: 1, In: in, Out: out}
			if err := b.Run(l); err != nil {
				t.Fatal(err)
			}
			if a := testing.AllocsPerRun(20, func() { b.Run(l) }); a != 0 {
				t.Errorf("%s %s %v: %v allocations per Run", c.kernel, c.shape.Format(k), dt, a)
			}
		}
	}
}
