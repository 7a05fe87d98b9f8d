//go:build cgo && linux

package main

/*
#include <signal.h>
#include <string.h>
#include <unistd.h>

// gb_quiet is set in a supervised child, whose supervisor says what
// happened.
static volatile sig_atomic_t gb_quiet;

// gb_say writes s on standard error (async-signal-safe).
static void gb_say(const char *s) {
	ssize_t r = write(2, s, strlen(s));
	(void)r;
}

// gb_die says which fault ended the process, where no supervisor will,
// and re-raises its signal with the default action, so that the process
// ends by the signal, as a C program would, and its parent sees which.
static void gb_die(int sig, siginfo_t *info, void *ctx) {
	(void)info; (void)ctx;
	if (!gb_quiet) {
		gb_say("gpubench: ");
		switch (sig) {
		case SIGSEGV: gb_say("SIGSEGV"); break;
		case SIGBUS: gb_say("SIGBUS"); break;
		case SIGFPE: gb_say("SIGFPE"); break;
		case SIGABRT: gb_say("SIGABRT"); break;
		case SIGILL: gb_say("SIGILL"); break;
		}
		gb_say(" in C code (a driver's fault, or a library's): the process ends\n");
	}
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
// illegal instruction then ends the process by its signal. It is called
// in a supervised child only, which says nothing of its own.
static void gb_catch_aborts(void) {
	gb_quiet = 1;
	gb_catch(SIGABRT);
	gb_catch(SIGILL);
}
*/
import "C"

// crashCatcher says that this build can open gl, and ends a supervised
// child by the signal of a fault in C code.
const crashCatcher = true

// quietCrashes makes a fault in this supervised child's C code, a GPU
// driver's, end it by its signal, without a word (its supervisor says
// what happened) and without the Go runtime's report and stack trace:
// SIGSEGV, SIGBUS and SIGFPE from the start (gb_catch_faults, which in
// any other process says which fault ended it), SIGABRT and SIGILL once
// called.
func quietCrashes() { C.gb_catch_aborts() }
