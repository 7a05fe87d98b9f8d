//go:build cgo

package gl

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
)

// Kinds of GL object the backend counts, so that tests can check Close
// and failed compiles leave none behind.
const (
	objBuffer  = "buffer"
	objProgram = "program"
	objShader  = "shader"
	objQuery   = "query"
)

// backend is the gl compute.Backend. Its fields other than t, dev and
// closed belong to the owner thread: only closures run by do touch them.
type backend struct {
	t      *thread
	ctx    glContext
	dev    compute.Device
	gpu    compute.GPU
	closed bool

	// kernels is the dispatch table (kernels.go), the same for every
	// backend.
	kernels map[compute.Kernel]launcher
	progs   map[progKey]*program
	buffers map[*buffer]bool
	scratch map[compute.DType]*[2]*buffer
	query   uint32
	// timerLies is set once GL_TIME_ELAPSED gave an impossible time.
	timerLies bool
	live      map[string]int

	// Barriers owed since the last dispatch wrote storage: before the next
	// dispatch reads it, and before glBufferSubData/glGetBufferSubData.
	owedStorage, owedUpdate bool
	// dispatches counts glDispatchCompute calls and slices the timed
	// slices among them, for tests of splitting.
	dispatches, slices int
	// budget bounds one dispatch's time (watchdog.go); 0 turns the bound
	// off. Tests set it small to force slicing.
	budget time.Duration

	// resetStatus reads glGetGraphicsResetStatus where the context has it
	// (nil otherwise); lost is set once it or a GL error reported a lost
	// context, and every later call returns it.
	resetStatus func() uint32
	lost        error

	// Test hooks: maxGroups overrides GL_MAX_COMPUTE_WORK_GROUP_COUNT (0
	// keeps it), sourceHook rewrites a shader's text before compiling, and
	// resetHook, where set, stands in for glGetGraphicsResetStatus.
	maxGroups  [2]int
	sourceHook func(name, src string) string
	resetHook  func() uint32
}

// open starts the owner thread, makes the context on it and describes
// the device.
func open(o contextOptions) (*backend, error) {
	b := &backend{
		t:       startThread(),
		kernels: dispatchTable(),
		progs:   map[progKey]*program{},
		buffers: map[*buffer]bool{},
		scratch: map[compute.DType]*[2]*buffer{},
		live:    map[string]int{},
		budget:  defaultBudget,
	}
	resets := ""
	err := b.t.do(func() error {
		c, err := makeContext(o)
		if err != nil {
			return err
		}
		b.ctx = c
		if o.debug {
			enableDebugOutput()
		}
		b.gpu = probeGPU(c)
		if b.resetStatus = resetStatusFunc(c); b.resetStatus != nil {
			resets = resetStrategy()
		}
		return nil
	})
	if err != nil {
		b.t.stop()
		return nil, err
	}
	b.dev = compute.Device{
		Backend:           "gl",
		Name:              b.gpu.Renderer,
		Level:             b.ctx.kind(),
		Software:          b.gpu.Software,
		DTypes:            []compute.DType{compute.Float32},
		SumLeaf:           sumLeaf,
		FlushesSubnormals: flushesSubnormals,
		GPU:               &b.gpu,
		Notes:             []string{"context: " + b.ctx.describe() + ", OpenGL " + b.gpu.GLVersion},
	}
	if b.gpu.FP64 {
		b.dev.DTypes = append(b.dev.DTypes, compute.Float64)
	}
	if resets != "" {
		b.dev.Notes = append(b.dev.Notes, "GPU resets reported: "+resets)
	}
	if b.gpu.Software {
		b.dev.Notes = append(b.dev.Notes, b.gpu.Renderer+" runs on the CPU: its figures check correctness, not GPU speed")
	}
	return b, nil
}

func (b *backend) Name() string           { return "gl" }
func (b *backend) Device() compute.Device { return b.dev }

// do runs f on the owner thread and turns any GL error it left, or a
// reset of the context, into an error. Once the context is lost, do
// refuses all work with the error that reported it. It asks for the
// reset status only where f failed: calls that only issue work (Run,
// Upload, Alloc) stay free of that query, and a reset is noticed at the
// next call that waits for the device (doWait).
func (b *backend) do(f func() error) error { return b.call(f, false) }

// doWait is do for calls that wait for the device (glFinish, a read
// back), where a reset of the work before shows: it also asks
// glGetGraphicsResetStatus after f.
func (b *backend) doWait(f func() error) error { return b.call(f, true) }

func (b *backend) call(f func() error, waits bool) error {
	if b.closed {
		return fmt.Errorf("%w: gl backend is closed", compute.ErrReleased)
	}
	if b.lost != nil {
		return b.lost
	}
	return b.t.do(func() error {
		err := f()
		if e := glError(); e != nil && err == nil {
			err = e
		}
		if lost := b.checkReset(err, waits); lost != nil {
			err = lost
		}
		return err
	})
}

// glError drains glGetError into one error.
func glError() error {
	var errs []error
	for range 8 {
		code := gl.GetError()
		if code == gl.NO_ERROR {
			break
		}
		switch code {
		case gl.OUT_OF_MEMORY:
			errs = append(errs, fmt.Errorf("%w: GL_OUT_OF_MEMORY: the device has no room; try smaller sizes", compute.ErrTooLarge))
		case gl.CONTEXT_LOST:
			errs = append(errs, fmt.Errorf("%w: GL_CONTEXT_LOST", compute.ErrDeviceLost))
		default:
			errs = append(errs, fmt.Errorf("gl: GL error 0x%04x", code))
		}
	}
	return errors.Join(errs...)
}

// Sync waits for every dispatch so far (glFinish).
func (b *backend) Sync() error {
	return b.doWait(func() error {
		gl.Finish()
		return nil
	})
}

// liveObjects counts the GL objects the backend holds.
func (b *backend) liveObjects() (n int) {
	count := func() error {
		for _, c := range b.live {
			n += c
		}
		return nil
	}
	if b.closed {
		// The thread has ended; its writes happened before stop returned.
		count()
		return n
	}
	b.t.do(count)
	return n
}

// Close deletes every buffer, program and query, destroys the context and
// ends the owner thread. On a lost context the deletes do nothing on the
// device, which took the objects with it, and their errors are dropped.
func (b *backend) Close() error {
	if b.closed {
		return nil
	}
	err := b.t.do(func() error {
		for buf := range b.buffers {
			buf.free()
		}
		for k, p := range b.progs {
			gl.DeleteProgram(p.id)
			b.live[objProgram]--
			delete(b.progs, k)
		}
		if b.query != 0 {
			gl.DeleteQueries(1, &b.query)
			b.live[objQuery]--
			b.query = 0
		}
		gl.Finish()
		if err := glError(); err != nil && b.lost == nil {
			return err
		}
		return nil
	})
	b.t.do(func() error {
		b.ctx.release()
		return nil
	})
	b.closed = true
	b.t.stop()
	return err
}
