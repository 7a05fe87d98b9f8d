package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
)

// Faults the shipped binary cannot be made to have are made in this test
// binary, which TestMain makes gpubench where the environment says so:
// the tests run it as they run the binary (gpubenchSelf), with the
// variables below set.
const (
	// envAsGpubench makes the test binary gpubench (asGpubench).
	envAsGpubench = "GPUBENCH_TEST_AS_GPUBENCH"
	// envTestPanic, set to a kernel's name, adds the backend "panic": the
	// cpu backend, except that running that kernel panics inside the
	// backend, so that a test can prove that a fault in a backend is
	// recovered at the case boundary, reported as that case's failure
	// (with the stack only under --debug), and that the run goes on.
	envTestPanic = "GPUBENCH_TEST_PANIC"
	// envTestGLProbe, set to segv or hang, makes the gl probe's child
	// (the test binary as gpubench __glprobe) crash by SIGSEGV, as a
	// driver's fault in C does, or hang.
	envTestGLProbe = "GPUBENCH_TEST_GLPROBE"
	// envTestGLProbeLog names a file to which each probe's child appends
	// "start <pid>" as it starts, and what it saw (envTestGLProbeUntil).
	envTestGLProbeLog = "GPUBENCH_TEST_GLPROBE_LOG"
	// envTestGLProbeUntil names a folder: the probe's child waits until
	// a case's output lands there (a run's --dump), notes it in the log,
	// and only then has its fault.
	envTestGLProbeUntil = "GPUBENCH_TEST_GLPROBE_UNTIL"
	// envTestWatchdog, set to a duration, is the least time a supervised
	// run's watchdog gives a gl case, in place of defaultWatchdogFloor,
	// so that a test of a hanging driver waits seconds, not a minute.
	envTestWatchdog = "GPUBENCH_TEST_WATCHDOG"
)

// asGpubench is the test binary as gpubench, with the faults its
// environment asks for; it returns the exit code.
func asGpubench() int {
	if len(os.Args) > 1 && os.Args[1] == glProbeCommand {
		probeChildEvents()
		switch os.Getenv(envTestGLProbe) {
		case "segv":
			crash()
		case "hang":
			time.Sleep(time.Hour)
		}
	}
	r := newBackends(isolated)
	if name := os.Getenv(envTestPanic); name != "" {
		kernel, err := compute.ParseKernel(name)
		if err != nil {
			panic(envTestPanic + ": " + err.Error())
		}
		r.Register(panicking(r, kernel))
	}
	sup := newSupervision(os.Args[1:])
	if v := os.Getenv(envTestWatchdog); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			panic(envTestWatchdog + ": " + err.Error())
		}
		sup.watchdogFloor = d
	}
	return mainWith(harness.NewEnv(r), sup)
}

// probeChildEvents is the probe's child's part of envTestGLProbeLog and
// envTestGLProbeUntil.
func probeChildEvents() {
	log := os.Getenv(envTestGLProbeLog)
	if log == "" {
		return
	}
	note := func(s string) {
		f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			panic(err)
		}
		fmt.Fprintln(f, s)
		f.Close()
	}
	note(fmt.Sprintf("start %d", os.Getpid()))
	dir := os.Getenv(envTestGLProbeUntil)
	if dir == "" {
		return
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for range tick.C {
		outs, _ := filepath.Glob(filepath.Join(dir, "*_out.npy"))
		if len(outs) > 0 {
			note("saw " + filepath.Base(outs[0]))
			return
		}
	}
}

// gpubenchSelf is gpubench run as this test binary (asGpubench), with
// env added.
func gpubenchSelf(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	return run1(t, os.Args[0], "", append([]string{envAsGpubench + "=1"}, env...), args...)
}

// crash ends the process by a SIGSEGV that the Go runtime reports as it
// does a fault in C code: "SIGSEGV: segmentation violation" heads its
// standard error.
func crash() {
	debug.SetTraceback("crash")
	signal.Reset(syscall.SIGSEGV)
	syscall.Kill(os.Getpid(), syscall.SIGSEGV)
	time.Sleep(time.Minute)
	os.Exit(1)
}

// panicking is the backend "panic": r's cpu backend, whose Run of kernel
// panics.
func panicking(r *compute.Registry, kernel compute.Kernel) compute.Factory {
	return compute.Factory{
		Name:    "panic",
		Doc:     "test only (" + envTestPanic + "): the cpu backend, whose " + kernel.String() + " panics",
		Peer:    true,
		Kernels: compute.AllKernels(),
		Open: func(o compute.Options) (compute.Backend, error) {
			b, err := r.Open("cpu", o)
			if err != nil {
				return nil, err
			}
			return &panicky{Backend: b, kernel: kernel}, nil
		},
	}
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
		//lint:ignore SA5000 the panic is the point: a runtime error, as a real bug would make
		m[p.kernel]++
	}
	return p.Backend.Run(l)
}
