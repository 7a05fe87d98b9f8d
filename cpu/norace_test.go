//go:build !race

package cpu

// raceEnabled: the race detector slows the Go reference code and the
// inputs' generation tenfold and more, so the largest cases trim
// themselves under it.
const raceEnabled = false

// raceMaxLen is the longest vector the tests trimmed under the race
// detector run: 65537 elements (512 KiB of a float32 copy's traffic,
// twice minBytesPerWorker) already split over the 2 and 3 workers the
// tests use, the parallel paths the detector watches; the longer ones
// add only time.
const raceMaxLen = 65537
