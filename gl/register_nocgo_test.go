//go:build !cgo

package gl

import (
	"errors"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestNoCgo: built without cgo, gl is registered but unavailable, and
// its probe and Open say how to get it.
func TestNoCgo(t *testing.T) {
	t.Parallel()
	registry := compute.NewRegistry(Factory(Isolation{Args: []string{"probe"}}))
	if err := registry.Probe("gl", compute.Options{}); !errors.Is(err, compute.ErrUnavailable) || !strings.Contains(err.Error(), "CGO_ENABLED=1") {
		t.Errorf("Probe: %v; want compute.ErrUnavailable saying to rebuild with CGO_ENABLED=1", err)
	}
	if b, err := registry.Open("gl", compute.Options{Device: -1}); err == nil || !errors.Is(err, compute.ErrUnavailable) {
		t.Errorf("Open: %v, %v; want compute.ErrUnavailable", b, err)
	}
}
