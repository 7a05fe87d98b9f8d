//go:build cgo

package gl

/*
#include <stdlib.h>
#include "dl_egl.h"

#ifndef EGL_CONTEXT_OPENGL_DEBUG_BIT_KHR
#define EGL_CONTEXT_OPENGL_DEBUG_BIT_KHR 0x0001
#endif

static const char *gb_client_extensions(void) {
	return gb_egl.QueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
}

// gb_query_devices lists up to max EGL devices; -1 when the driver has
// no eglQueryDevicesEXT.
static int gb_query_devices(EGLDeviceEXT *out, int max) {
	PFNEGLQUERYDEVICESEXTPROC q = (PFNEGLQUERYDEVICESEXTPROC)gb_egl.GetProcAddress("eglQueryDevicesEXT");
	if (!q) return -1;
	EGLint n = 0;
	if (!q(max, out, &n)) return -1;
	return n;
}

static const char *gb_device_string(EGLDeviceEXT dev, EGLint name) {
	PFNEGLQUERYDEVICESTRINGEXTPROC q = (PFNEGLQUERYDEVICESTRINGEXTPROC)gb_egl.GetProcAddress("eglQueryDeviceStringEXT");
	if (!q) return NULL;
	return q(dev, name);
}

static EGLDisplay gb_platform_display(EGLenum platform, void *native) {
	PFNEGLGETPLATFORMDISPLAYEXTPROC g = (PFNEGLGETPLATFORMDISPLAYEXTPROC)gb_egl.GetProcAddress("eglGetPlatformDisplayEXT");
	if (!g) return EGL_NO_DISPLAY;
	return g(platform, native, NULL);
}

// gb_initialize initialises dpy; it reports the version in *major.minor.
static int gb_initialize(EGLDisplay dpy, EGLint *major, EGLint *minor) {
	return gb_egl.Initialize(dpy, major, minor) ? 1 : 0;
}

static const char *gb_display_extensions(EGLDisplay dpy) {
	return gb_egl.QueryString(dpy, EGL_EXTENSIONS);
}

// gb_create_context makes an OpenGL core context of at least major.minor
// (0.0: whatever the driver offers) on dpy and makes it current without a
// surface; robust asks for a context that is lost on a GPU reset, so that
// glGetGraphicsResetStatus reports one. It returns the context or
// EGL_NO_CONTEXT with *stage naming the call that failed.
static EGLContext gb_create_context(EGLDisplay dpy, int noConfig, int major, int minor, int debug, int robust, const char **stage) {
	EGLConfig cfg = EGL_NO_CONFIG_KHR;
	if (!gb_egl.BindAPI(EGL_OPENGL_API)) { *stage = "eglBindAPI(EGL_OPENGL_API)"; return EGL_NO_CONTEXT; }
	if (!noConfig) {
		EGLint want[] = { EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE };
		EGLint n = 0;
		if (!gb_egl.ChooseConfig(dpy, want, &cfg, 1, &n) || n < 1) { *stage = "eglChooseConfig(EGL_OPENGL_BIT)"; return EGL_NO_CONTEXT; }
	}
	EGLint attr[16];
	int i = 0;
	if (major > 0) {
		attr[i++] = EGL_CONTEXT_MAJOR_VERSION_KHR; attr[i++] = major;
		attr[i++] = EGL_CONTEXT_MINOR_VERSION_KHR; attr[i++] = minor;
		attr[i++] = EGL_CONTEXT_OPENGL_PROFILE_MASK_KHR; attr[i++] = EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT_KHR;
	}
	if (debug) { attr[i++] = EGL_CONTEXT_FLAGS_KHR; attr[i++] = EGL_CONTEXT_OPENGL_DEBUG_BIT_KHR; }
	if (robust) { attr[i++] = EGL_CONTEXT_OPENGL_RESET_NOTIFICATION_STRATEGY_KHR; attr[i++] = EGL_LOSE_CONTEXT_ON_RESET_KHR; }
	attr[i++] = EGL_NONE;
	EGLContext ctx = gb_egl.CreateContext(dpy, cfg, EGL_NO_CONTEXT, attr);
	if (ctx == EGL_NO_CONTEXT) { *stage = "eglCreateContext"; return EGL_NO_CONTEXT; }
	if (!gb_egl.MakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
		*stage = "eglMakeCurrent(no surface)";
		EGLint e = gb_egl.GetError();
		gb_egl.DestroyContext(dpy, ctx);
		// Keep the first error for the caller.
		(void)e;
		return EGL_NO_CONTEXT;
	}
	return ctx;
}

static void gb_destroy_context(EGLDisplay dpy, EGLContext ctx) {
	gb_egl.MakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	gb_egl.DestroyContext(dpy, ctx);
}

static void *gb_proc(const char *name) { return (void *)gb_egl.GetProcAddress(name); }

static EGLint gb_error(void) { return gb_egl.GetError(); }
static void gb_terminate(EGLDisplay dpy) { gb_egl.Terminate(dpy); }
static void gb_release_thread(void) { gb_egl.ReleaseThread(); }
*/
import "C"

import (
	"fmt"
	"strings"
	"sync"
	"unsafe"
)

// eglError is stage's failure, named by eglGetError's code.
func eglError(stage string) error {
	code := C.gb_error()
	name := nameOf(uint32(code), fmt.Sprintf("0x%x", int(code)),
		named{0x3000, "EGL_SUCCESS"}, named{0x3001, "EGL_NOT_INITIALIZED"}, named{0x3002, "EGL_BAD_ACCESS"},
		named{0x3003, "EGL_BAD_ALLOC"}, named{0x3004, "EGL_BAD_ATTRIBUTE"}, named{0x3005, "EGL_BAD_CONFIG"},
		named{0x3006, "EGL_BAD_CONTEXT"}, named{0x3007, "EGL_BAD_CURRENT_SURFACE"}, named{0x3008, "EGL_BAD_DISPLAY"},
		named{0x3009, "EGL_BAD_MATCH"}, named{0x300A, "EGL_BAD_NATIVE_PIXMAP"}, named{0x300B, "EGL_BAD_NATIVE_WINDOW"},
		named{0x300C, "EGL_BAD_PARAMETER"}, named{0x300D, "EGL_BAD_SURFACE"}, named{0x300E, "EGL_CONTEXT_LOST"})
	return fmt.Errorf("%s failed: %s", stage, name)
}

// hasExtension reports whether the space-separated list holds name as a
// whole word (EGL_EXT_device_base must not match EGL_EXT_device_base_x).
func hasExtension(list, name string) bool {
	for _, e := range strings.Fields(list) {
		if e == name {
			return true
		}
	}
	return false
}

func goString(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// eglDevice is one device eglQueryDevicesEXT lists.
type eglDevice struct {
	handle     C.EGLDeviceEXT
	info       DeviceInfo
	extensions string
}

// maxEGLDevices bounds the device list; machines have a handful.
const maxEGLDevices = 32

// queryEGLDevices lists the EGL devices, or says why it cannot.
func queryEGLDevices() ([]eglDevice, error) {
	if err := loadEGL(); err != nil {
		return nil, err
	}
	client := goString(C.gb_client_extensions())
	if client == "" {
		return nil, fmt.Errorf("EGL has no client extensions (libEGL too old or missing)")
	}
	if !hasExtension(client, "EGL_EXT_device_enumeration") && !hasExtension(client, "EGL_EXT_device_base") {
		return nil, fmt.Errorf("EGL lacks EGL_EXT_device_enumeration")
	}
	var handles [maxEGLDevices]C.EGLDeviceEXT
	n := int(C.gb_query_devices(&handles[0], maxEGLDevices))
	if n < 0 {
		return nil, eglError("eglQueryDevicesEXT")
	}
	devs := make([]eglDevice, n)
	for i := range devs {
		h := handles[i]
		ext := goString(C.gb_device_string(h, C.EGL_EXTENSIONS))
		d := eglDevice{handle: h, extensions: ext}
		d.info.Index = i
		d.info.Extensions = strings.Fields(ext)
		if hasExtension(ext, "EGL_EXT_device_drm") {
			d.info.DRMNode = goString(C.gb_device_string(h, C.EGL_DRM_DEVICE_FILE_EXT))
		}
		if hasExtension(ext, "EGL_EXT_device_drm_render_node") {
			d.info.RenderNode = goString(C.gb_device_string(h, C.EGL_DRM_RENDER_NODE_FILE_EXT))
		}
		if hasExtension(ext, "EGL_EXT_device_query_name") {
			d.info.Vendor = goString(C.gb_device_string(h, C.EGL_VENDOR))
			d.info.Renderer = goString(C.gb_device_string(h, C.EGL_RENDERER_EXT))
		}
		d.info.CUDA = hasExtension(ext, "EGL_NV_device_cuda")
		d.info.Hardware = d.info.CUDA || hasExtension(ext, "EGL_EXT_device_drm")
		d.info.Software = hasExtension(ext, "EGL_MESA_device_software")
		devs[i] = d
	}
	return devs, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// eglDisplays counts the users of each initialised EGLDisplay: EGL hands
// out one display per platform and device, and eglTerminate would pull it
// from under a second backend, so only the last user terminates it.
var eglDisplays = struct {
	sync.Mutex
	users map[C.EGLDisplay]int
}{users: map[C.EGLDisplay]int{}}

// eglContext is a context made through EGL, current on the owner thread.
type eglContext struct {
	kindName string
	desc     string
	dpy      C.EGLDisplay
	ctx      C.EGLContext
}

func (c *eglContext) kind() string     { return c.kindName }
func (c *eglContext) describe() string { return c.desc }

func (c *eglContext) procAddr(name string) unsafe.Pointer {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return C.gb_proc(cs)
}

func (c *eglContext) release() {
	C.gb_destroy_context(c.dpy, c.ctx)
	eglDisplays.Lock()
	eglDisplays.users[c.dpy]--
	last := eglDisplays.users[c.dpy] <= 0
	if last {
		delete(eglDisplays.users, c.dpy)
		C.gb_terminate(c.dpy)
	}
	eglDisplays.Unlock()
	C.gb_release_thread()
}

// newEGLContext makes a context on the display of platform and native
// and makes it current on the calling thread. It asks for 4.3 core first;
// where the driver refuses, it takes what the driver offers so that the
// caller can name the version in its error.
func newEGLContext(kind, desc string, platform C.EGLenum, native unsafe.Pointer, debug bool) (*eglContext, error) {
	client := goString(C.gb_client_extensions())
	if !hasExtension(client, "EGL_EXT_platform_base") {
		return nil, fmt.Errorf("EGL lacks EGL_EXT_platform_base")
	}
	dpy := C.gb_platform_display(platform, native)
	if dpy == C.EGLDisplay(C.EGL_NO_DISPLAY) {
		return nil, eglError("eglGetPlatformDisplayEXT")
	}
	eglDisplays.Lock()
	defer eglDisplays.Unlock()
	var major, minor C.EGLint
	if C.gb_initialize(dpy, &major, &minor) == 0 {
		return nil, eglError("eglInitialize")
	}
	fail := func(err error) (*eglContext, error) {
		if eglDisplays.users[dpy] == 0 {
			C.gb_terminate(dpy)
		}
		return nil, err
	}
	ext := goString(C.gb_display_extensions(dpy))
	if !hasExtension(ext, "EGL_KHR_create_context") {
		return fail(fmt.Errorf("EGL %d.%d display lacks EGL_KHR_create_context", major, minor))
	}
	if !hasExtension(ext, "EGL_KHR_surfaceless_context") {
		return fail(fmt.Errorf("EGL %d.%d display lacks EGL_KHR_surfaceless_context", major, minor))
	}
	noConfig := C.int(b2i(hasExtension(ext, "EGL_KHR_no_config_context") || hasExtension(ext, "EGL_MESA_configless_context")))
	var stage *C.char
	var ctx C.EGLContext
	var firstErr error
	// 4.3 core; else 3.2 core, which drivers answer with their highest
	// core version; else whatever they offer. Each with reset
	// notification first where the display offers it (a driver may still
	// refuse it for some versions), then without.
	robust := []int{0}
	if hasExtension(ext, "EGL_EXT_create_context_robustness") {
		robust = []int{1, 0}
	}
versions:
	for _, v := range [][2]int{{4, 3}, {3, 2}, {0, 0}} {
		for _, r := range robust {
			ctx = C.gb_create_context(dpy, noConfig, C.int(v[0]), C.int(v[1]), C.int(b2i(debug)), C.int(r), &stage)
			if ctx != C.EGLContext(C.EGL_NO_CONTEXT) {
				break versions
			}
			if firstErr == nil && r == 0 {
				firstErr = eglError(goString(stage))
			}
		}
	}
	if ctx == C.EGLContext(C.EGL_NO_CONTEXT) {
		return fail(firstErr)
	}
	eglDisplays.users[dpy]++
	return &eglContext{kindName: kind, desc: desc, dpy: dpy, ctx: ctx}, nil
}

// newEGLDeviceContext makes a context on EGL device d.
func newEGLDeviceContext(d eglDevice, debug bool) (*eglContext, error) {
	if err := loadEGL(); err != nil {
		return nil, err
	}
	if !hasExtension(goString(C.gb_client_extensions()), "EGL_EXT_platform_device") {
		return nil, fmt.Errorf("EGL lacks EGL_EXT_platform_device")
	}
	return newEGLContext(kindEGLDevice, d.info.String(), C.EGL_PLATFORM_DEVICE_EXT, unsafe.Pointer(d.handle), debug)
}

// newEGLSurfacelessContext makes a context on Mesa's surfaceless platform:
// a GPU's render node where Mesa drives one, llvmpipe otherwise.
func newEGLSurfacelessContext(debug bool) (*eglContext, error) {
	if err := loadEGL(); err != nil {
		return nil, err
	}
	if !hasExtension(goString(C.gb_client_extensions()), "EGL_MESA_platform_surfaceless") {
		return nil, fmt.Errorf("EGL lacks EGL_MESA_platform_surfaceless (not a Mesa driver)")
	}
	return newEGLContext(kindEGLSurfaceless, "Mesa surfaceless", C.EGL_PLATFORM_SURFACELESS_MESA, nil, debug)
}
