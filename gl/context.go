//go:build cgo

package gl

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
)

// The kinds of context, in the order they are tried; Device.Level and
// compute.GPU.Context report them.
const (
	kindEGLDevice      = "egl-device"
	kindEGLSurfaceless = "egl-surfaceless"
	kindGLFW           = "glfw"
)

// minMajor.minMinor is the first OpenGL with compute shaders.
const minMajor, minMinor = 4, 3

// glContext is an OpenGL context current on the owner thread.
type glContext interface {
	// kind is one of the kind constants.
	kind() string
	// describe says which device or window the context runs on.
	describe() string
	// procAddr finds a GL entry point, for gl.InitWithProcAddrFunc.
	procAddr(name string) unsafe.Pointer
	// release destroys the context; called on the owner thread.
	release()
}

// contextOptions say how to make the context.
type contextOptions struct {
	// force is "" (try every way in order) or one of EnvContext's values.
	force string
	// device is an index into Devices(), or -1 for the backend's choice.
	device int
	debug  bool
}

// optionsFromEnv reads EnvContext and EnvDebug.
func optionsFromEnv(device int) (contextOptions, error) {
	o := contextOptions{force: strings.TrimSpace(os.Getenv(EnvContext)), device: device, debug: os.Getenv(EnvDebug) == "1"}
	switch o.force {
	case "", "egl", kindEGLDevice, kindEGLSurfaceless, kindGLFW, "none":
	default:
		return o, fmt.Errorf("%w: %s=%q: use egl, egl-device, egl-surfaceless, glfw or none", compute.ErrUsage, EnvContext, o.force)
	}
	if device >= 0 && o.force != "" && o.force != "egl" && o.force != kindEGLDevice {
		return o, fmt.Errorf("%w: a device index (%d) picks an EGL device, but %s=%s", compute.ErrUsage, device, EnvContext, o.force)
	}
	return o, nil
}

// attempt is the outcome of one way of making a context.
type attempt struct {
	kind string
	err  error
}

// versionError says the driver's OpenGL is older than 4.3.
type versionError struct {
	major, minor int
	renderer     string
}

func (e *versionError) Error() string {
	return fmt.Sprintf("needs OpenGL %d.%d for compute shaders, driver offers %d.%d (%s)", minMajor, minMinor, e.major, e.minor, e.renderer)
}

// glInitMu serialises gl.InitWithProcAddrFunc, which sets the package's
// global entry points.
var glInitMu sync.Mutex

// loadGL checks the current context's version and loads the entry
// points from it.
func loadGL(c glContext) error {
	major, minor, renderer, err := contextVersion(c.procAddr)
	if err != nil {
		return err
	}
	if major < minMajor || major == minMajor && minor < minMinor {
		return &versionError{major, minor, renderer}
	}
	if missing := missingEntryPoints(c.procAddr); len(missing) > 0 {
		return fmt.Errorf("OpenGL %d.%d (%s) lacks the entry points %s", major, minor, renderer, strings.Join(missing, ", "))
	}
	glInitMu.Lock()
	defer glInitMu.Unlock()
	if err := gl.InitWithProcAddrFunc(c.procAddr); err != nil {
		// The 4.3 core loader wants every 4.3 function; a 4.3 driver
		// missing one is broken.
		return fmt.Errorf("OpenGL %d.%d (%s) lacks the entry point %v", major, minor, renderer, err)
	}
	return nil
}

// makeContext makes a context current on the calling thread, trying each
// way in order, and returns it with GL loaded; or an error wrapping
// compute.ErrUnavailable that names every attempt and why it failed.
func makeContext(o contextOptions) (glContext, error) {
	if o.force == "none" {
		return nil, fmt.Errorf("%w: %s=none", compute.ErrUnavailable, EnvContext)
	}
	var tried []attempt
	try := func(kind string, mk func() (glContext, error)) glContext {
		c, err := tryContext(mk)
		if err != nil {
			tried = append(tried, attempt{kind, err})
		}
		return c
	}
	want := func(kind string) bool {
		switch o.force {
		case "":
			return true
		case "egl":
			return kind == kindEGLDevice || kind == kindEGLSurfaceless
		}
		return o.force == kind
	}
	// Both EGL ways need libEGL, loaded at run time: where it cannot be,
	// that is said once, as the one reason for both.
	eglLoaded := true
	if want(kindEGLDevice) || want(kindEGLSurfaceless) {
		if err := loadEGL(); err != nil {
			tried = append(tried, attempt{"egl", err})
			eglLoaded = false
		}
	}
	if !eglLoaded && o.device >= 0 {
		return nil, contextError(tried)
	}
	if eglLoaded && want(kindEGLDevice) {
		if c := tryEGLDevices(o, try); c != nil {
			return c, nil
		}
		if o.device >= 0 {
			return nil, contextError(tried)
		}
	}
	if eglLoaded && want(kindEGLSurfaceless) {
		if c := try(kindEGLSurfaceless, func() (glContext, error) { return newEGLSurfacelessContext(o.debug) }); c != nil {
			return c, nil
		}
	}
	// A build without GLFW (no glfw tag) tries it only when asked for by
	// name, to say so.
	if want(kindGLFW) && (glfwBuilt || o.force == kindGLFW) {
		if c := try(kindGLFW, func() (glContext, error) { return newGLFWContext(o.debug) }); c != nil {
			return c, nil
		}
	}
	return nil, contextError(tried)
}

// tryContext makes a context with mk and loads GL from it. It returns
// nil (an interface that is nil, never one holding a nil pointer) with
// the error where either fails: a maker's (*eglContext)(nil) would
// otherwise pass for a context and its first GL call would jump to
// address 0.
func tryContext(mk func() (glContext, error)) (glContext, error) {
	c, err := mk()
	if err != nil {
		return nil, err
	}
	if err := loadGL(c); err != nil {
		c.release()
		return nil, err
	}
	return c, nil
}

// tryEGLDevices makes a context on EGL device o.device, or on the first
// hardware device that works.
func tryEGLDevices(o contextOptions, try func(string, func() (glContext, error)) glContext) glContext {
	devs, err := queryEGLDevices()
	if err != nil {
		try(kindEGLDevice, func() (glContext, error) { return nil, err })
		return nil
	}
	if o.device >= 0 {
		if o.device >= len(devs) {
			try(kindEGLDevice, func() (glContext, error) {
				return nil, fmt.Errorf("device %d asked for, but EGL lists %d", o.device, len(devs))
			})
			return nil
		}
		d := devs[o.device]
		return try(kindEGLDevice, func() (glContext, error) { return newEGLDeviceContext(d, o.debug) })
	}
	hw := 0
	for _, d := range devs {
		if !d.info.Hardware {
			continue
		}
		hw++
		if c := try(kindEGLDevice, func() (glContext, error) { return newEGLDeviceContext(d, o.debug) }); c != nil {
			return c
		}
	}
	if hw == 0 {
		try(kindEGLDevice, func() (glContext, error) {
			return nil, fmt.Errorf("no hardware EGL device among %d listed", len(devs))
		})
	}
	return nil
}

// contextError joins the attempts into one error. A driver too old for
// compute shaders is the headline where one was found: that is what the
// user has to fix.
func contextError(tried []attempt) error {
	var parts []string
	var vErr *versionError
	for _, a := range tried {
		parts = append(parts, a.kind+": "+a.err.Error())
		var v *versionError
		if vErr == nil && errors.As(a.err, &v) {
			vErr = v
		}
	}
	if vErr != nil {
		return fmt.Errorf("%w: %w; tried %s", compute.ErrUnavailable, vErr, strings.Join(parts, "; "))
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing")
	}
	return fmt.Errorf("%w: no OpenGL %d.%d context: tried %s", compute.ErrUnavailable, minMajor, minMinor, strings.Join(parts, "; "))
}
