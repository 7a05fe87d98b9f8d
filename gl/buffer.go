//go:build cgo

package gl

import (
	"fmt"
	"unsafe"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
)

// maxElems bounds a buffer's length: the shaders index with 32-bit
// unsigned integers and add a work group's span to an index, so 2³¹
// leaves room.
const maxElems = 1 << 31

// buffer is a shader storage buffer object that stays on the device.
type buffer struct {
	b        *backend
	id       uint32
	n        int
	dt       compute.DType
	released bool
}

func (x *buffer) Len() int             { return x.n }
func (x *buffer) DType() compute.DType { return x.dt }
func (x *buffer) bytes() int           { return x.n * x.dt.Size() }

// Release deletes the buffer.
func (x *buffer) Release() error {
	if x.released {
		return nil
	}
	if x.b.closed {
		x.released = true // Close deleted it
		return nil
	}
	free := func() error {
		x.free()
		return nil
	}
	if x.b.lost != nil {
		// The reset took the buffer; free only forgets it.
		return x.b.t.do(free)
	}
	return x.b.do(free)
}

// free deletes the GL buffer. Call on the owner thread.
func (x *buffer) free() {
	if x.released {
		return
	}
	gl.DeleteBuffers(1, &x.id)
	x.b.live[objBuffer]--
	delete(x.b.buffers, x)
	x.released = true
}

// Alloc makes a zeroed buffer of n elements of dt. The size must fit the
// driver's GL_MAX_SHADER_STORAGE_BLOCK_SIZE, the most one shader can
// address.
func (b *backend) Alloc(dt compute.DType, n int) (compute.Buffer, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: gl: a buffer needs at least 1 element, got %d", compute.ErrShape, n)
	}
	if !b.dev.Supports(dt) {
		return nil, fmt.Errorf("%w: gl: %v on %s (no GL_ARB_gpu_shader_fp64)", compute.ErrUnsupported, dt, b.dev.Name)
	}
	if n > maxElems {
		return nil, fmt.Errorf("%w: gl: %d elements is beyond the %d the shaders index", compute.ErrTooLarge, n, maxElems)
	}
	size := int64(n) * int64(dt.Size())
	if lim := b.gpu.MaxSSBOSize; size > lim {
		return nil, fmt.Errorf("%w: gl: a %v buffer of %d elements is %d bytes; %s allows %d per shader storage block (GL_MAX_SHADER_STORAGE_BLOCK_SIZE): use at most %d elements",
			compute.ErrTooLarge, dt, n, size, b.dev.Name, lim, lim/int64(dt.Size()))
	}
	x := &buffer{b: b, n: n, dt: dt}
	err := b.do(func() error { return x.alloc() })
	if err != nil {
		return nil, err
	}
	return x, nil
}

// alloc makes the GL buffer, zeroed. Call on the owner thread.
func (x *buffer) alloc() error {
	b := x.b
	gl.GenBuffers(1, &x.id)
	b.live[objBuffer]++
	b.buffers[x] = true
	gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, x.id)
	gl.BufferData(gl.SHADER_STORAGE_BUFFER, x.bytes(), nil, gl.DYNAMIC_COPY)
	if err := glError(); err != nil {
		x.free()
		return fmt.Errorf("gl: allocating %d bytes: %w", x.bytes(), err)
	}
	gl.ClearBufferData(gl.SHADER_STORAGE_BUFFER, gl.R8, gl.RED, gl.UNSIGNED_BYTE, nil)
	return nil
}

// own checks that buf is a live buffer of this backend.
func (b *backend) own(buf compute.Buffer, what string) (*buffer, error) {
	x, ok := buf.(*buffer)
	if !ok || x.b != b {
		return nil, fmt.Errorf("%w: gl: %s is not a buffer of this gl backend", compute.ErrShape, what)
	}
	if x.released {
		return nil, fmt.Errorf("%w: gl: %s was released", compute.ErrReleased, what)
	}
	return x, nil
}

// hostData is the address of h's first element; nil where h is empty.
func hostData(h compute.Host) unsafe.Pointer {
	switch h.DType() {
	case compute.Float32:
		return firstElem(compute.Data[float32](h))
	case compute.Float64:
		return firstElem(compute.Data[float64](h))
	}
	return nil
}

func firstElem[T compute.Float](s []T) unsafe.Pointer {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Pointer(&s[0])
}

// updateBarrier makes shader writes visible to glBufferSubData and
// glGetBufferSubData, and orders those after them.
func (b *backend) updateBarrier() {
	if b.owedUpdate {
		gl.MemoryBarrier(gl.BUFFER_UPDATE_BARRIER_BIT)
		b.owedUpdate = false
	}
}

// Upload copies src into dst with glBufferSubData.
func (b *backend) Upload(dst compute.Buffer, src compute.Host) error {
	return b.transfer(dst, src, "upload", "upload destination", false, gl.BufferSubData)
}

// Download copies src into dst with glGetBufferSubData, which waits for
// the dispatches that write src.
func (b *backend) Download(dst compute.Host, src compute.Buffer) error {
	return b.transfer(src, dst, "download", "download source", true, gl.GetBufferSubData)
}

// transfer checks that buf, named role in errors, is a live buffer of
// this backend and h holds its dtype and length; then, on the owner
// thread, it binds buf and moves the whole of it to or from h with move
// (glBufferSubData or glGetBufferSubData) after the barrier the
// dispatches before are owed. waits marks a move that waits for the
// device (see doWait).
func (b *backend) transfer(buf compute.Buffer, h compute.Host, verb, role string, waits bool,
	move func(target uint32, offset, size int, data unsafe.Pointer)) error {
	x, err := b.own(buf, role)
	if err != nil {
		return err
	}
	if h.DType() != x.dt || h.Len() != x.n {
		return fmt.Errorf("%w: gl: %s of %d %v into or from a buffer of %d %v", compute.ErrShape, verb, h.Len(), h.DType(), x.n, x.dt)
	}
	p := hostData(h)
	return b.call(func() error {
		b.updateBarrier()
		gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, x.id)
		move(gl.SHADER_STORAGE_BUFFER, 0, x.bytes(), p)
		return nil
	}, waits)
}
