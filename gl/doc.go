// Package gl is gpubench's OpenGL 4.3 compute backend: each kernel of
// the catalogue is a compute shader (package shaders) run on shader
// storage buffers that stay on the device, behind the compute.Backend
// interface.
//
// The package offers one backend, "gl": Factory returns it as a
// compute.Factory that a program adds to its compute.Registry, and the
// backend is opened through the registry like any other, with
// compute.Options.Device choosing a GPU among those Devices lists.
//
// # Contexts
//
// The context is made, first that works: on an EGL device (a GPU found
// by eglQueryDevicesEXT, preferring a hardware one), on Mesa's
// surfaceless EGL platform (a GPU's render node or llvmpipe), or, built
// with the glfw tag, in a hidden GLFW window on the X display DISPLAY
// names. libEGL is loaded when the first context is made, not linked:
// the program starts without it, and gl is then unavailable, saying why
// (dl_egl.go). The
// environment variable GPUBENCH_GL=egl|egl-device|egl-surfaceless|glfw|none
// forces one; GPUBENCH_GL_DEBUG=1 asks for a debug context and prints its
// messages. GL's entry points are loaded from whichever context was
// made, and checked as it opens. One goroutine on a locked OS thread
// makes every GL call. A software renderer (llvmpipe)
// is marked as such in compute.Device: its figures check correctness,
// not speed.
//
// # Faults
//
// No dispatch is left to run into a display driver's watchdog: a grid
// whose estimated time is over a budget runs in slices of work groups,
// each timed and sized to fit it. A context lost to a GPU reset
// (glGetGraphicsResetStatus or GL_CONTEXT_LOST) turns every later call
// into compute.ErrDeviceLost; a driver below OpenGL 4.3 makes the
// backend unavailable, saying which version it offers. A shader the
// driver refuses is a CompileError, carrying the shader's name, the
// driver's log and the numbered source, and leaves nothing allocated.
//
// Factory gives a compute.Registry the backend "gl"; its Isolation says
// whether GL is first opened in a child process (ServeProbe), so that a
// driver that crashes or hangs there costs only this backend. The
// package needs cgo; built without it, Factory gives a "gl" backend
// whose probe says so.
package gl
