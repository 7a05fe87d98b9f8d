package main

import (
	"os"

	"github.com/gpubench/gpubench/compute"
)

// envTestPanic, set to a kernel's name, registers the backend "panic":
// the cpu backend, except that running that kernel panics inside the
// backend. It exists so that the end-to-end tests can prove that a fault
// in a backend is recovered at the case boundary, reported as that case's
// failure (with the stack only under --debug), and that the run goes on.
// Unset, as it always is outside tests, nothing is registered.
const envTestPanic = "GPUBENCH_TEST_PANIC"

func init() {
	name := os.Getenv(envTestPanic)
	if name == "" {
		return
	}
	kernel, err := compute.ParseKernel(name)
	if err != nil {
		panic(envTestPanic + ": " + err.Error())
	}
	compute.Register(compute.Factory{
		Name:    "panic",
		Doc:     "test only (" + envTestPanic + "): the cpu backend, whose " + name + " panics",
		Peer:    true,
		Kernels: compute.AllKernels(),
		Open: func(o compute.Options) (compute.Backend, error) {
			b, err := compute.Open("cpu", o)
			if err != nil {
				return nil, err
			}
			return &panicky{Backend: b, kernel: kernel}, nil
		},
	})
}

// panicky is a backend whose Run of one kernel panics.
type panicky struct {
	compute.Backend
	kernel compute.Kernel
}

func (p *panicky) Name() string { return "panic" }

func (p *panicky) Device() compute.Device {
	d := p.Backend.Device()
	d.Backend = "panic"
	return d
}

func (p *panicky) Run(l compute.Launch) error {
	if l.Kernel == p.kernel {
		var m map[compute.Kernel]int
		m[p.kernel]++ // a runtime error, as a real bug would make
	}
	return p.Backend.Run(l)
}
