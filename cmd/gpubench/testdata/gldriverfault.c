// A GL driver that fails mid-run, for cmd/gpubench's crash tests: preloaded
// (LD_PRELOAD) into gpubench, it interposes eglGetProcAddress and hands out,
// for glDispatchCompute, a wrapper that fails on the Nth call of the
// process. gpubench reads no variable of it: the library alone does.
//
//   GBFAULT_KIND  segv (a write through a null pointer, as a driver's bug
//                 would make), abort, hang (the call never returns), reset
//                 (from then on glGetGraphicsResetStatus reports a guilty
//                 reset), kill (the process gets SIGKILL in the call, as
//                 from the kernel's OOM killer while the driver allocates),
//                 exit (the driver ends the process with exit(N),
//                 N from GBFAULT_STATUS, 0 unless set, as Xlib's handler
//                 of a lost display does), or count (no fault: the number
//                 of calls so far is written to GBFAULT_COUNT_FILE at each
//                 call)
//   GBFAULT_AT    N, the call that fails (1: the first)
//
// eglGetProcAddress is found with dlsym(RTLD_NEXT, ...), or in an already
// loaded libEGL.so.1 where gpubench opened it with dlopen: the library
// works whether gpubench links libEGL or loads it at run time and looks
// eglGetProcAddress up in the global scope.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef void (*proc_t)(void);
typedef proc_t (*getproc_t)(const char *);
typedef void (*dispatch_t)(unsigned, unsigned, unsigned);
typedef unsigned (*status_t)(void);

static dispatch_t real_dispatch;
static status_t real_status;
static long calls;
static int reset;

static const char *kind(void) {
	const char *k = getenv("GBFAULT_KIND");
	return k ? k : "segv";
}

static long fault_at(void) {
	const char *n = getenv("GBFAULT_AT");
	return n ? atol(n) : 1;
}

static void count(long n) {
	const char *path = getenv("GBFAULT_COUNT_FILE");
	if (!path) return;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) return;
	char buf[32];
	int len = snprintf(buf, sizeof buf, "%ld\n", n);
	write(fd, buf, len);
	close(fd);
}

static void fault_dispatch(unsigned x, unsigned y, unsigned z) {
	long n = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
	const char *k = kind();
	if (!strcmp(k, "count")) {
		count(n);
	} else if (n == fault_at()) {
		if (!strcmp(k, "hang")) {
			for (;;) pause();
		} else if (!strcmp(k, "abort")) {
			abort();
		} else if (!strcmp(k, "kill")) {
			kill(getpid(), SIGKILL);
			for (;;) pause();
		} else if (!strcmp(k, "exit")) {
			const char *st = getenv("GBFAULT_STATUS");
			exit(st ? atoi(st) : 0);
		} else if (!strcmp(k, "reset")) {
			reset = 1;
		} else {
			*(volatile int *)0 = 1;
		}
	}
	real_dispatch(x, y, z);
}

// GL_GUILTY_CONTEXT_RESET once a reset was made; the driver's answer
// before.
static unsigned fault_status(void) {
	if (reset) return 0x8253;
	return real_status ? real_status() : 0;
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
	if (!p || !name) return p;
	if (!strcmp(name, "glDispatchCompute")) {
		real_dispatch = (dispatch_t)p;
		return (proc_t)fault_dispatch;
	}
	if (!strcmp(kind(), "reset") && !strncmp(name, "glGetGraphicsResetStatus", 24)) {
		real_status = (status_t)p;
		return (proc_t)fault_status;
	}
	return p;
}
