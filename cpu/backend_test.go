package cpu

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/ref"
)

func open(t testing.TB, workers int) *Backend {
	t.Helper()
	b, err := Open("cpu", BestEngine(compute.Options{}), compute.Options{Workers: workers})
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
			if w < 3 && (raceEnabled || testing.Short()) {
				t.Skip("-short and -race: 3 workers split unevenly, and race as 2 do")
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
// per-level backend, and runs a few cases on each; cpu/all names every
// level, best first.
func TestRegistered(t *testing.T) {
	levels := compute.Options{}
	group, err := registry.ResolveBackends([]string{"cpu/all"}, levels)
	if err != nil {
		t.Fatal(err)
	}
	if len(group) != len(Levels()) {
		t.Fatalf("cpu/all = %v, want one backend per level of %v", group, Levels())
	}
	for i, name := range group {
		if want := "cpu/" + string(Levels()[len(group)-1-i]); name != want {
			t.Errorf("cpu/all[%d] = %s, want %s (best first)", i, name, want)
		}
	}
	names := append([]string{"cpu"}, group...)
	before := BestEngine(compute.Options{})
	for _, name := range names {
		be, err := registry.Open(name, compute.Options{Workers: 2})
		if err != nil {
			t.Fatalf("Open(%q): %v", name, err)
		}
		d := be.Device()
		wantLevel := string(Levels()[len(Levels())-1])
		if name != "cpu" {
			wantLevel = strings.TrimPrefix(name, "cpu/")
		}
		if d.Backend != name || d.Level != wantLevel || d.SumLeaf != kern.Leaf || d.Name == "" ||
			!d.Supports(compute.Float32) || !d.Supports(compute.Float64) {
			t.Errorf("%s: Device() = %+v", name, d)
		}
		for _, k := range []compute.Kernel{compute.Saxpy, compute.Dot, compute.Gemv, compute.Gemm} {
			if !registry.Runs(name, k) {
				t.Errorf("%s: the registry says it does not run %s", name, k)
			}
			for _, c := range computetest.Cases(k, compute.Float32)[:8] {
				if err := computetest.Check(be, c, 2); err != nil {
					t.Errorf("%s: %v: %v", name, c, err)
				}
			}
		}
		if after := BestEngine(compute.Options{}); after != before {
			t.Errorf("%s: running it moved the best engine from %s to %s", name, before.Level(), after.Level())
		}
		be.Close()
	}
}

// TestDisable: a disabled level's backend probes unavailable and leaves
// cpu/all, "cpu" opens at the best level left, and no level's engine
// changes: the cpu/<level> backends still run their own levels.
func TestDisable(t *testing.T) {
	var ls []string
	for _, l := range Levels() {
		ls = append(ls, string(l))
	}
	best := ls[len(ls)-1]
	for _, c := range []struct {
		disable []string
		want    string
	}{
		{nil, best},
		{[]string{"neon"}, best},
		{ls[1:], "generic"},
		{[]string{"AVX512", "avx2", "neon"}, "generic"},
	} {
		o := compute.Options{Workers: 1, Disable: c.disable}
		if got := BestEngine(o).Level(); got != c.want {
			t.Errorf("disable %v: BestEngine is %s, want %s", c.disable, got, c.want)
		}
		b, err := registry.Open("cpu", o)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Device().Level; got != BestEngine(o).Level() {
			t.Errorf("disable %v: cpu opened at %s, want %s", c.disable, got, BestEngine(o).Level())
		}
		b.Close()
		group, err := registry.ResolveBackends([]string{"cpu/all"}, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			name := "cpu/" + l
			err := registry.Probe(name, o)
			if o.Disabled(l) {
				// Not a FieldError: the reason reaches results files as it is.
				if want := "cpu level " + l + " is disabled"; !errors.Is(err, compute.ErrUnavailable) || err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("disable %v: Probe(%s) = %v, want unavailable, saying %q", c.disable, name, err, want)
				}
				if _, err := registry.Open(name, o); !errors.Is(err, compute.ErrUnavailable) {
					t.Errorf("disable %v: Open(%s) = %v, want ErrUnavailable", c.disable, name, err)
				}
				if slices.Contains(group, name) {
					t.Errorf("disable %v: cpu/all = %v still lists %s", c.disable, group, name)
				}
				continue
			}
			if err != nil || !slices.Contains(group, name) {
				t.Errorf("disable %v: Probe(%s) = %v, cpu/all = %v", c.disable, name, err, group)
			}
			b, err := registry.Open(name, o)
			if err != nil {
				t.Fatal(err)
			}
			if got := b.Device().Level; got != l {
				t.Errorf("disable %v: %s runs at %s", c.disable, name, got)
			}
			b.Close()
		}
	}
	for _, l := range []Level{"no-such-level", NEON} {
		if _, err := EngineFor(l); !errors.Is(err, compute.ErrUnavailable) {
			t.Errorf("EngineFor(%s) = %v, want ErrUnavailable", l, err)
		}
	}
	for _, l := range ls {
		p, err := ParseLevel(strings.ToUpper(l))
		if err != nil || p != Level(l) {
			t.Fatalf("ParseLevel(%s) = %v, %v", strings.ToUpper(l), p, err)
		}
		if e, err := EngineFor(p); err != nil || e.Level() != l {
			t.Errorf("EngineFor(%s) = %v, %v", p, e, err)
		}
	}
}

func TestParseDisable(t *testing.T) {
	got, err := ParseDisable([]string{"AVX512, avx2", "", "neon"})
	if err != nil || !slices.Equal(got, []string{"avx512", "avx2", "neon"}) {
		t.Errorf("ParseDisable = %v, %v; want the names in lower case", got, err)
	}
	for _, bad := range []string{"generic", "sse9", " Generic "} {
		_, err := ParseDisable([]string{"avx2," + bad})
		var fe *compute.FieldError
		if !errors.Is(err, compute.ErrUsage) || !errors.As(err, &fe) || fe.Field != "Disable" ||
			fmt.Sprint(fe.Value) != strings.ToLower(strings.TrimSpace(bad)) || strings.Contains(err.Error(), "--") {
			t.Errorf("ParseDisable(%s) = %v, want a FieldError for Disable wrapping ErrUsage, naming no flag", bad, err)
		}
	}
	if _, err := ParseDisable([]string{"sse9"}); err == nil || !strings.Contains(err.Error(), "[avx2 avx512 neon]") {
		t.Errorf("ParseDisable(sse9) = %v, want the known levels listed", err)
	}
	if f := DisabledFeatures([]string{"avx2"}); !slices.Equal(f, []cpuid.FeatureID{cpuid.AVX2}) {
		t.Errorf("DisabledFeatures(avx2) = %v", f)
	}
	f := DisabledFeatures([]string{"AVX512", "neon"})
	if !slices.Contains(f, cpuid.AVX512F) || !slices.Contains(f, cpuid.AVX512VL) || !slices.Contains(f, cpuid.ASIMD) || slices.Contains(f, cpuid.AVX2) {
		t.Errorf("DisabledFeatures(avx512, neon) = %v", f)
	}
	if f := DisabledFeatures(nil); len(f) != 0 {
		t.Errorf("DisabledFeatures(nil) = %v", f)
	}
}

// TestParallelMatchesSerial checks that splitting changes no bit of any
// result: elementwise kernels and gemv rows are computed the same way on
// any worker, transpose moves bits, and reductions follow the serial
// pairwise tree (see reduce). Sizes straddle the chunk alignment, the
// leaf, and the serial cut-off. Sections cut into calls of a few
// hundred bytes (maxCallCost), on one worker and on several, give the
// same bits too.
func TestParallelMatchesSerial(t *testing.T) {
	cut32 := 2 * minBytesPerWorker / (3 * 4) // saxpy's cut-off, in float32 elements
	vec := []int{1, 15, 16, 17, 31, 33, 47, 48, 49, 511, 512, 513, 1023, 1025, 3*512 + 1, 4099,
		8*512 - 1, 8*512 + 1, 17 * 512, 100003, cut32 - 1, cut32, cut32 + 1}
	mats := [][2]int{{1, 1}, {1, 33}, {33, 1}, {15, 17}, {17, 15}, {47, 49}, {100, 100}, {513, 31}, {31, 513}}
	serial := open(t, 1)
	for _, w := range []int{1, 2, 3} {
		par := open(t, w)
		for _, k := range compute.Kernels() {
			if k.Form() == compute.GEMMForm {
				continue // gemm's split is cpu/internal/gemm's, tested there
			}
			var chains []compute.Shape
			for i, n := range vec {
				chains = append(chains, compute.Chain(n, 1+i%5))
			}
			shapes := shapesOf(k, vec, mats, nil, chains)
			for _, s := range shapes {
				for _, dt := range compute.DTypes() {
					p := compute.Problem{Kernel: k, Shape: s, DType: dt, Alpha: 0.75, Beta: -0.5}
					in := ref.Inputs(p, 5)
					want := runOnce(t, serial, p, in)
					for _, force := range []bool{false, true} {
						for _, budget := range []int{maxCallCost, 300} {
							par.split.minBytesPerWorker, par.split.maxCallCost = minBytesPerWorker, budget
							if force {
								par.split.minBytesPerWorker = 1
							}
							got := runOnce(t, par, p, in)
							for i := range got {
								if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
									t.Fatalf("%s %s %v workers=%d forced=%v calls of %d: element %d is %v, serial gives %v",
										k, s.Format(k), dt, w, force, budget, i, got[i], want[i])
								}
							}
						}
					}
				}
			}
		}
	}
}

// shapesOf lists kernel k's shapes of the sizes for its form: vectors
// of the vec lengths, matrices of the mats' sides, cubes of the cubes'
// sides for gemm, and chains as they are.
func shapesOf(k compute.Kernel, vec []int, mats [][2]int, cubes []int, chains []compute.Shape) []compute.Shape {
	var shapes []compute.Shape
	switch k.Form() {
	case compute.VectorForm:
		for _, n := range vec {
			shapes = append(shapes, compute.Vec(n))
		}
	case compute.MatrixForm:
		for _, d := range mats {
			shapes = append(shapes, compute.Mat(d[0], d[1]))
		}
	case compute.GEMMForm:
		for _, n := range cubes {
			shapes = append(shapes, compute.MNK(n, n, n))
		}
	case compute.ChainForm:
		shapes = append(shapes, chains...)
	}
	return shapes
}

// runOnce runs p on b with inputs in and returns out.
func runOnce(t *testing.T, b *Backend, p compute.Problem, in [][]float64) []float64 {
	t.Helper()
	bufs := make([]compute.Buffer, len(in))
	for i, v := range in {
		bufs[i] = mustAlloc(t, b, p.DType, len(v))
		if err := b.Upload(bufs[i], compute.HostFrom(v, p.DType)); err != nil {
			t.Fatal(err)
		}
	}
	out := outFor(t, b, p, bufs)
	if err := b.Run(compute.Launch{Problem: p, In: bufs, Out: out}); err != nil {
		t.Fatalf("%v: %v", p, err)
	}
	got := compute.NewHost(p.DType, out.Len())
	if err := b.Download(got, out); err != nil {
		t.Fatal(err)
	}
	if p.Kernel.InPlace() == "" {
		out.Release()
	}
	for _, u := range bufs {
		u.Release()
	}
	return got.Float64s()
}

// outFor is the out of p's launch on in: the input a kernel updates in
// place, else a new buffer.
func outFor(t testing.TB, b *Backend, p compute.Problem, in []compute.Buffer) compute.Buffer {
	if i := p.Kernel.InPlaceIndex(); i >= 0 {
		return in[i]
	}
	return mustAlloc(t, b, p.DType, p.OutLen())
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
	x32 := mustAlloc(t, b, compute.Float32, 10)
	y32 := mustAlloc(t, b, compute.Float32, 10)
	o32 := mustAlloc(t, b, compute.Float32, 10)
	x64 := mustAlloc(t, b, compute.Float64, 10)
	short := mustAlloc(t, b, compute.Float32, 9)
	other := open(t, 1)
	foreign := mustAlloc(t, other, compute.Float32, 10)
	launch := func(dt compute.DType, n int, in ...compute.Buffer) compute.Launch {
		return compute.Launch{Problem: compute.Problem{Kernel: compute.Add, Shape: compute.Vec(n), DType: dt}, In: in, Out: o32}
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
	if err := b.Upload(x32, compute.HostOf(make([]float32, 11))); !errors.Is(err, compute.ErrShape) {
		t.Errorf("Upload of a longer slice = %v, want ErrShape", err)
	}
	if err := b.Download(compute.HostOf(make([]float64, 10)), x32); !errors.Is(err, compute.ErrShape) {
		t.Errorf("Download into the wrong type = %v, want ErrShape", err)
	}
	if err := b.Upload(x32, compute.Host{}); !errors.Is(err, compute.ErrShape) {
		t.Errorf("Upload of the zero Host = %v, want ErrShape", err)
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
	if err := b.Download(compute.HostOf(make([]float32, 10)), y32); !errors.Is(err, compute.ErrReleased) {
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
	if err := b.Upload(x32, compute.HostOf(make([]float32, 10))); !errors.Is(err, compute.ErrReleased) {
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
	for _, w := range []int{-1, compute.MaxWorkers + 1} {
		_, err := registry.Open("cpu", compute.Options{Workers: w})
		var fe *compute.FieldError
		if !errors.Is(err, compute.ErrUsage) || !errors.As(err, &fe) || fe.Field != "Workers" ||
			!strings.Contains(err.Error(), fmt.Sprint(compute.MaxWorkers)) {
			t.Errorf("Workers=%d: Open = %v, want a FieldError for Workers naming the range", w, err)
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
		kernel compute.Kernel
		shape  compute.Shape
	}{
		{compute.Saxpy, compute.Vec(100)}, {compute.Saxpy, compute.Vec(1 << 20)},
		{compute.Dot, compute.Vec(100)}, {compute.Dot, compute.Vec(1 << 20)},
		{compute.Sum, compute.Vec(1 << 20)}, {compute.Scale, compute.Vec(1 << 20)},
		{compute.Gemv, compute.Mat(512, 512)}, {compute.Transpose, compute.Mat(512, 512)},
		{compute.Gemm, compute.MNK(64, 64, 64)},
	} {
		k := c.kernel
		for _, dt := range compute.DTypes() {
			p := compute.Problem{Kernel: k, Shape: c.shape, DType: dt, Alpha: 2, Beta: 1}
			var in []compute.Buffer
			for _, name := range k.Inputs() {
				in = append(in, mustAlloc(t, b, dt, p.OperandLen(name)))
			}
			l := compute.Launch{Problem: p, In: in, Out: outFor(t, b, p, in)}
			if err := b.Run(l); err != nil {
				t.Fatal(err)
			}
			if a := testing.AllocsPerRun(20, func() { b.Run(l) }); a != 0 {
				t.Errorf("%s %s %v: %v allocations per Run", k, c.shape.Format(k), dt, a)
			}
		}
	}
}

// TestDispatchTable: the cpu backend runs the whole catalogue, and the
// registry's set of kernels is the dispatch table's in either dtype.
func TestDispatchTable(t *testing.T) {
	if kernelSet() != compute.AllKernels() {
		t.Errorf("the dispatch table holds %v, want the catalogue", kernelSet().List())
	}
	t32, t64 := table[float32](), table[float64]()
	for _, k := range compute.Kernels() {
		if int(k) >= len(t32) || t32[k] == nil || int(k) >= len(t64) || t64[k] == nil || !registry.Runs("cpu", k) {
			t.Errorf("%s: not in the dispatch table or the registry", k)
		}
	}
	if t32[0] != nil || t64[0] != nil {
		t.Errorf("the dispatch table has an entry for Kernel(0)")
	}
}
