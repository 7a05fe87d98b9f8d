//go:build openblas && cgo && linux && amd64

package openblas

// OpenBLAS chooses its kernels (its "core") in its library constructor,
// from OPENBLAS_CORETYPE if set, else from CPUID. Two ways it can run a
// core without AVX-512 on an AVX-512 machine, where its gemm then runs at
// a fraction of its speed (measurements:
// docs/methodology.md#why-these-constants):
//
//   - An OPENBLAS_CORETYPE=Haswell left in a machine's environment. The
//     variable must say an AVX-512 core before that constructor runs, and
//     nothing written in Go or in an ordinary cgo constructor runs that
//     early: the dynamic loader runs a library's constructors before the
//     program's. The one hook that runs before them is the program's
//     .preinit_array (the ELF rule that sanitizers use too). There libc's
//     getenv and setenv are not ready yet (setenv's change is lost when
//     libc sets its environment up), but the loader passes the process's
//     environment array itself, the one libc, OpenBLAS and Go all read
//     later: the preinit function below replaces the entry
//     OPENBLAS_CORETYPE=<not AVX-512> in it with OPENBLAS_CORETYPE=SkylakeX
//     where the CPU and OS run AVX-512. An unset variable cannot be added
//     there: libc copies no new entry from the array.
//   - The variable unset and a CPU model OpenBLAS does not know: 0.3.21
//     (Debian 12) runs Prescott's SSE3 kernels on an Emerald Rapids Xeon.
//     The program's constructor below, which runs after OpenBLAS's and
//     before Go starts or calls anything, asks a DYNAMIC_ARCH build to
//     choose again: gotoblas_dynamic_quit forgets the core and
//     gotoblas_dynamic_init reads OPENBLAS_CORETYPE=SkylakeX, set for that
//     call and unset after it. Every other choice OpenBLAS makes at load
//     (its buffer size, a build constant; its threads; the environment it
//     read) does not depend on the core, and the kernels and their
//     parameters are read through the core's table at each call, so the
//     library then runs as it would had it chosen SkylakeX itself. A build
//     without DYNAMIC_ARCH has no such functions (looked up with dlsym, so
//     it still links) and keeps its one core.
//
// The backend reports the core it runs and how it was chosen.

/*
#cgo LDFLAGS: -ldl
#define _GNU_SOURCE
#include <cblas.h>
#include <cpuid.h>
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

// gpubench_coretype_was is the OPENBLAS_CORETYPE the environment gave,
// NULL where none, and gpubench_coretype_replaced is 1 where preinit
// replaced it.
static const char *gpubench_coretype_was;
static int gpubench_coretype_replaced;

static const char gpubench_coretype_name[] = "OPENBLAS_CORETYPE=";
static char gpubench_coretype_skylakex[] = "OPENBLAS_CORETYPE=SkylakeX";

// gpubench_avx512 reports whether the CPU has AVX-512 F, CD, DQ, BW and
// VL (what OpenBLAS's SkylakeX kernels use) and the OS saves the opmask
// and zmm state (XCR0 bits 1, 2, 5, 6, 7).
static int gpubench_avx512(void) {
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) // OSXSAVE
		return 0;
	unsigned lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & 0xe6) != 0xe6)
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	unsigned need = (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31);
	return (b & need) == need;
}

// gpubench_avx512_core reports whether OpenBLAS's core name is one of its
// AVX-512 cores.
static int gpubench_avx512_core(const char *name) {
	return !strcasecmp(name, "SkylakeX") || !strcasecmp(name, "Cooperlake") || !strcasecmp(name, "SapphireRapids");
}

static void gpubench_openblas_preinit(int argc, char **argv, char **envp) {
	(void)argc;
	(void)argv;
	size_t n = sizeof gpubench_coretype_name - 1;
	for (char **e = envp; e && *e; e++) {
		if (strncmp(*e, gpubench_coretype_name, n) != 0)
			continue;
		gpubench_coretype_was = *e + n;
		if (!gpubench_avx512_core(*e + n) && gpubench_avx512()) {
			*e = gpubench_coretype_skylakex;
			gpubench_coretype_replaced = 1;
		}
		return;
	}
}

__attribute__((section(".preinit_array"), used))
static void (*gpubench_openblas_preinit_entry)(int, char **, char **) = gpubench_openblas_preinit;

// gpubench_core_chose is the core OpenBLAS chose by itself where the
// constructor below made it choose again, and gpubench_core_forced is 1
// where it did.
static char gpubench_core_chose[32];
static int gpubench_core_forced;

__attribute__((constructor))
static void gpubench_openblas_force(void) {
	if (getenv("OPENBLAS_CORETYPE") || !gpubench_avx512())
		return;
	const char *chose = openblas_get_corename();
	if (gpubench_avx512_core(chose))
		return;
	void (*quit)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
	void (*init)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
	if (!quit || !init)
		return;
	snprintf(gpubench_core_chose, sizeof gpubench_core_chose, "%s", chose);
	if (setenv("OPENBLAS_CORETYPE", "SkylakeX", 1) != 0)
		return;
	quit();
	init();
	unsetenv("OPENBLAS_CORETYPE");
	gpubench_core_forced = 1;
}

static const char *gpubench_coretype_env(void) { return gpubench_coretype_was; }
static int gpubench_coretype_changed(void) { return gpubench_coretype_replaced; }
static const char *gpubench_core_chosen(void) { return gpubench_core_forced ? gpubench_core_chose : NULL; }
*/
import "C"

// CoretypeEnv says what OPENBLAS_CORETYPE was when the process started
// (set false where unset), and whether start-up replaced it with an
// AVX-512 core before OpenBLAS loaded.
func CoretypeEnv() (was string, set, replaced bool) {
	p := C.gpubench_coretype_env()
	if p == nil {
		return "", false, false
	}
	return C.GoString(p), true, C.gpubench_coretype_changed() != 0
}

// CoreForced says which core OpenBLAS chose by itself where start-up made
// it choose again with OPENBLAS_CORETYPE=SkylakeX (the variable unset, an
// AVX-512 machine, a core without AVX-512, a DYNAMIC_ARCH build), and
// whether it did. CoreName says the core it runs now.
func CoreForced() (chose string, forced bool) {
	p := C.gpubench_core_chosen()
	if p == nil {
		return "", false
	}
	return C.GoString(p), true
}
