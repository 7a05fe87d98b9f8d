//go:build cgo

package gl

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/ref"
)

// TestCloseLeavesNothing: after Close no goroutine of the backend is
// left (the owner thread ends) and no GL object is counted alive, also
// after a failed open and a second Close.
func TestCloseLeavesNothing(t *testing.T) {
	openOrSkip(t) // skips where there is no GL
	o, err := optionsFromEnv(-1)
	if err != nil {
		t.Fatal(err)
	}
	before := computetest.LiveGoroutines()
	for range 3 {
		b, err := open(o)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkAll(b, compute.Float32); err != nil {
			t.Error(err)
		}
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := b.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if n := b.liveObjects(); n != 0 {
			t.Errorf("%d GL objects alive after Close: %v", n, b.live)
		}
		if err := b.Sync(); err == nil {
			t.Errorf("Sync after Close succeeded")
		}
	}
	if _, err := open(contextOptions{force: "none", device: -1}); err == nil {
		t.Fatal("open with force=none succeeded")
	}
	if left := before.WaitExited(time.Second); len(left) > 0 {
		t.Errorf("%d goroutines left after Close:\n%v", len(left), left)
	}
}

// soakShape is a small shape of each form for TestSoak.
func soakShape(k compute.Kernel) compute.Shape {
	switch k.Form() {
	case compute.MatrixForm:
		return compute.Mat(65, 63)
	case compute.GEMMForm:
		return compute.MNK(33, 31, 64)
	case compute.ChainForm:
		return compute.Chain(1000, 7)
	}
	return compute.Vec(5000)
}

// runOnce allocates, uploads, runs p, downloads and releases everything,
// returning the result.
func runOnce(b *backend, p compute.Problem, in [][]float64) ([]float64, error) {
	l, err := launchOf(b, p, in)
	defer releaseAll(l)
	if err != nil {
		return nil, err
	}
	if err := b.Run(l); err != nil {
		return nil, err
	}
	got := compute.NewHost(p.DType, p.OutLen())
	if err := b.Download(got, l.Out); err != nil {
		return nil, err
	}
	return got.Float64s(), nil
}

// launchOf allocates p's operands, uploads in into them and allocates
// its result: the launch of p on those buffers. Whatever it allocated is
// in the launch, also on an error: releaseAll frees it.
func launchOf(b *backend, p compute.Problem, in [][]float64) (compute.Launch, error) {
	l := compute.Launch{Problem: p}
	for _, v := range in {
		buf, err := b.Alloc(p.DType, len(v))
		if err != nil {
			return l, err
		}
		l.In = append(l.In, buf)
		if err := b.Upload(buf, compute.HostFrom(v, p.DType)); err != nil {
			return l, err
		}
	}
	if i := p.Kernel.InPlaceIndex(); i >= 0 {
		l.Out = l.In[i] // saxpy updates y
		return l, nil
	}
	out, err := b.Alloc(p.DType, p.OutLen())
	if err != nil {
		return l, err
	}
	l.Out = out
	return l, nil
}

// releaseAll releases the buffers of l, out once where it is an input.
func releaseAll(l compute.Launch) {
	for _, buf := range l.In {
		if buf != nil {
			buf.Release()
		}
	}
	if l.Out != nil && l.Kernel.InPlace() == "" {
		l.Out.Release()
	}
}

// checkAll runs every kernel once on its soak shape and verifies it.
func checkAll(b *backend, dt compute.DType) error {
	for _, k := range compute.Kernels() {
		if err := checkSoak(b, k, dt, 1, nil); err != nil {
			return err
		}
	}
	return nil
}

// checkSoak runs k on its soak shape reps times, verifying the first
// result against the reference and every later one bit for bit against
// the first; after(i) runs after repetition i.
func checkSoak(b *backend, k compute.Kernel, dt compute.DType, reps int, after func(i int) error) error {
	p := problem(k, soakShape(k), dt)
	in := ref.Inputs(p, 7)
	var first []float64
	for i := 1; i <= reps; i++ {
		got, err := runOnce(b, p, in)
		if err != nil {
			return soakError(p, i, err.Error())
		}
		if i == 1 {
			want, mag, err := ref.Compute(p, in)
			if err != nil {
				return err
			}
			if chk := ref.Verify(p, b.dev.SumLeaf, got, want, mag); !chk.OK {
				return soakError(p, i, chk.Reason)
			}
			first = got
		} else {
			for j := range got {
				if math.Float64bits(got[j]) != math.Float64bits(first[j]) {
					return soakError(p, i, "element "+itoa(j)+" differs from the first repetition's")
				}
			}
		}
		if after != nil {
			if err := after(i); err != nil {
				return soakError(p, i, err.Error())
			}
		}
	}
	return nil
}

func soakError(p compute.Problem, rep int, msg string) error {
	return fmt.Errorf("%v, repetition %d: %s", p, rep, msg)
}

// soakReps is how often TestSoak runs each kernel.
const soakReps = 50

// TestSoak runs every kernel soakReps times on one backend, allocating
// and releasing its buffers each time: the GL objects alive after a
// repetition must not grow from the first to the last, and every result
// must be bit-identical to the first (which verifies against the
// reference).
func TestSoak(t *testing.T) {
	b := openOrSkip(t)
	for _, dt := range b.dev.DTypes {
		for _, k := range compute.Kernels() {
			var first int
			err := checkSoak(b, k, dt, soakReps, func(i int) error {
				n := b.liveObjects()
				if i == 1 {
					first = n
				} else if n > first {
					return fmt.Errorf("%d GL objects alive, %d after the first repetition: %v", n, first, b.live)
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}
	}
}
