//go:build unix

package gemm

import "syscall"

// cpuSeconds is the CPU time this process has used, user and system,
// every thread together. On a machine shared with other work it counts
// only the time our threads ran, so FLOPs per CPU-second measure the
// code where FLOPs per wall-second measure the neighbours too.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
