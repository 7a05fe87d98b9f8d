//go:build cgo

package gl

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// glfwState guards GLFW, which is one library state per process: one gl
// backend at a time may hold a GLFW window.
var glfwState struct {
	sync.Mutex
	inUse bool
}

// glfwContext is a hidden 1×1 GLFW window whose context is current on
// the owner thread.
type glfwContext struct {
	win *glfw.Window
}

func (c *glfwContext) kind() string { return kindGLFW }

func (c *glfwContext) describe() string {
	if d := os.Getenv("DISPLAY"); d != "" {
		return "GLFW hidden window on DISPLAY=" + d
	}
	return "GLFW hidden window on WAYLAND_DISPLAY=" + os.Getenv("WAYLAND_DISPLAY")
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

// newGLFWContext opens a hidden window with an OpenGL core context.
//
// GLFW's Init reports no error where there is no display (it logs one and
// returns nil) and its next call panics, so the display is checked first
// and any panic is recovered into an error.
func newGLFWContext(debug bool) (c glContext, err error) {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return nil, errors.New("skipped: neither DISPLAY nor WAYLAND_DISPLAY is set (run under xvfb-run -a for a virtual display)")
	}
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
			err = fmt.Errorf("GLFW panicked: %v", r)
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
	return &glfwContext{win: win}, nil
}
