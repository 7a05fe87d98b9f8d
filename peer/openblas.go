//go:build openblas && cgo

package peer

// The system OpenBLAS, through internal/openblas (the module's one
// binding of it).

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
	"github.com/gpubench/gpubench/internal/openblas"
)

// openblasFactories is the backend "openblas".
func openblasFactories() []compute.Factory {
	return []compute.Factory{{
		Name: "openblas",
		Doc: fmt.Sprintf("the system OpenBLAS through cgo (built with -tags openblas), a peer to compare against; core %s",
			openblas.CoreName()),
		Kernels: kernelSet(),
		Open:    func(o compute.Options) (compute.Backend, error) { return open(openblasLib(), o) },
		Peer:    true,
		// OpenBLAS's idle threads spin for 2^OPENBLAS_THREAD_TIMEOUT
		// cycles after each call and after the library loads; this
		// leaves room for a slower clock.
		// Measurements: docs/methodology.md#why-these-constants.
		Settle: 200 * time.Millisecond,
	}}
}

// openblasLib is OpenBLAS. Its thread count is process-wide: the worker
// count is set before each call where another backend changed it.
func openblasLib() *lib {
	threads := 0
	set := func() {
		if threads > 0 && openblas.Threads() != threads {
			openblas.SetThreads(threads)
		}
	}
	core := openblas.CoreName()
	cpu := hwinfo.DescribeCPU()
	return &lib{
		name:  "openblas",
		level: strings.ToLower(core),
		notes: []string{openblas.Config(), coreNote(core, cpu.Has("AVX512F"), startupCore())},
		threads: func(workers int) (int, error) {
			if workers > 0 {
				threads = workers
				set()
			}
			return openblas.Threads(), nil
		},
		maxDim: openblas.MaxDim,
		f32:    openblasRoutines[float32](set),
		f64:    openblasRoutines[float64](set),
	}
}

// avx512Cores are OpenBLAS's cores with AVX-512 kernels, as
// openblas_get_corename spells them, lower-cased.
var avx512Cores = []string{"skylakex", "cooperlake", "sapphirerapids"}

// coreChoice is how OpenBLAS's core was chosen at start-up
// (internal/openblas): what OPENBLAS_CORETYPE said (set false where
// unset), whether it was replaced by SkylakeX before OpenBLAS loaded, and
// the core OpenBLAS chose by itself where start-up made it choose again.
type coreChoice struct {
	was           string
	set, replaced bool
	chose         string
	forced        bool
}

// startupCore reads internal/openblas's record of the choice.
func startupCore() coreChoice {
	var c coreChoice
	c.was, c.set, c.replaced = openblas.CoretypeEnv()
	c.chose, c.forced = openblas.CoreForced()
	return c
}

// coreNote says which core OpenBLAS runs and why (c), and warns where an
// AVX-512 machine (avx512) runs a core without it.
func coreNote(core string, avx512 bool, c coreChoice) string {
	var s string
	switch {
	case c.replaced:
		s = fmt.Sprintf("core %s: OPENBLAS_CORETYPE=%s in the environment was replaced by SkylakeX before OpenBLAS loaded (an AVX-512 core on this AVX-512 machine)", core, c.was)
	case c.set:
		s = fmt.Sprintf("core %s, as OPENBLAS_CORETYPE=%s says", core, c.was)
	case c.forced:
		s = fmt.Sprintf("core %s: OpenBLAS chose %s, which is not an AVX-512 core; forced SkylakeX at start-up (OPENBLAS_CORETYPE unset, an AVX-512 machine)", core, c.chose)
	default:
		s = fmt.Sprintf("core %s, OpenBLAS's own choice (OPENBLAS_CORETYPE unset)", core)
	}
	if avx512 && !slices.Contains(avx512Cores, strings.ToLower(core)) {
		s += "; not an AVX-512 core on an AVX-512 machine: these are not OpenBLAS's best figures"
	}
	return s
}

// openblasRoutines calls OpenBLAS's CBLAS routines for T, each after set.
func openblasRoutines[T compute.Float](set func()) routines[T] {
	return routines[T]{
		gemm: func(m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
			set()
			openblas.Gemm(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
		gemv: func(m, n int, a []T, lda int, x, y []T) {
			set()
			openblas.Gemv(m, n, a, lda, x, y)
		},
		axpy: func(alpha T, x, y []T) {
			set()
			openblas.Axpy(alpha, x, y)
		},
		dot: func(x, y []T) T {
			set()
			return openblas.Dot(x, y)
		},
	}
}
