// Package cpu is gpubench's CPU backend: buffers are Go slices, kernels
// are those of cpu/internal/kern (STREAM's four, saxpy, dot, sum, gemv,
// transpose, fma, in generated AVX2 and AVX-512 assembly with pure-Go
// fallbacks) and cpu/internal/gemm (a BLIS-style gemm), and work is
// split statically over a pool of long-lived goroutines
// (cpu/internal/pool).
//
// A Backend runs at one SIMD level, its Engine, chosen as it opens and
// held for its life; the engine of each level this CPU runs is made once
// and never written afterwards. To run a kernel directly, open a backend
// on the best engine the options leave:
//
//	b, err := cpu.Open("cpu", cpu.BestEngine(opts), opts)
//
// and drive it through the compute.Backend interface. Programs that open
// backends by name instead add Factories() to their
// compute.Registry: "cpu", which opens at the best level this CPU runs
// that compute.Options.Disable leaves, and one backend "cpu/<level>" for
// each level, so that levels can be run side by side; those are marked
// Peer, so "all" leaves them out unless they are named, and the group
// "cpu/all" stands for all of them that are not disabled.
//
// Small sections run on the calling goroutine, larger ones on as many
// workers as each get enough traffic to repay a fork-join; STREAM's
// kernels store non-temporally past a crossover the backend measures
// once per level and worker count. Run is synchronous: when it returns,
// the result is in the output buffer.
package cpu
