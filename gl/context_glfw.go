//go:build cgo && glfw

package gl

// GLFW, which links libX11 and needs the X11 headers to build, is in the
// build only with the glfw tag (go build -tags glfw; make test-glfw):
// without it, context_noglfw.go says how to get it.

/*
#cgo pkg-config: x11
#include <stdlib.h>
#include <X11/Xlib.h>

// gb_x_open opens the display named, or returns NULL where no X server
// answers there.
static Display *gb_x_open(const char *name) {
	XInitThreads(); // before any other Xlib call, as GLFW does too
	return XOpenDisplay(name);
}

static void gb_x_close(Display *d) { XCloseDisplay(d); }
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// glfwBuilt says that this build has the GLFW context.
const glfwBuilt = true

// glfwState guards GLFW, which is one library state per process: one gl
// backend at a time may hold a GLFW window.
var glfwState struct {
	sync.Mutex
	inUse bool
}

// glfwContext is a hidden 1×1 GLFW window whose context is current on
// the owner thread.
type glfwContext struct {
	win     *glfw.Window
	display string
}

func (c *glfwContext) kind() string { return kindGLFW }

func (c *glfwContext) describe() string {
	return "GLFW hidden window on DISPLAY=" + c.display
}

func (c *glfwContext) procAddr(name string) unsafe.Pointer {
	return glfw.GetProcAddress(name)
}

func (c *glfwContext) release() {
	defer func() { recover() }() // a failing Terminate has nothing left to free
	glfw.DetachCurrentContext()
	c.win.Destroy()
	glfw.Terminate()
	glfwState.Lock()
	glfwState.inUse = false
	glfwState.Unlock()
}

// noDisplayHint says what to do where GLFW has no X display.
const noDisplayHint = "run under xvfb-run -a for a virtual one, or use GPUBENCH_GL=egl, which needs no display"

// holdDisplay opens the X display DISPLAY names, to learn that an X
// server answers there before GLFW tries, or says why it cannot be
// opened. The caller closes it once GLFW has its own connection: an X
// server that has lost its last client resets (Xvfb, as xvfb-run starts
// it, does), and a connection made while it does fails. GLFW here is
// built for X11 (go-gl/glfw's default), so WAYLAND_DISPLAY is no help.
func holdDisplay(display string) (release func(), err error) {
	if display == "" {
		return nil, fmt.Errorf("DISPLAY is unset, and GLFW needs an X display: set it to one, %s", noDisplayHint)
	}
	name := C.CString(display)
	defer C.free(unsafe.Pointer(name))
	d := C.gb_x_open(name)
	if d == nil {
		return nil, fmt.Errorf("cannot open the X display DISPLAY=%s (no X server answers there, or it refused us): start one there, %s", display, noDisplayHint)
	}
	return func() { C.gb_x_close(d) }, nil
}

// newGLFWContext opens a hidden window with an OpenGL core context.
//
// GLFW's Init reports no error where the display cannot be opened (it
// logs one and returns nil) and its next call panics, so the display is
// checked first, and any panic is recovered into an error that names the
// display.
func newGLFWContext(debug bool) (c glContext, err error) {
	display := os.Getenv("DISPLAY")
	release, err := holdDisplay(display)
	if err != nil {
		return nil, err
	}
	defer release()
	glfwState.Lock()
	if glfwState.inUse {
		glfwState.Unlock()
		return nil, errors.New("GLFW is already in use by another gl backend in this process")
	}
	glfwState.inUse = true
	glfwState.Unlock()
	initialised := false
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("GLFW failed on DISPLAY=%s: %v", display, r)
		}
		if err != nil {
			if initialised {
				func() { defer func() { recover() }(); glfw.Terminate() }()
			}
			glfwState.Lock()
			glfwState.inUse = false
			glfwState.Unlock()
		}
	}()
	if err := glfw.Init(); err != nil {
		return nil, fmt.Errorf("glfw.Init: %w", err)
	}
	initialised = true
	glfw.DefaultWindowHints()
	glfw.WindowHint(glfw.Visible, glfw.False)
	glfw.WindowHint(glfw.ClientAPI, glfw.OpenGLAPI)
	// 3.2 core: drivers answer with their highest core version, so that a
	// driver below 4.3 can be named in the error.
	glfw.WindowHint(glfw.ContextVersionMajor, 3)
	glfw.WindowHint(glfw.ContextVersionMinor, 2)
	glfw.WindowHint(glfw.OpenGLProfile, glfw.OpenGLCoreProfile)
	glfw.WindowHint(glfw.OpenGLForwardCompatible, glfw.True)
	if debug {
		glfw.WindowHint(glfw.OpenGLDebugContext, glfw.True)
	}
	// Lost on a GPU reset, so that glGetGraphicsResetStatus reports one;
	// GLFW drops the hint where GLX or EGL lacks the robustness extension.
	glfw.WindowHint(glfw.ContextRobustness, glfw.LoseContextOnReset)
	win, err := glfw.CreateWindow(1, 1, "gpubench", nil, nil)
	if err != nil {
		return nil, fmt.Errorf("glfw.CreateWindow: %w", err)
	}
	win.MakeContextCurrent()
	return &glfwContext{win: win, display: display}, nil
}
