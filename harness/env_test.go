package harness

import (
	"github.com/gpubench/gpubench/compute"
)

// testEnv is an Env of a test's own, with the real clock and memory and
// no wait from the process's start: its fake backends open *current as
// it is when they open, each under its own name ("fake"; "fake-nofma",
// which does not run fma; "fake-slow", on a device whose peak every run
// exceeds; "fake-spin", whose threads keep the cores busy for
// spinSettle), beside "lossy", whose downloads change an element, and
// the cost-model backends of the crossover tests.
func testEnv(current **fake) *Env {
	open := func(wrap func(*fake) compute.Backend) func(compute.Options) (compute.Backend, error) {
		return func(compute.Options) (compute.Backend, error) { return wrap(*current), nil }
	}
	r := compute.NewRegistry(
		compute.Factory{Name: "fake", Doc: "reference as a backend, for tests", Kernels: compute.AllKernels(),
			Open: open(func(f *fake) compute.Backend { return f })},
		compute.Factory{Name: "fake-nofma", Doc: "fake without fma, for tests",
			Kernels: compute.AllKernels() &^ compute.KernelSetOf(compute.FMA),
			Open:    open(func(f *fake) compute.Backend { return f })},
		compute.Factory{Name: "fake-slow", Doc: "fake with a peak of 1 FLOP/s, for tests", Kernels: compute.AllKernels(),
			Open: open(func(f *fake) compute.Backend { return slowDevice{f} })},
		compute.Factory{Name: "fake-spin", Doc: "the fake backend with a Settle, for tests", Kernels: compute.AllKernels(),
			Settle: spinSettle, Open: open(func(f *fake) compute.Backend { return spinning{f} })},
		compute.Factory{Name: "lossy", Doc: "reference whose downloads change an element, for tests", Kernels: compute.AllKernels(),
			Open: func(compute.Options) (compute.Backend, error) { return lossy{&fake{}}, nil }},
	)
	for _, s := range []*slow{slowCPU, slowGPU, steepGPU} {
		r.Register(compute.Factory{Name: s.name, Doc: "reference with a cost model, for tests", Kernels: compute.AllKernels(),
			Open: func(compute.Options) (compute.Backend, error) {
				s.fake, s.fresh = &fake{}, map[compute.Buffer]bool{}
				return s, nil
			}})
	}
	return &Env{Registry: r}
}
