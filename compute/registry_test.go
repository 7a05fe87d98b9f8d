package compute

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func unavailable(Options) (Backend, error) { return nil, ErrUnavailable }

// TestRegisterChecksTable: a backend must register the kernels of its
// dispatch table, all of them in the catalogue, and a name once.
func TestRegisterChecksTable(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	mustPanic := func(what string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", what)
			}
		}()
		f()
	}
	mustPanic("a backend with no kernels", func() { r.Register(Factory{Name: "reg-none", Open: unavailable}) })
	mustPanic("a kernel outside the catalogue", func() { KernelSetOf(Gemm, Kernel(200)) })
	mustPanic("neither Open nor Group", func() { r.Register(Factory{Name: "reg-empty", Kernels: AllKernels()}) })
	mustPanic("a reserved name", func() { r.Register(Factory{Name: "auto", Open: unavailable, Kernels: AllKernels()}) })
	r.Register(Factory{Name: "reg-ok", Open: unavailable, Kernels: KernelSetOf(Gemm, Dot)})
	mustPanic("a name twice", func() { r.Register(Factory{Name: "reg-ok", Open: unavailable, Kernels: AllKernels()}) })
	if !r.Runs("reg-ok", Gemm) || r.Runs("reg-ok", Saxpy) || r.Runs("nope", Gemm) {
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
	t.Parallel()
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
	r := NewRegistry(
		Factory{Name: "grp/a", Open: unavailable, Kernels: AllKernels(), Peer: true},
		Factory{Name: "grp/b", Open: unavailable, Kernels: AllKernels(), Peer: true, Probe: avail},
		Factory{Name: "grp/all", Doc: "both", Group: members},
	)
	got, err := r.ResolveBackends([]string{"grp/all", "grp/a"}, Options{})
	if err != nil || !slices.Equal(got, []string{"grp/a", "grp/b"}) {
		t.Errorf("ResolveBackends(grp/all, grp/a) = %v, %v", got, err)
	}
	got, _ = r.ResolveBackends([]string{"grp/all"}, Options{Disable: []string{"B"}})
	if !slices.Equal(got, []string{"grp/a"}) {
		t.Errorf("grp/all with b disabled = %v", got)
	}
	if err := r.Probe("grp/b", Options{Disable: []string{"b"}}); err == nil {
		t.Error("grp/b probed available with b disabled")
	}
	if err := r.Probe("grp/b", Options{}); err != nil {
		t.Errorf("grp/b: %v (a probe's answer is kept per options)", err)
	}
	names := r.BackendNames(Options{})
	if i, j := slices.Index(names, "grp/b"), slices.Index(names, "grp/all"); i < 0 || j != i+1 {
		t.Errorf("grp/all is not listed right after its last member: %v", names)
	}
	all, _ := r.ResolveBackends([]string{"all"}, Options{})
	for _, n := range all {
		if strings.HasPrefix(n, "grp/") {
			t.Errorf("all includes %s", n)
		}
	}
	if _, err := r.Open("grp/all", Options{}); !errors.Is(err, ErrUsage) {
		t.Errorf("Open of a group: %v, want ErrUsage", err)
	}
	for _, a := range r.Available(Options{}) {
		if a.Name == "grp/all" && (!a.Available || !a.Peer || a.Doc != "both: grp/a, grp/b") {
			t.Errorf("grp/all listed as %+v", a)
		}
	}
}

// TestCheckDevice: a device index the backend lists passes, one past
// its list is a usage error naming what it has, and a backend without
// devices, or no index (-1), is not checked.
func TestCheckDevice(t *testing.T) {
	t.Parallel()
	two := func() ([]DeviceEntry, error) {
		return []DeviceEntry{{Index: 0, Name: "first", Driver: "d"}, {Index: 1, Name: "second", Driver: "d"}}, nil
	}
	r := NewRegistry(
		Factory{Name: "dev-two", Open: unavailable, Kernels: AllKernels(), Devices: two},
		Factory{Name: "dev-none", Open: unavailable, Kernels: AllKernels()})
	for _, c := range []struct {
		name   string
		device int
		ok     bool
	}{{"dev-two", -1, true}, {"dev-two", 0, true}, {"dev-two", 1, true}, {"dev-two", 2, false}, {"dev-none", 5, true}} {
		err := r.CheckDevice(c.name, Options{Device: c.device})
		if c.ok != (err == nil) {
			t.Errorf("CheckDevice(%s, %d) = %v, want ok %v", c.name, c.device, err, c.ok)
		}
		var fe *FieldError
		if err != nil && (!errors.Is(err, ErrUsage) || !errors.As(err, &fe) || fe.Field != "Device" || fe.Value != c.device ||
			fe.Msg != "dev-two has 2 device(s) (0: first; 1: second)") {
			t.Errorf("CheckDevice(%s, %d) = %v; want a FieldError on Device listing the devices", c.name, c.device, err)
		}
	}
	if ds, err := r.ListDevices("dev-two"); err != nil || len(ds) != 2 {
		t.Errorf("ListDevices = %v, %v", ds, err)
	}
	if _, err := r.ListDevices("dev-none"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ListDevices of a backend without devices: %v, want ErrUnsupported", err)
	}
}

// fakeBackend is a backend that opened: only its device is read.
type fakeBackend struct {
	Backend
	name string
}

func (b fakeBackend) Device() Device { return Device{Backend: b.name} }

// TestAuto: "auto" opens the first of the preferences given that probes
// available, else the last, and notes why it passed the others over;
// one that is not registered "is not built into this binary". A
// registry without preferences knows no "auto".
func TestAuto(t *testing.T) {
	t.Parallel()
	opener := func(name string) func(Options) (Backend, error) {
		return func(Options) (Backend, error) { return fakeBackend{name: name}, nil }
	}
	down := func(Options) error { return fmt.Errorf("%w: no device", ErrUnavailable) }
	r := NewRegistry(
		Factory{Name: "slow", Open: opener("slow"), Kernels: AllKernels()},
		Factory{Name: "fast", Open: opener("fast"), Kernels: AllKernels(), Probe: down})
	if _, err := r.Open("auto", Options{}); !errors.Is(err, ErrUnknownBackend) {
		t.Errorf("auto without preferences: %v, want ErrUnknownBackend", err)
	}
	if _, err := r.ResolveBackends([]string{"auto"}, Options{}); !errors.Is(err, ErrUnknownBackend) {
		t.Errorf("ResolveBackends(auto) without preferences: %v, want ErrUnknownBackend", err)
	}
	for _, c := range []struct {
		prefs      []string
		chose, why string
	}{
		{[]string{"slow", "fast"}, "slow", ""},
		{[]string{"fast", "slow"}, "slow", "auto chose slow: fast backend unavailable: no device"},
		{[]string{"absent", "fast", "slow"}, "slow", "auto chose slow: absent is not built into this binary; fast backend unavailable: no device"},
	} {
		r.Auto(c.prefs...)
		b, err := r.Open("auto", Options{})
		if err != nil {
			t.Errorf("auto %v: %v", c.prefs, err)
			continue
		}
		d := b.Device()
		why := strings.Join(d.Notes, "|")
		if d.Backend != c.chose || why != c.why {
			t.Errorf("auto %v opened %s noting %q; want %s noting %q", c.prefs, d.Backend, why, c.chose, c.why)
		}
	}
	r.Auto("slow", "fast")
	if got, err := r.ResolveBackends([]string{"auto", "fast"}, Options{}); err != nil || !slices.Equal(got, []string{"auto", "fast"}) {
		t.Errorf("ResolveBackends(auto, fast) = %v, %v", got, err)
	}
	if _, err := r.Open("nope", Options{}); err == nil || !strings.Contains(err.Error(), "known backends are slow, fast, auto, all") {
		t.Errorf("unknown backend: %v; want the known ones, the first registered first", err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Auto naming auto among its preferences did not panic")
			}
		}()
		r.Auto("slow", "auto")
	}()
}
