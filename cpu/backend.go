package cpu

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
	"github.com/gpubench/gpubench/cpu/internal/pool"
	"github.com/gpubench/gpubench/cpu/internal/simd"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/internal/hostbuf"
)

// Factories are the cpu backends for a compute.Registry: "cpu", one
// "cpu/<level>" for each level this CPU runs, and the group "cpu/all".
func Factories() []compute.Factory {
	runs := kernelSet()
	fs := []compute.Factory{{
		Name:    "cpu",
		Doc:     "goroutine-parallel CPU kernels, SIMD where the CPU has it (always available)",
		Kernels: runs,
		Open:    func(o compute.Options) (compute.Backend, error) { return Open("cpu", BestEngine(o), o) },
	}}
	for _, e := range simd.Engines() {
		name, l := "cpu/"+e.Level(), e.Level()
		fs = append(fs, compute.Factory{
			Name:    name,
			Doc:     fmt.Sprintf("the cpu backend held at the %s level, to compare levels side by side (cpu/all: every level)", l),
			Kernels: runs,
			Probe: func(o compute.Options) error {
				if o.Disabled(l) {
					// Not a FieldError: this reason reaches results files, where
					// no flag mapping rewrites it.
					return fmt.Errorf("%w: cpu level %s is disabled", compute.ErrUnavailable, l)
				}
				return nil
			},
			Open: func(o compute.Options) (compute.Backend, error) { return Open(name, e, o) },
			Peer: true,
		})
	}
	return append(fs, compute.Factory{
		Name:  "cpu/all",
		Doc:   "every CPU level side by side as its own row",
		Group: levelBackends,
	})
}

// Backend is the CPU backend. Run is synchronous: when it returns, the
// result is in the output buffer.
type Backend struct {
	name  string
	bufs  *hostbuf.Set
	ops   hostbuf.Operands // the launch Run is running
	dev   compute.Device
	split split
	f32   runner[float32]
	f64   runner[float64]
}

// Open starts a CPU backend called name whose kernels run on engine e
// (nil: BestEngine(o)) on o.Workers goroutines (0: GOMAXPROCS). Options
// that o.Check refuses are its error.
func Open(name string, e *Engine, o compute.Options) (*Backend, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	if e == nil {
		e = BestEngine(o)
	}
	p := pool.New(o.Workers)
	b := &Backend{name: name, bufs: hostbuf.NewSet("cpu", hwinfo.Probe().Memory.TotalBytes),
		split: split{pool: p, minBytesPerWorker: minBytesPerWorker, maxCallCost: maxCallCost}}
	b.f32.init(&b.split, e)
	b.f64.init(&b.split, e)
	nt := streamFrom(&b.f32, e.Level(), hwinfo.CurrentMemory())
	b.split.ntFrom = nt.from
	b.dev = device(name, e, p.Workers())
	b.dev.Notes = append(b.dev.Notes, ntNote(nt))
	return b, nil
}

func device(name string, e *Engine, workers int) compute.Device {
	info := hwinfo.Probe()
	l := e.Kern().Level()
	d := compute.Device{
		Backend: name,
		Name:    info.CPU.Brand,
		Level:   string(l),
		Workers: workers,
		DTypes:  []compute.DType{compute.Float32, compute.Float64},
		SumLeaf: kern.Leaf,
		Notes:   []string{"gemm " + e.Gemm().Describe()},
	}
	if d.Name == "" {
		d.Name = info.CPU.Vendor + " " + info.Arch
	}
	if pk := info.Peak; pk.Cores > 0 {
		// The probe's peak is for every core; workers beyond the cores
		// share them.
		share := float64(min(workers, pk.Cores)) / float64(pk.Cores)
		f32, f64, note := levelShare(l, pk)
		d.PeakGFLOPS = map[compute.DType]float64{
			compute.Float32: pk.GFLOPS32 * share * f32,
			compute.Float64: pk.GFLOPS64 * share * f64,
		}
		if note != "" {
			d.Notes = append(d.Notes, note)
		}
	}
	return d
}

// Name is the name the backend was opened by.
func (b *Backend) Name() string { return b.name }

// Device describes the CPU and how the backend runs on it.
func (b *Backend) Device() compute.Device { return b.dev }

// Workers is the number of goroutines kernels run on.
func (b *Backend) Workers() int { return b.split.pool.Workers() }

// Sync returns at once: Run finishes its kernel before it returns.
func (b *Backend) Sync() error { return b.bufs.Alive() }

// Close releases every buffer still alive and stops the workers. Closing
// twice is harmless.
func (b *Backend) Close() error {
	if b.bufs.Alive() != nil {
		return nil
	}
	b.bufs.Close()
	b.split.pool.Close()
	return nil
}

// levelShare is the part of the machine's peak (the widest FMA the CPU
// has) that code of level l can reach, per dtype: AVX2 has 8 float32
// lanes, and the generic level is scalar Go, one lane.
//
// The generic level's share is one lane's, 1/lanes of the peak. Its
// kernels multiply and add, and each step's multiply takes one of the
// pipes that multiply (FMAPipes with FMA, the one mul pipe without) for
// a cycle, its add fused with it or issued beside it: at most that many
// steps of 2 FLOP a cycle, one lane's FLOP. Go fuses a*b + c on arm64 (and amd64 with
// GOAMD64=v3), and on amd64 otherwise issues a MULSS then an ADDSS,
// whose add runs on an adder beside the FMA pipes where the core has
// one (AMD Zen's two FADD pipes; Intel's port 5 since Golden Cove), so
// the generic level can pass one FLOP a pipe a cycle. On a core that
// adds on its FMA pipes (Skylake-class) unfused code reaches half.
// Measurements: docs/methodology.md#why-these-constants.
func levelShare(l kern.Level, pk hwinfo.Peak) (f32, f64 float64, note string) {
	lanes := pk.FMALanes32
	if lanes <= 0 {
		return 1, 1, ""
	}
	switch l {
	case kern.AVX2:
		if lanes > 8 {
			r := 8 / float64(lanes)
			return r, r, fmt.Sprintf("peak is the avx2 level's: 8 float32 lanes of the CPU's %d", lanes)
		}
	case kern.Generic:
		return 1 / float64(lanes), 1 / float64(max(lanes/2, 1)),
			"peak is the generic level's: scalar Go, one lane, at most one multiply per FMA pipe a cycle"
	}
	return 1, 1, ""
}
