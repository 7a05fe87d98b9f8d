// Package gl is the OpenGL 4.3 compute backend of gpubench: each kernel
// of the catalogue is a compute shader (package shaders) run on shader
// storage buffers that stay on the device.
//
// The context is made, first that works: on an EGL device (a GPU found
// by eglQueryDevicesEXT; compute.Options.Device picks one of Devices()),
// on Mesa's surfaceless EGL platform (a GPU's render node or llvmpipe),
// or in a hidden GLFW window where DISPLAY or WAYLAND_DISPLAY is set.
// GPUBENCH_GL=egl|egl-device|egl-surfaceless|glfw|none forces one;
// GPUBENCH_GL_DEBUG=1 asks for a debug context and prints its messages.
// One goroutine on a locked OS thread makes every GL call.
//
// No dispatch is left to run into a display driver's watchdog: a grid
// whose estimated time is over a budget runs in slices of work groups,
// each timed and sized to fit it (watchdog.go). A context lost to a GPU reset (glGetGraphicsResetStatus
// or GL_CONTEXT_LOST) turns every later call into compute.ErrDeviceLost;
// a driver below OpenGL 4.3 makes the backend unavailable, saying which
// version it offers.
//
// Factory gives a compute.Registry the backend "gl"; its Isolation says
// whether GL is first opened in a child process (ServeProbe), so that a
// driver that crashes or hangs there costs only this backend. The
// package needs cgo; built without it, Factory gives a "gl" backend
// whose probe says so.
package gl
