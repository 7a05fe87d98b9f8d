package compute

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// register adds factories for one test and removes them after it.
func register(t *testing.T, fs ...Factory) {
	t.Helper()
	for _, f := range fs {
		Register(f)
	}
	t.Cleanup(func() {
		regMu.Lock()
		defer regMu.Unlock()
		for _, f := range fs {
			delete(registry, f.Name)
		}
		clear(probed)
	})
}

func unavailable(Options) (Backend, error) { return nil, ErrUnavailable }

// TestRegisterChecksTable: a backend must register the kernels of its
// dispatch table, all of them in the catalogue, and a name once.
func TestRegisterChecksTable(t *testing.T) {
	mustPanic := func(what string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", what)
			}
		}()
		f()
	}
	mustPanic("a backend with no kernels", func() { Register(Factory{Name: "reg-none", Open: unavailable}) })
	mustPanic("a kernel outside the catalogue", func() { KernelSetOf(Gemm, Kernel(200)) })
	mustPanic("neither Open nor Group", func() { Register(Factory{Name: "reg-empty", Kernels: AllKernels()}) })
	register(t, Factory{Name: "reg-ok", Open: unavailable, Kernels: KernelSetOf(Gemm, Dot)})
	mustPanic("a name twice", func() { Register(Factory{Name: "reg-ok", Open: unavailable, Kernels: AllKernels()}) })
	if !Runs("reg-ok", Gemm) || Runs("reg-ok", Saxpy) || Runs("nope", Gemm) {
		t.Error("Runs does not follow Factory.Kernels")
	}
	if got := KernelSetOf(Dot, Gemm).List(); !slices.Equal(got, []Kernel{Dot, Gemm}) {
		t.Errorf("KernelSet.List = %v", got)
	}
}

// TestGroups: a group expands, in ResolveBackends only, to the backends
// it lists for the options given, is listed after them, and is
// available where any of them is; "all" leaves groups and peers out.
func TestGroups(t *testing.T) {
	avail := func(o Options) error {
		if o.Disabled("b") {
			return errors.New("b is disabled")
		}
		return nil
	}
	members := func(o Options) []string {
		var out []string
		for _, n := range []string{"grp/a", "grp/b"} {
			if !o.Disabled(strings.TrimPrefix(n, "grp/")) {
				out = append(out, n)
			}
		}
		return out
	}
	register(t,
		Factory{Name: "grp/a", Open: unavailable, Kernels: AllKernels(), Peer: true},
		Factory{Name: "grp/b", Open: unavailable, Kernels: AllKernels(), Peer: true, Probe: avail},
		Factory{Name: "grp/all", Doc: "both", Group: members},
	)
	got, err := ResolveBackends([]string{"grp/all", "grp/a"}, Options{})
	if err != nil || !slices.Equal(got, []string{"grp/a", "grp/b"}) {
		t.Errorf("ResolveBackends(grp/all, grp/a) = %v, %v", got, err)
	}
	got, _ = ResolveBackends([]string{"grp/all"}, Options{Disable: []string{"B"}})
	if !slices.Equal(got, []string{"grp/a"}) {
		t.Errorf("grp/all with b disabled = %v", got)
	}
	if err := Probe("grp/b", Options{Disable: []string{"b"}}); err == nil {
		t.Error("grp/b probed available with b disabled")
	}
	if err := Probe("grp/b", Options{}); err != nil {
		t.Errorf("grp/b: %v (a probe's answer is kept per options)", err)
	}
	names := BackendNames(Options{})
	if i, j := slices.Index(names, "grp/b"), slices.Index(names, "grp/all"); i < 0 || j != i+1 {
		t.Errorf("grp/all is not listed right after its last member: %v", names)
	}
	all, _ := ResolveBackends([]string{"all"}, Options{})
	for _, n := range all {
		if strings.HasPrefix(n, "grp/") {
			t.Errorf("all includes %s", n)
		}
	}
	if _, err := Open("grp/all", Options{}); !errors.Is(err, ErrUsage) {
		t.Errorf("Open of a group: %v, want ErrUsage", err)
	}
	for _, a := range Available(Options{}) {
		if a.Name == "grp/all" && (!a.Available || !a.Peer || a.Doc != "both: grp/a, grp/b") {
			t.Errorf("grp/all listed as %+v", a)
		}
	}
}

// TestCheckDevice: a device index the backend lists passes, one past
// its list is a usage error naming what it has, and a backend without
// devices, or no index (-1), is not checked.
func TestCheckDevice(t *testing.T) {
	two := func() ([]DeviceEntry, error) {
		return []DeviceEntry{{Index: 0, Name: "first", Driver: "d"}, {Index: 1, Name: "second", Driver: "d"}}, nil
	}
	register(t,
		Factory{Name: "dev-two", Open: unavailable, Kernels: AllKernels(), Devices: two},
		Factory{Name: "dev-none", Open: unavailable, Kernels: AllKernels()})
	for _, c := range []struct {
		name   string
		device int
		ok     bool
	}{{"dev-two", -1, true}, {"dev-two", 0, true}, {"dev-two", 1, true}, {"dev-two", 2, false}, {"dev-none", 5, true}} {
		err := CheckDevice(c.name, Options{Device: c.device})
		if c.ok != (err == nil) {
			t.Errorf("CheckDevice(%s, %d) = %v, want ok %v", c.name, c.device, err, c.ok)
		}
		if err != nil && (!errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "2 device(s) (0: first; 1: second)")) {
			t.Errorf("CheckDevice(%s, %d) = %v; want ErrUsage listing the devices", c.name, c.device, err)
		}
	}
	if ds, err := ListDevices("dev-two"); err != nil || len(ds) != 2 {
		t.Errorf("ListDevices = %v, %v", ds, err)
	}
	if _, err := ListDevices("dev-none"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ListDevices of a backend without devices: %v, want ErrUnsupported", err)
	}
}
