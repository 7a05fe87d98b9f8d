//go:build openblas && cgo && linux && amd64

package openblas

// OpenBLAS chooses its kernels (its "core") once, in its library
// constructor, from OPENBLAS_CORETYPE if set, else from CPUID. An
// OPENBLAS_CORETYPE=Haswell left in a machine's environment (seen on the
// 2-vCPU Zen 5 VM) makes it run AVX2 kernels on an AVX-512 machine, half
// its gemm. To compare against the best it can do, the variable must say
// an AVX-512 core before that constructor runs, and nothing written in Go
// or in an ordinary cgo constructor runs that early: the dynamic loader
// runs a library's constructors before the program's. The one hook that
// runs before them is the program's .preinit_array (the ELF rule that
// sanitizers use too). There libc's getenv and setenv are not ready yet
// (tried: setenv's change is lost when libc sets its environment up), but
// the loader passes the process's environment array itself, the one libc,
// OpenBLAS and Go all read later: the preinit function below replaces the
// entry OPENBLAS_CORETYPE=<not AVX-512> in it with
// OPENBLAS_CORETYPE=SkylakeX where the CPU and OS run AVX-512. Where the
// variable is unset, OpenBLAS's own detection chooses (Cooperlake on the
// Zen 5 VM, an AVX-512 core); the backend reports the core it runs either
// way.

/*
#include <cpuid.h>
#include <stddef.h>
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

static const char *gpubench_coretype_env(void) { return gpubench_coretype_was; }
static int gpubench_coretype_changed(void) { return gpubench_coretype_replaced; }
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
