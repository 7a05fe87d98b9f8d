// The EGL functions the gl backend calls, as pointers filled by
// gb_egl_load (dl_egl.go) from a libEGL opened at run time. The headers
// give the types only: with EGL_EGL_PROTOTYPES 0 a direct call to an egl*
// function does not compile, so no object file can ask the linker for
// libEGL.

#ifndef GPUBENCH_DL_EGL_H
#define GPUBENCH_DL_EGL_H

#define EGL_EGL_PROTOTYPES 0
#include <EGL/egl.h>
#include <EGL/eglext.h>

// GB_LIBEGL is the library's name as its packages install it (the
// runtime package: libegl1 on Debian, libglvnd elsewhere).
#define GB_LIBEGL "libEGL.so.1"

typedef struct {
	PFNEGLGETPROCADDRESSPROC GetProcAddress;
	PFNEGLQUERYSTRINGPROC QueryString;
	PFNEGLGETERRORPROC GetError;
	PFNEGLINITIALIZEPROC Initialize;
	PFNEGLTERMINATEPROC Terminate;
	PFNEGLBINDAPIPROC BindAPI;
	PFNEGLCHOOSECONFIGPROC ChooseConfig;
	PFNEGLCREATECONTEXTPROC CreateContext;
	PFNEGLDESTROYCONTEXTPROC DestroyContext;
	PFNEGLMAKECURRENTPROC MakeCurrent;
	PFNEGLRELEASETHREADPROC ReleaseThread;
} gb_egl_fns;

// gb_egl is the one table of the process; its pointers are null until
// gb_egl_load succeeds.
extern gb_egl_fns gb_egl;

#endif
