package compute

import (
	"testing"
	"time"
)

// TestSettle: Settle reads a backend's own Factory.Settle (0 for an
// unknown name) and LoadSettle is the longest of every registered one.
func TestSettle(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	if d := r.LoadSettle(); d != 0 {
		t.Fatalf("LoadSettle with no spinning backend = %v, want 0", d)
	}
	open := func(Options) (Backend, error) { return nil, ErrUnavailable }
	r.Register(
		Factory{Name: "settle-test-a", Open: open, Kernels: AllKernels(), Settle: 50 * time.Millisecond},
		Factory{Name: "settle-test-b", Open: open, Kernels: AllKernels(), Settle: 200 * time.Millisecond},
		Factory{Name: "settle-test-c", Open: open, Kernels: AllKernels()})
	for name, want := range map[string]time.Duration{"settle-test-a": 50 * time.Millisecond, "settle-test-b": 200 * time.Millisecond, "settle-test-c": 0, "nope": 0} {
		if got := r.Settle(name); got != want {
			t.Errorf("Settle(%q) = %v, want %v", name, got, want)
		}
	}
	if d := r.LoadSettle(); d != 200*time.Millisecond {
		t.Errorf("LoadSettle = %v, want 200ms", d)
	}
}
