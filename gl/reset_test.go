//go:build cgo

package gl

import (
	"errors"
	"fmt"
	"testing"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/ref"
)

// TestDeviceLost simulates a GPU reset through resetHook, which stands
// in for glGetGraphicsResetStatus: the call that sees it and every later
// one return an error wrapping compute.ErrDeviceLost, without a panic,
// and Close still frees everything (openOrSkip's cleanup checks).
func TestDeviceLost(t *testing.T) {
	for _, status := range []uint32{gl.GUILTY_CONTEXT_RESET, gl.INNOCENT_CONTEXT_RESET, gl.UNKNOWN_CONTEXT_RESET} {
		t.Run(fmt.Sprintf("0x%04x", status), func(t *testing.T) {
			b := openOrSkip(t)
			t.Logf("context reports resets: %v", b.resetStatus != nil)
			p := problem(compute.Saxpy, compute.Vec(1000), compute.Float32)
			if err := computetest.Check(b, p, 1); err != nil {
				t.Fatal(err)
			}
			lp := p
			lp.Alpha = 2
			l, err := launchOf(b, lp, ref.Inputs(lp, 1))
			if err != nil {
				t.Fatal(err)
			}
			x, out := l.In[0], l.Out
			if err := b.Run(l); err != nil {
				t.Fatal(err)
			}
			b.resetHook = func() uint32 { return status }
			lost := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, compute.ErrDeviceLost) {
					t.Errorf("%s after a reset: %v; want compute.ErrDeviceLost", what, err)
				}
			}
			lost("Sync", b.Sync())
			b.resetHook = nil // the loss sticks: nothing asks the driver again
			lost("Run", b.Run(l))
			lost("Sync", b.Sync())
			_, err = b.Alloc(compute.Float32, 10)
			lost("Alloc", err)
			lost("Upload", b.Upload(x, compute.NewHost(compute.Float32, 1000)))
			lost("Download", b.Download(compute.NewHost(compute.Float32, 1000), out))
			_, _, err = b.RunTimed(l)
			lost("RunTimed", err)
			_, err = b.DispatchLatency(1)
			lost("DispatchLatency", err)
			if err := computetest.Check(b, p, 1); !errors.Is(err, compute.ErrDeviceLost) {
				t.Errorf("the suite's check after a reset: %v; want compute.ErrDeviceLost", err)
			}
			if err := x.Release(); err != nil {
				t.Errorf("Release after a reset: %v", err)
			}
			if n := b.liveObjects(); n == 0 {
				t.Errorf("no objects counted before Close")
			}
		})
	}
}

// TestContextLostError: a GL_CONTEXT_LOST from glGetError (a robust
// context's report of a reset) marks the backend lost the same way.
func TestContextLostError(t *testing.T) {
	b := openOrSkip(t)
	err := b.do(func() error { return fmt.Errorf("%w: GL_CONTEXT_LOST", compute.ErrDeviceLost) })
	if !errors.Is(err, compute.ErrDeviceLost) {
		t.Fatalf("do: %v", err)
	}
	if err := b.Sync(); !errors.Is(err, compute.ErrDeviceLost) {
		t.Errorf("Sync after GL_CONTEXT_LOST: %v; want compute.ErrDeviceLost", err)
	}
}
