package compute

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure a backend as it opens.
type Options struct {
	// Workers is the number of threads a CPU backend uses; 0 means one
	// per logical core the Go runtime may use (GOMAXPROCS).
	Workers int
	// Device picks one of several devices (GPUs) by index; -1 means the
	// backend's own choice.
	Device int
	// Disable names code paths a backend must not take, such as a CPU's
	// SIMD levels ("avx512"): a backend that has such a path runs the
	// best one left, and a backend that is only that path is unavailable.
	Disable []string
}

// MaxWorkers bounds Options.Workers: beyond it a typo, not a machine.
const MaxWorkers = 4096

// Check refuses options no backend can take, as FieldErrors wrapping
// ErrUsage: a worker count outside 0..MaxWorkers, a device index below
// -1. It is the one place these two are checked; a backend checks only
// what is its own (whether it has that device).
func (o Options) Check() error {
	switch {
	case o.Workers < 0 || o.Workers > MaxWorkers:
		return &FieldError{Field: "Workers", Value: o.Workers, Err: ErrUsage,
			Msg: fmt.Sprintf("use 0 (one per logical CPU) up to %d", MaxWorkers)}
	case o.Device < -1:
		return &FieldError{Field: "Device", Value: o.Device, Err: ErrUsage,
			Msg: "use the index of a device the backend lists, or -1 for its own choice"}
	}
	return nil
}

// Disabled reports whether o names path in Disable (case-insensitive).
func (o Options) Disabled(path string) bool {
	for _, d := range o.Disable {
		if strings.EqualFold(d, path) {
			return true
		}
	}
	return false
}

// probeKey is what a probe's answer depends on: the backend and the
// paths disabled.
func (o Options) probeKey(name string) string {
	return name + "\x00" + strings.Join(o.Disable, ",")
}

// Factory describes a backend to a Registry: its name, what it runs, and
// how to probe and open it. Each backend package exports a constructor
// of its factories; main registers them.
type Factory struct {
	Name string
	// Doc is one line on what the backend is.
	Doc string
	// Kernels is the set the backend runs, made from its own dispatch
	// table (KernelSetOf), so that Register checks the table against the
	// catalogue. A backend's Run returns ErrUnsupported for the others.
	Kernels KernelSet
	// Probe says whether the backend can open on this machine with these
	// options: nil, or an error that says why not and what to do. It may
	// be slow; Registry.Probe keeps its answer.
	Probe func(o Options) error
	// SlowProbe marks a backend whose probe is slow or may hang (a GPU
	// driver opened in a child process): a registry starts it only for a
	// command that needs the backend, and lists the backend as not probed
	// elsewhere (Known).
	SlowProbe bool
	// Open starts the backend.
	Open func(o Options) (Backend, error)
	// Group, set instead of Open, makes the name stand for several
	// backends, those it lists (best first) for these options: "cpu/all"
	// is every CPU level. Registry.ResolveBackends expands it.
	Group func(o Options) []string
	// Peer marks a backend that exists to compare against (a BLAS
	// library), left out of "all" unless named.
	Peer bool
	// Settle is how long the backend's own threads stay busy after its
	// last call, and after the process starts (a BLAS's idle threads spin
	// before they sleep, from the moment the library loads): a case run
	// inside that window shares a core with them. 0 for a backend whose
	// threads sleep at once.
	Settle time.Duration
	// Devices, where set, lists the devices Options.Device can pick, in
	// index order.
	Devices func() ([]DeviceEntry, error)
}

// DeviceEntry is one device that Options.Device can pick, as a backend
// lists it.
type DeviceEntry struct {
	// Index is what Options.Device takes.
	Index int `json:"index"`
	// Name is the device's own (a GPU's renderer string).
	Name string `json:"name"`
	// Driver is the driver that runs it: the kernel's for a GPU with a
	// device file, else the vendor of its OpenGL.
	Driver string `json:"driver"`
	// Detail tells devices apart: their kind (GPU, CUDA, software) and
	// device files.
	Detail string `json:"detail,omitempty"`
	// Error says why the backend cannot run on the device; empty where
	// it can.
	Error string `json:"error,omitempty"`
}

// Registry holds the backends a program can open, by name. main builds
// one from the backend packages' factories (cpu.Factories, gl.Factory,
// peer.Factories) and hands it to whatever opens backends; tests build
// their own with fakes. Its methods are safe for concurrent use.
type Registry struct {
	mu        sync.Mutex
	factories map[string]*Factory
	order     []string              // names as registered
	probes    map[string]*probeCall // probes started, by Options.probeKey
	optional  map[string]bool       // backends "all" took in before their probe answered
	auto      []string              // what "auto" tries, in order
}

// NewRegistry returns a registry holding fs (see Register).
func NewRegistry(fs ...Factory) *Registry {
	r := &Registry{factories: map[string]*Factory{}, probes: map[string]*probeCall{}, optional: map[string]bool{}}
	r.Register(fs...)
	return r
}

// Register adds backends. It panics on a programming error: a duplicate
// or empty name, no Open (or Group), or a backend that runs no kernel of
// the catalogue.
func (r *Registry) Register(fs ...Factory) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range fs {
		switch {
		case f.Name == "" || (f.Open == nil) == (f.Group == nil):
			panic("compute: Register needs a name and either an Open or a Group function")
		case f.Name == "auto" || f.Name == "all":
			panic("compute: backend name " + f.Name + " is reserved")
		case f.Open != nil && f.Kernels == 0:
			panic("compute: backend " + f.Name + " registers no kernel: set Factory.Kernels from its dispatch table")
		case f.Kernels&^AllKernels() != 0:
			panic("compute: backend " + f.Name + " registers kernels outside the catalogue")
		}
		if _, dup := r.factories[f.Name]; dup {
			panic("compute: backend registered twice: " + f.Name)
		}
		r.factories[f.Name] = &f
		r.order = append(r.order, f.Name)
	}
}

// Auto makes the name "auto" open the first of prefs that probes
// available here, and the last of them where none does; the backend it
// opens says in its device's notes which it passed over and why. A
// registry without Auto knows no "auto". Naming "auto" or "all" among
// prefs is a programming error: it panics.
func (r *Registry) Auto(prefs ...string) {
	if slices.Contains(prefs, "auto") || slices.Contains(prefs, "all") {
		panic("compute: Auto names auto or all among its preferences")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.auto = slices.Clone(prefs)
}

func (r *Registry) lookup(name string) (*Factory, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.factories[name]
	return f, ok
}

func (r *Registry) autoPrefs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.auto
}

// ListDevices lists the devices of the named backend, or an error if it
// has none to choose from.
func (r *Registry) ListDevices(name string) ([]DeviceEntry, error) {
	f, ok := r.lookup(name)
	if !ok {
		return nil, r.unknownBackend(name)
	}
	if f.Devices == nil {
		return nil, fmt.Errorf("%w: %s has no devices to choose from", ErrUnsupported, name)
	}
	return f.Devices()
}

// CheckDevice refuses an Options.Device that the named backend does not
// list, with a FieldError (Field "Device") that says which it does. A
// backend with no devices to choose from ignores the option, and so does
// a group or "auto" here: check the backends they stand for.
func (r *Registry) CheckDevice(name string, o Options) error {
	if o.Device < 0 {
		return nil
	}
	f, ok := r.lookup(name)
	if !ok || f.Devices == nil {
		return nil
	}
	ds, err := f.Devices()
	if err != nil {
		return &FieldError{Field: "Device", Value: o.Device, Err: err, Msg: name + " cannot list its devices"}
	}
	if o.Device < len(ds) {
		return nil
	}
	var list []string
	for _, d := range ds {
		list = append(list, fmt.Sprintf("%d: %s", d.Index, d.Name))
	}
	return &FieldError{Field: "Device", Value: o.Device, Err: ErrUsage,
		Msg: fmt.Sprintf("%s has %d device(s) (%s)", name, len(ds), strings.Join(list, "; "))}
}

// Availability says whether a backend can open here, and why not.
type Availability struct {
	Name      string `json:"name"`
	Doc       string `json:"doc"`
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"`
	Peer      bool   `json:"peer,omitempty"`
	// NotProbed marks a backend whose probe had not answered when the
	// list was made (see Registry.Known and AvailableWithin): Available
	// is false, and Reason says why it was not waited for.
	NotProbed bool `json:"not_probed,omitempty"`
}

// Settle is the named backend's Factory.Settle; 0 for an unknown name.
func (r *Registry) Settle(name string) time.Duration {
	if f, ok := r.lookup(name); ok {
		return f.Settle
	}
	return 0
}

// LoadSettle is the longest Settle of every registered backend: how long
// after the process starts a linked library's threads may still be busy,
// whichever backends a run uses.
func (r *Registry) LoadSettle() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	var d time.Duration
	for _, f := range r.factories {
		d = max(d, f.Settle)
	}
	return d
}

// Runs reports whether the named backend runs kernel k (false for an
// unknown name or a group).
func (r *Registry) Runs(name string, k Kernel) bool {
	f, ok := r.lookup(name)
	return ok && f.Kernels.Has(k)
}

// BackendNames lists the registered backends: the first registered
// first, then the rest in name order, each group after the last of the
// backends it stands for.
func (r *Registry) BackendNames(o Options) []string {
	r.mu.Lock()
	var names, groups []string
	for _, n := range r.order {
		if r.factories[n].Group != nil {
			groups = append(groups, n)
		} else {
			names = append(names, n)
		}
	}
	r.mu.Unlock()
	if len(names) > 1 {
		slices.Sort(names[1:])
	}
	slices.Sort(groups)
	for _, g := range groups {
		f, _ := r.lookup(g)
		at := len(names) - 1
		if members := f.Group(o); len(members) > 0 {
			for i, n := range names {
				if slices.Contains(members, n) {
					at = i
				}
			}
		}
		names = slices.Insert(names, at+1, g)
	}
	return names
}

// Open starts the named backend; "auto" the first of Auto's preferences
// that is available, noting in its device why it passed over the others
// so that a report can say.
func (r *Registry) Open(name string, o Options) (Backend, error) {
	if prefs := r.autoPrefs(); name == "auto" && len(prefs) > 0 {
		return r.openAuto(prefs, o)
	}
	f, ok := r.lookup(name)
	if !ok {
		return nil, r.unknownBackend(name)
	}
	if f.Group != nil {
		return nil, fmt.Errorf("%w: %s names several backends: resolve it first (ResolveBackends)", ErrUsage, name)
	}
	if err := r.Probe(name, o); err != nil {
		return nil, err
	}
	return f.Open(o)
}

// openAuto opens the first of prefs that probes available, else the
// last.
func (r *Registry) openAuto(prefs []string, o Options) (Backend, error) {
	var passed []string
	chosen := prefs[len(prefs)-1]
	for _, n := range prefs[:len(prefs)-1] {
		err := r.Probe(n, o)
		if err == nil {
			chosen = n
			break
		}
		passed = append(passed, n+" "+r.reason(n, err))
	}
	b, err := r.Open(chosen, o)
	if err != nil || len(passed) == 0 {
		return b, err
	}
	return &autoNote{Backend: b, why: "auto chose " + chosen + ": " + strings.Join(passed, "; ")}, nil
}

// reason says why auto passed over the backend called name.
func (r *Registry) reason(name string, err error) string {
	if _, ok := r.lookup(name); !ok {
		return "is not built into this binary"
	}
	return err.Error()
}

func (r *Registry) unknownBackend(name string) error {
	names := r.BackendNames(Options{})
	if len(r.autoPrefs()) > 0 {
		names = append(names, "auto")
	}
	names = append(names, "all")
	return fmt.Errorf("%w %q: known backends are %s", ErrUnknownBackend, name, strings.Join(names, ", "))
}

// autoNote wraps the backend "auto" chose, noting why.
type autoNote struct {
	Backend
	why string
}

func (a *autoNote) Device() Device {
	d := a.Backend.Device()
	d.Notes = append(slices.Clone(d.Notes), a.why)
	return d
}

// ResolveBackends expands a list of backend names, the one place names
// that stand for several backends are expanded: "all" means every
// available backend that is neither a peer nor a group, and a group
// (such as "cpu/all") the backends it lists for o. Names are kept in
// order without repeats. The slow probes (Factory.SlowProbe) of the
// backends it returns, and of those "auto" may choose, are started
// (StartProbe) rather than waited for: "all" takes in such a backend
// whose probe has not answered as Optional, unless it is named too.
func (r *Registry) ResolveBackends(list []string, o Options) ([]string, error) {
	var out, optional []string
	seen, named := map[string]bool{}, map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	auto := len(r.autoPrefs()) > 0
	for _, n := range list {
		n = strings.TrimSpace(n)
		switch {
		case n == "all":
			names, opt := r.takeAll(o)
			for _, m := range names {
				add(m)
			}
			optional = append(optional, opt...)
		case n == "auto" && auto:
			r.StartProbe("auto", o)
			add("auto")
		default:
			f, ok := r.lookup(n)
			if !ok {
				return nil, r.unknownBackend(n)
			}
			if f.Group != nil {
				for _, m := range f.Group(o) {
					add(m)
				}
				continue
			}
			r.StartProbe(n, o)
			named[n] = true
			add(n)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no backend named", ErrUsage)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range optional {
		r.optional[n] = true
	}
	for n := range named {
		delete(r.optional, n)
	}
	return out, nil
}
