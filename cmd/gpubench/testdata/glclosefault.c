// A GL driver that crashes as gpubench closes it, for cmd/gpubench's
// TestGLDriverCrashWhileClosing: preloaded (LD_PRELOAD) into gpubench, it
// interposes eglGetProcAddress and hands out, for glDeleteProgram (which
// gl's backend calls as it closes, after its cases), a wrapper that
// writes through a null pointer, as a driver's bug would. gpubench reads
// no variable of it: the library alone does.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>

typedef void (*proc_t)(void);
typedef proc_t (*getproc_t)(const char *);

static void fault_delete(unsigned id) {
	(void)id;
	*(volatile int *)0 = 1;
}

static getproc_t next_getproc(void) {
	getproc_t g = (getproc_t)dlsym(RTLD_NEXT, "eglGetProcAddress");
	if (!g) {
		void *h = dlopen("libEGL.so.1", RTLD_LAZY | RTLD_NOLOAD);
		if (h) g = (getproc_t)dlsym(h, "eglGetProcAddress");
	}
	return g;
}

proc_t eglGetProcAddress(const char *name) {
	getproc_t g = next_getproc();
	proc_t p = g ? g(name) : NULL;
	if (p && name && !strcmp(name, "glDeleteProgram")) {
		return (proc_t)fault_delete;
	}
	return p;
}
