//go:build linux && cgo

package main

/*
#include <malloc.h>
#include <sys/resource.h>

// gpubenchOneArena runs as the program loads, before the Go runtime
// starts a thread. Under RLIMIT_AS (ulimit -v) it keeps glibc's malloc
// to one arena: each thread that calls malloc (the Go runtime's cgo
// threads, a GL driver's) otherwise maps an arena of its own, 64 MiB of
// address space each, until a thread's stack no longer fits and
// pthread_create fails, at random. Without the limit nothing changes.
static void __attribute__((constructor)) gpubenchOneArena(void) {
#ifdef M_ARENA_MAX
	struct rlimit r;
	if (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY) {
		mallopt(M_ARENA_MAX, 1);
	}
#endif
}
*/
import "C"
