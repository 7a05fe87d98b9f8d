//go:build cgo

package gl

import (
	"errors"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/shaders"
)

// TestDispatchTable: the dispatch table runs the whole catalogue (as the
// cgo-free build's registration says), each kernel through the shader
// named as it, and the registry holds the table's kernels.
func TestDispatchTable(t *testing.T) {
	table := dispatchTable()
	registry := compute.NewRegistry(Factory(Isolation{}))
	for _, k := range compute.Kernels() {
		if table[k] == nil {
			t.Errorf("no launcher for %v", k)
		}
		if !registry.Runs("gl", k) {
			t.Errorf("the registry says gl does not run %v", k)
		}
		if _, err := shaders.Source(k.String()); err != nil {
			t.Errorf("%v: %v", k, err)
		}
	}
	if got, want := kernelSet(), compute.AllKernels(); got != want {
		t.Errorf("kernel set %v, want the catalogue %v", got.List(), want.List())
	}
}

// TestTransferZeroHost: the zero Host, of no dtype, fits no buffer:
// Upload and Download refuse it with compute.ErrShape.
func TestTransferZeroHost(t *testing.T) {
	b := openOrSkip(t)
	x, err := b.Alloc(compute.Float32, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Release()
	if err := b.Upload(x, compute.Host{}); !errors.Is(err, compute.ErrShape) {
		t.Errorf("Upload of the zero Host: %v; want compute.ErrShape", err)
	}
	if err := b.Download(compute.Host{}, x); !errors.Is(err, compute.ErrShape) {
		t.Errorf("Download into the zero Host: %v; want compute.ErrShape", err)
	}
}
