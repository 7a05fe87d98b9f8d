// Package harness measures: it plans cases (kernel × shape × dtype, each
// a compute.Problem) over backends, makes their inputs from seeded
// streams, times a warm-up and repetitions, verifies every result
// against its derived bound (package ref), and returns the measurements
// as a results.Report. It never prints, and knows no backend by name: it
// opens what the caller's compute.Registry offers.
//
// A run starts from a Config, which carries everything it needs from
// outside (the backends and the options they open with, the machine's
// description, the timing and verification settings, a progress
// callback), and a plan:
//
//	cfg := harness.DefaultConfig()
//	cfg.Backends = []string{"cpu"}
//	cases, err := harness.PlanFor(kernels, sizes, dtypes, cfg)
//	rep, err := harness.Run(ctx, cfg, cases)
//
// PlanFor refuses a case that would not fit in the memory the process
// may use. Run times each case on each backend (Config.Interleave runs
// each case on every backend before the next, the order rotated), and
// checks it in runs of its own on poisoned buffers, one per input set:
// random, exact, and for dot and sum positive; Config.Special adds the
// special values. A large gemm is checked on a sample with probes
// (Config.Verify, VerifyMode). A figure beyond the device's physical
// peak fails the case.
//
// The other measurements share that machinery: RunRoofline (memory
// bandwidth, the fma ceiling and an intensity sweep per backend), Scale
// (one kernel over worker counts, with Amdahl's fit), MeasureTransfers
// (host↔device copy rates and dispatch latency) and Crossover (the size
// from which a GPU backend beats a CPU one, with and without the
// copies). Each stops between cases when its context is done and
// returns what finished.
package harness
