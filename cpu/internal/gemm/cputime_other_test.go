//go:build !unix

package gemm

// cpuSeconds is 0 where the CPU time is not read: no GFLOP/cpu-s metric.
func cpuSeconds() float64 { return 0 }
