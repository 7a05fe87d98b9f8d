//go:build cgo

package gl

// The binary links no GL library, so that it starts on a machine without
// one and runs every other backend there: libEGL is opened at run time
// (loadEGL) and every GL entry point comes from its eglGetProcAddress.
//
// Two things would otherwise record GL libraries as needed at load time:
//   - our own EGL calls: they go through the table gb_egl, filled with
//     dlsym after dlopen (dl_egl.h makes a direct call fail to compile);
//   - go-gl/gl, whose procaddr.go calls glXGetProcAddress and asks
//     pkg-config for gl (-lGL). Its loader is never used here (loadGL
//     passes ours to gl.InitWithProcAddrFunc), but the C reference stays
//     in the link. glXGetProcAddress below satisfies it, hidden so that
//     it is not exported and never stands in for libGL's own where a
//     library such as GLFW's GLX code loads libGL; with nothing left for
//     libGL to provide, --as-needed (which must come before -lGL: our
//     package's flags precede those of the packages it imports on the
//     link line) keeps it out of DT_NEEDED. Many toolchains (Debian's and
//     Ubuntu's gcc) pass --as-needed already; the flag makes it so with
//     any.
// cmd/gpubench's TestNoGLLibrariesNeeded reads the built binary's
// DT_NEEDED to keep it so.

/*
#cgo linux freebsd netbsd openbsd LDFLAGS: -Wl,--as-needed
#cgo linux LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdio.h>
#include "dl_egl.h"

__attribute__((visibility("hidden"))) gb_egl_fns gb_egl;

// gb_egl_load opens libEGL and fills gb_egl. Each function is looked up
// by name in the whole process (RTLD_DEFAULT), so that a library loaded
// before libEGL (LD_PRELOAD) that defines it is the one called, as it
// would be for a program linked against libEGL. It returns 1, or 0 with
// the reason in err.
static int gb_egl_load(char *err, size_t n) {
	if (!dlopen(GB_LIBEGL, RTLD_NOW | RTLD_GLOBAL)) {
		const char *e = dlerror();
		snprintf(err, n, "%s", e ? e : "dlopen failed without a reason");
		return 0;
	}
#define GB_SYM(field) \
	gb_egl.field = (__typeof__(gb_egl.field))dlsym(RTLD_DEFAULT, "egl" #field); \
	if (!gb_egl.field) { snprintf(err, n, "%s has no egl%s", GB_LIBEGL, #field); return 0; }
	GB_SYM(GetProcAddress)
	GB_SYM(QueryString)
	GB_SYM(GetError)
	GB_SYM(Initialize)
	GB_SYM(Terminate)
	GB_SYM(BindAPI)
	GB_SYM(ChooseConfig)
	GB_SYM(CreateContext)
	GB_SYM(DestroyContext)
	GB_SYM(MakeCurrent)
	GB_SYM(ReleaseThread)
#undef GB_SYM
	return 1;
}

// glXGetProcAddress stands in for libGL's in go-gl/gl's unused default
// loader (see the Go comment above): it asks EGL, or finds nothing
// before EGL is loaded.
__attribute__((visibility("hidden"))) void (*glXGetProcAddress(const unsigned char *name))(void) {
	return gb_egl.GetProcAddress ? gb_egl.GetProcAddress((const char *)name) : NULL;
}
*/
import "C"

import (
	"fmt"
	"sync"
)

// libEGL names the library loadEGL opens.
const libEGL = C.GB_LIBEGL

// loadEGL opens libEGL once per process and finds the functions the
// backend calls; its error names the library, says why (dlerror's text)
// and what to install.
var loadEGL = sync.OnceValue(func() error {
	var buf [512]C.char
	if C.gb_egl_load(&buf[0], C.size_t(len(buf))) == 0 {
		return fmt.Errorf("cannot load %s (%s): install it and a driver (Debian: libegl1 libegl-mesa0; NVIDIA: its EGL driver)",
			libEGL, C.GoString(&buf[0]))
	}
	return nil
})
