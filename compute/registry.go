package compute

import (
	"errors"
	"fmt"
	"slices"
	"sort"
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
}

// Factory registers a backend: backends call Register from init.
type Factory struct {
	Name string
	// Doc is one line on what the backend is.
	Doc string
	// Probe says whether the backend can open on this machine: nil, or an
	// error that says why not and what to do. It may be slow the first
	// time; Available caches its answer.
	Probe func() error
	// Open starts the backend.
	Open func(o Options) (Backend, error)
	// Peer marks a backend that exists to compare against (a BLAS
	// library), left out of "all" unless named.
	Peer bool
	// Settle is how long the backend's own threads stay busy after its
	// last call, and after the process starts (a BLAS's idle threads spin
	// before they sleep, from the moment the library loads): a case run
	// inside that window shares a core with them. 0 for a backend whose
	// threads sleep at once.
	Settle time.Duration
	// Devices, where set, lists the devices Options.Device can pick, one
	// line each, index first.
	Devices func() ([]string, error)
}

// ListDevices lists the devices of the named backend, or an error if it
// has none to choose from.
func ListDevices(name string) ([]string, error) {
	regMu.Lock()
	f, ok := registry[name]
	regMu.Unlock()
	if !ok {
		return nil, unknownBackend(name)
	}
	if f.Devices == nil {
		return nil, fmt.Errorf("%w: %s has no devices to choose from", ErrUnsupported, name)
	}
	return f.Devices()
}

var (
	regMu    sync.Mutex
	registry = map[string]*Factory{}
	probed   = map[string]error{}
)

// Register adds a backend. It panics on a duplicate name: that is a
// programming error in an init function.
func Register(f Factory) {
	regMu.Lock()
	defer regMu.Unlock()
	if f.Name == "" || f.Open == nil {
		panic("compute: Register needs a name and an Open function")
	}
	if _, dup := registry[f.Name]; dup {
		panic("compute: backend registered twice: " + f.Name)
	}
	registry[f.Name] = &f
}

// Availability says whether a backend can open here, and why not.
type Availability struct {
	Name      string `json:"name"`
	Doc       string `json:"doc"`
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"`
	Peer      bool   `json:"peer,omitempty"`
}

// Settle is the named backend's Factory.Settle; 0 for an unknown name.
func Settle(name string) time.Duration {
	regMu.Lock()
	defer regMu.Unlock()
	if f, ok := registry[name]; ok {
		return f.Settle
	}
	return 0
}

// LoadSettle is the longest Settle of every registered backend: how long
// after the process starts a linked library's threads may still be busy,
// whichever backends a run uses.
func LoadSettle() time.Duration {
	regMu.Lock()
	defer regMu.Unlock()
	var d time.Duration
	for _, f := range registry {
		d = max(d, f.Settle)
	}
	return d
}

// BackendNames lists the registered backends, "cpu" first, then the rest
// in name order.
func BackendNames() []string {
	regMu.Lock()
	defer regMu.Unlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "cpu") != (names[j] == "cpu") {
			return names[i] == "cpu"
		}
		return names[i] < names[j]
	})
	return names
}

// Probe says whether the named backend can open here: nil or why not.
func Probe(name string) error {
	regMu.Lock()
	f, ok := registry[name]
	err, done := probed[name]
	regMu.Unlock()
	if !ok {
		return unknownBackend(name)
	}
	if done {
		return err
	}
	if f.Probe != nil {
		err = f.Probe()
	}
	regMu.Lock()
	probed[name] = err
	regMu.Unlock()
	return err
}

// Available lists every registered backend with whether it can open here.
func Available() []Availability {
	var out []Availability
	for _, n := range BackendNames() {
		regMu.Lock()
		f := registry[n]
		regMu.Unlock()
		a := Availability{Name: n, Doc: f.Doc, Available: true, Peer: f.Peer}
		if err := Probe(n); err != nil {
			a.Available, a.Reason = false, err.Error()
		}
		out = append(out, a)
	}
	return out
}

// Open starts the named backend. "auto" opens gl where it is available
// and cpu otherwise; the returned error of a failed gl probe is then
// recorded in the device's notes so the report can say why.
func Open(name string, o Options) (Backend, error) {
	if name == "auto" {
		if err := Probe("gl"); err == nil {
			return Open("gl", o)
		} else {
			b, cerr := Open("cpu", o)
			if cerr != nil {
				return nil, cerr
			}
			return &autoNote{Backend: b, why: "auto chose cpu: gl " + reason(err)}, nil
		}
	}
	regMu.Lock()
	f, ok := registry[name]
	regMu.Unlock()
	if !ok {
		return nil, unknownBackend(name)
	}
	if err := Probe(name); err != nil {
		return nil, err
	}
	return f.Open(o)
}

func reason(err error) string {
	if errors.Is(err, errNotRegistered) {
		return "is not built into this binary"
	}
	return err.Error()
}

var errNotRegistered = errors.New("not registered")

func unknownBackend(name string) error {
	names := append(BackendNames(), "auto", "all")
	if name == "gl" {
		// gl is known by design; a binary without it says so plainly.
		return fmt.Errorf("%w: gl: %w: this binary has no gl backend (built without cgo?)", ErrUnavailable, errNotRegistered)
	}
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

// ResolveBackends expands a --backend list: "all" means every available
// backend that is not a peer; names are kept in order without repeats.
func ResolveBackends(list []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, n := range list {
		n = strings.TrimSpace(n)
		switch n {
		case "all":
			for _, a := range Available() {
				if a.Available && !a.Peer {
					add(a.Name)
				}
			}
		case "auto":
			add("auto")
		default:
			regMu.Lock()
			_, ok := registry[n]
			regMu.Unlock()
			if !ok {
				return nil, unknownBackend(n)
			}
			add(n)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no backend named", ErrUsage)
	}
	return out, nil
}
