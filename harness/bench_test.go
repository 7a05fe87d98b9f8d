package harness

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
	"github.com/gpubench/gpubench/results"
)

// fake is a backend that computes with the reference itself, so that the
// harness can be tested apart from any real backend; corrupt and panics
// make it misbehave on purpose. It runs float32 only, unless f64; with
// record it keeps a copy of every slice uploaded and downloaded, in its
// own dtype, in order.
type fake struct {
	corrupt string // kernel whose output element at is perturbed, by 1e-3 or by
	at      int
	by      float64
	panics  string // kernel whose Run panics
	closed  bool
	// loseNaN writes 0 in place of every NaN of a result: a kernel that
	// loses NaNs, which only special inputs hold.
	loseNaN bool
	// stale faults from the second Run on: "out" writes nothing,
	// "download" leaves the host memory as it was, "workspace" copies
	// the first Run's result from a workspace of the backend's own,
	// which Poison fills with NaN (compute.Poisoner).
	stale     string
	workspace []float64
	// offExact adds 1 to the first element of a result whose inputs are
	// all multiples of 2⁻¹⁰ (the exact pass's: integers, or fma's j·2⁻¹⁰):
	// a fault only that pass sees.
	offExact bool

	f64                bool
	record             bool
	uploads, downloads []compute.Host
	runs               int // Run calls

	// runErr is every Run's error; each Run first sleeps delay, and
	// waits for block to close where it is set.
	runErr error
	delay  time.Duration
	block  chan struct{}

	// took scripts how long each Run takes on the clock the warm-up
	// reads (the last entry for every later run): see scriptClock.
	took  []time.Duration
	clock *time.Time
}

type fbuf struct {
	dt       compute.DType
	v        []float64
	released bool
}

func (b *fbuf) Len() int             { return len(b.v) }
func (b *fbuf) DType() compute.DType { return b.dt }
func (b *fbuf) Release() error       { b.released = true; return nil }

func (f *fake) Name() string { return "fake" }
func (f *fake) Device() compute.Device {
	dts := []compute.DType{compute.Float32}
	if f.f64 {
		dts = compute.DTypes()
	}
	return compute.Device{Backend: "fake", Name: "reference", DTypes: dts,
		PeakGFLOPS: map[compute.DType]float64{compute.Float32: 1e6}}
}
func (f *fake) Alloc(dt compute.DType, n int) (compute.Buffer, error) {
	if n < 1 {
		return nil, compute.ErrShape
	}
	return &fbuf{dt: dt, v: make([]float64, n)}, nil
}
func (f *fake) Upload(dst compute.Buffer, src compute.Host) error {
	copy(dst.(*fbuf).v, src.Float64s())
	if f.record {
		f.uploads = append(f.uploads, compute.HostFrom(src.Float64s(), src.DType()))
	}
	return nil
}
func (f *fake) Download(dst compute.Host, src compute.Buffer) error {
	if f.stale == "download" && f.runs > 1 {
		return nil
	}
	if err := compute.CopyHost(dst, compute.HostFrom(src.(*fbuf).v, dst.DType())); err != nil {
		return err
	}
	if f.record {
		f.downloads = append(f.downloads, compute.HostFrom(dst.Float64s(), dst.DType()))
	}
	return nil
}
func (f *fake) Run(l compute.Launch) error {
	f.runs++
	if f.clock != nil {
		*f.clock = f.clock.Add(f.took[min(f.runs, len(f.took))-1])
	}
	time.Sleep(f.delay)
	if f.block != nil {
		<-f.block
	}
	if f.runErr != nil {
		return f.runErr
	}
	if err := l.Validate(); err != nil {
		return err
	}
	if l.Kernel.String() == f.panics {
		panic("fake backend fault")
	}
	in := make([][]float64, len(l.In))
	for i, b := range l.In {
		in[i] = b.(*fbuf).v
	}
	want, _, err := ref.Compute(l.Problem, in)
	if err != nil {
		return err
	}
	for i := range want {
		want[i] = ref.Round(want[i], l.DType)
	}
	if l.Kernel.String() == f.corrupt {
		want[f.at] += cmp.Or(f.by, 1e-3)
	}
	if f.loseNaN {
		for i, w := range want {
			if math.IsNaN(w) {
				want[i] = 0
			}
		}
	}
	if f.offExact && onGrid(in) {
		want[0]++
	}
	switch {
	case f.stale == "out" && f.runs > 1:
		return nil
	case f.stale == "workspace" && f.runs == 1:
		f.workspace = append([]float64(nil), want...)
	case f.stale == "workspace":
		want = f.workspace
	}
	copy(l.Out.(*fbuf).v, want)
	return nil
}

// onGrid reports whether every input is a multiple of 2⁻¹⁰.
func onGrid(in [][]float64) bool {
	for _, v := range in {
		for _, x := range v {
			if x*0x1p10 != math.Trunc(x*0x1p10) {
				return false
			}
		}
	}
	return true
}

// Poison fills the fake's workspace with NaN, as compute.Poisoner says.
func (f *fake) Poison() error {
	for i := range f.workspace {
		f.workspace[i] = math.NaN()
	}
	return nil
}
func (f *fake) Sync() error  { return nil }
func (f *fake) Close() error { f.closed = true; return nil }

func plan(t *testing.T, sizes []string, names ...string) []compute.Problem {
	t.Helper()
	var ks []compute.Kernel
	for _, n := range names {
		k, err := compute.ParseKernel(n)
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, k)
	}
	cases, err := Plan(ks, sizes, []compute.DType{compute.Float32})
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// config is a quick configuration on "fake", in an Env of its own whose
// fakes open *current (see testEnv).
func config(current **fake) Config {
	cfg := DefaultConfig()
	cfg.Env = testEnv(current)
	cfg.Backends, cfg.Reps, cfg.MinRepTime, cfg.MinWarmupTime = []string{"fake"}, 3, 0, 0
	return cfg
}

// checkRuns is how many runs the verification of c makes after its
// timing: one for each pass (random, exact, positive), as ref.Passes
// lists them.
func checkRuns(c compute.Problem) int {
	sets, _ := ref.Passes(c)
	return len(sets)
}

// TestMinWarmupTime: the warm-up runs Warmup times and then goes on
// until MinWarmupTime has passed; with 0 it is exactly Warmup runs. The
// check runs the kernel once more for each of its passes, on poisoned
// buffers (a kernel that updates an input in place, saxpy, on the
// operand uploaded again).
func TestMinWarmupTime(t *testing.T) {
	t.Parallel()
	var current *fake
	cases := plan(t, []string{"33"}, "triad")
	cfg := config(&current)
	cfg.Warmup = 2
	current = &fake{}
	if _, err := Run(context.Background(), cfg, cases); err != nil {
		t.Fatal(err)
	}
	if got, want := current.runs, cfg.Warmup+cfg.Reps+checkRuns(cases[0]); got != want || want != cfg.Warmup+cfg.Reps+2 {
		t.Errorf("MinWarmupTime 0: %d runs, want %d (warm-up %d, reps %d, random and exact checks)", got, want, cfg.Warmup, cfg.Reps)
	}
	current = &fake{}
	saxpy := plan(t, []string{"33"}, "saxpy")
	rep, err := Run(context.Background(), cfg, saxpy)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := current.runs, cfg.Warmup+cfg.Reps+checkRuns(saxpy[0]); got != want || !rep.Results[0].Verified {
		t.Errorf("saxpy: %d runs, verified %v; want %d runs (warm-up %d, reps %d, the checked ones), verified",
			got, rep.Results[0].Verified, want, cfg.Warmup, cfg.Reps)
	}
	cfg.MinWarmupTime = 30 * time.Millisecond
	current = &fake{}
	start := time.Now()
	if _, err := Run(context.Background(), cfg, cases); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < cfg.MinWarmupTime {
		t.Errorf("MinWarmupTime %v: the whole case took %v", cfg.MinWarmupTime, d)
	}
	if current.runs <= cfg.Warmup+cfg.Reps {
		t.Errorf("MinWarmupTime %v: %d runs, want more than %d", cfg.MinWarmupTime, current.runs, cfg.Warmup+cfg.Reps)
	}
}

// scriptClock makes env's clock one that moves only as f runs, by
// f.took.
func scriptClock(env *Env, f *fake) {
	f.clock = &time.Time{}
	env.Now = func() time.Time { return *f.clock }
}

// TestWarmupSettles: with a MinWarmupTime, the warm-up goes on while a
// run is more than settledGain faster than the best before it, up to
// maxWarmupTime; without one it is exactly Warmup runs.
func TestWarmupSettles(t *testing.T) {
	t.Parallel()
	var current *fake
	ms := func(v ...float64) []time.Duration {
		var d []time.Duration
		for _, x := range v {
			d = append(d, time.Duration(x*float64(time.Millisecond)))
		}
		return d
	}
	for _, tc := range []struct {
		name    string
		took    []time.Duration
		minWarm time.Duration
		warmup  int // runs before the repetitions
	}{
		{"steady", ms(10), time.Millisecond, 2},
		{"faster until the fifth run", ms(40, 30, 20, 10, 10), time.Millisecond, 5},
		{"3 % faster is settled", ms(40, 39), time.Millisecond, 2},
		{"still long enough", ms(10), 35 * time.Millisecond, 4},
		{"faster for ever: capped", ms(200, 180, 162, 145.8, 131.2, 118.1, 106.3, 95.7, 86.1), time.Millisecond, 7},
		{"no minimum: Warmup runs", ms(40, 30, 20, 10), 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{took: tc.took}
			current = f
			cfg := config(&current)
			scriptClock(cfg.Env, f)
			cfg.Warmup, cfg.MinWarmupTime = 2, tc.minWarm
			cases := plan(t, []string{"33"}, "triad")
			rep, err := Run(context.Background(), cfg, cases)
			if err != nil || !rep.Results[0].Verified {
				t.Fatalf("%v, %+v", err, rep.Results)
			}
			if got := f.runs - cfg.Reps - checkRuns(cases[0]); got != tc.warmup {
				t.Errorf("%d warm-up runs, want %d", got, tc.warmup)
			}
		})
	}
}

func TestRunVerifiesAndMeasures(t *testing.T) {
	t.Parallel()
	current := &fake{corrupt: "dot", panics: "sum"}
	rep, err := Run(context.Background(), config(&current), plan(t, []string{"33"}, "saxpy", "dot", "sum", "gemm"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 4 || !rep.Complete || rep.SchemaVersion != results.SchemaVersion || rep.Probe == nil {
		t.Fatalf("report: %d results, complete %v", len(rep.Results), rep.Complete)
	}
	by := map[string]results.Result{}
	for _, r := range rep.Results {
		by[r.Kernel.String()] = r
	}
	if r := by["saxpy"]; !r.Verified || r.MedianNs <= 0 || r.GFLOPS <= 0 || r.GBps <= 0 || r.Reps != 3 || r.Flops != 66 {
		t.Errorf("saxpy: %+v", r)
	}
	if r := by["dot"]; r.Verified || !r.Failed() || r.Mismatch == "" {
		t.Errorf("a corrupted dot verified: %+v", r)
	}
	if r := by["sum"]; r.Verified || !strings.Contains(r.Err, "panic: fake backend fault") {
		t.Errorf("a panic was not turned into the case's error: %+v", r)
	}
	if r := by["gemm"]; !r.Verified || r.Shape.String() != "33x33x33" || r.Shape.Shape != compute.MNK(33, 33, 33) || r.Alpha != DefaultAlpha || r.Beta != DefaultBeta {
		t.Errorf("gemm: %+v", r)
	}
	if !current.closed {
		t.Error("backend not closed")
	}
}

// TestRunStopsWhenCancelled: a context cancelled as the second case
// starts stops it before it finishes: the report holds the first alone,
// marked incomplete.
func TestRunStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	current := &fake{}
	ctx, cancel := context.WithCancel(context.Background())
	cfg := config(&current)
	n := 0
	cfg.Progress = func(Progress) {
		if n++; n == 2 {
			cancel()
		}
	}
	rep, err := Run(ctx, cfg, plan(t, []string{"8"}, "copy", "scale", "add", "triad"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Complete || len(rep.Results) != 1 {
		t.Errorf("cancelled run: complete %v with %d results, want incomplete with 1", rep.Complete, len(rep.Results))
	}
}

func TestPlanRefuses(t *testing.T) {
	t.Parallel()
	f32 := []compute.DType{compute.Float32}
	if _, err := Plan([]compute.Kernel{compute.Dot}, []string{"3x4"}, f32); !errors.Is(err, compute.ErrShape) {
		t.Errorf("dot 3x4: %v", err)
	}
	if _, err := Plan([]compute.Kernel{compute.Gemm}, []string{"1000000"}, f32); !errors.Is(err, compute.ErrTooLarge) {
		t.Errorf("gemm 10^6 cubed: %v, want ErrTooLarge before allocating", err)
	}
	c := compute.Problem{Kernel: compute.Dot, Shape: compute.Vec(1 << 20), DType: compute.Float32}
	if err := CheckMemory(c, 1<<20); !errors.Is(err, compute.ErrTooLarge) || !strings.Contains(err.Error(), "MiB") {
		t.Errorf("CheckMemory: %v", err)
	}
	if _, err := Run(context.Background(), Config{Reps: 0}, nil); !errors.Is(err, compute.ErrUsage) {
		t.Errorf("reps 0: %v", err)
	}
}

func TestDumpNPY(t *testing.T) {
	t.Parallel()
	current := &fake{}
	dir := filepath.Join(t.TempDir(), "d")
	d, err := results.NewDumper(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config(&current)
	cfg.Dump = d.Dump
	if _, err := Run(context.Background(), cfg, plan(t, []string{"3x5"}, "transpose")); err != nil {
		t.Fatal(err)
	}
	var idx struct{ Cases []results.DumpCase }
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil || json.Unmarshal(b, &idx) != nil || len(idx.Cases) != 1 {
		t.Fatalf("index.json: %v %s", err, b)
	}
	c := idx.Cases[0]
	raw, err := os.ReadFile(filepath.Join(dir, c.Output))
	if err != nil {
		t.Fatal(err)
	}
	hl := int(binary.LittleEndian.Uint16(raw[8:10]))
	header := string(raw[10 : 10+hl])
	if string(raw[:6]) != "\x93NUMPY" || (10+hl)%64 != 0 || !strings.Contains(header, "'shape': (5, 3)") || !strings.Contains(header, "'<f4'") {
		t.Fatalf("bad npy header %q", header)
	}
	if len(raw)-10-hl != 15*4 {
		t.Fatalf("npy payload %d bytes, want 60", len(raw)-10-hl)
	}
	in := ref.Inputs(compute.Problem{Kernel: mustKernel("transpose"), Shape: compute.Mat(3, 5), DType: compute.Float32}, 1)[0]
	// out[j][i] = A[i][j]: out[1][2] = A[2][1].
	got := math.Float32frombits(binary.LittleEndian.Uint32(raw[10+hl+4*(1*3+2):]))
	if float64(got) != in[2*5+1] {
		t.Errorf("npy out[1][2] = %v, want %v", got, in[2*5+1])
	}
	if _, err := results.NewDumper("/proc/no/such"); !errors.Is(err, compute.ErrUsage) {
		t.Errorf("unwritable dump dir: %v", err)
	}
}

func mustKernel(n string) compute.Kernel {
	k, _ := compute.ParseKernel(n)
	return k
}

func TestScaleSweep(t *testing.T) {
	t.Parallel()
	current := &fake{}
	cfg := config(&current)
	cases := plan(t, []string{"1000"}, "saxpy")
	sr, err := Scale(context.Background(), cfg, "fake", cases[0], []int{1, 2, 1 << 20}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(sr.Points) != 3 || sr.Points[0].Speedup != 1 || sr.Amdahl == nil || !sr.Oversubscribed {
		t.Errorf("strong sweep: %+v", sr)
	}
	sr, err = Scale(context.Background(), cfg, "fake", cases[0], []int{1, 3}, true)
	if err != nil {
		t.Fatal(err)
	}
	if sr.Points[1].Shape != "3000" || sr.Gustafson == nil || sr.Oversubscribed != (sr.CPUs < 3) {
		t.Errorf("weak sweep: %+v", sr)
	}
	if _, err := Scale(context.Background(), cfg, "fake", cases[0], []int{2, 4}, false); !errors.Is(err, compute.ErrUsage) {
		t.Errorf("a sweep without 1 worker: %v", err)
	}
}
