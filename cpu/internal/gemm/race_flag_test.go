//go:build race

package gemm

// raceEnabled: the race detector slows scalar code tenfold or more, so
// the largest tests trim themselves.
const raceEnabled = true
