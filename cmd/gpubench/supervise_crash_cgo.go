//go:build cgo && linux

package main

/*
#include <signal.h>
#include <string.h>

// gb_die re-raises a fault's signal with its default action, so that
// the process ends by the signal, as a C program would, and its parent
// sees which.
static void gb_die(int sig, siginfo_t *info, void *ctx) {
	(void)info; (void)ctx;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void gb_catch(int sig) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = gb_die;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

// gb_catch_faults runs as the binary loads, before the Go runtime
// starts: the runtime keeps a handler it finds for SIGSEGV, SIGBUS and
// SIGFPE, and passes it those signals where they arise in C code (a
// driver's), handling them itself in Go code (a nil dereference stays a
// panic that the harness recovers).
__attribute__((constructor)) static void gb_catch_faults(void) {
	gb_catch(SIGSEGV);
	gb_catch(SIGBUS);
	gb_catch(SIGFPE);
}

// gb_catch_aborts takes SIGABRT and SIGILL from the Go runtime, which
// would print every goroutine's stack and exit 2: a driver's abort() or
// illegal instruction then ends the process by its signal.
static void gb_catch_aborts(void) {
	gb_catch(SIGABRT);
	gb_catch(SIGILL);
}
*/
import "C"

// crashCatcher says that this build can open gl, and ends a supervised
// child by the signal of a fault in C code.
const crashCatcher = true

// quietCrashes makes a fault in this process's C code, a GPU driver's,
// end it by its signal, without the Go runtime's report and stack trace:
// SIGSEGV, SIGBUS and SIGFPE from the start (gb_catch_faults), SIGABRT
// and SIGILL once called. The supervisor says what happened.
func quietCrashes() { C.gb_catch_aborts() }
