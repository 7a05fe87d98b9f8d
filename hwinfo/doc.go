// Package hwinfo describes the machine a benchmark runs on: the CPU
// (vendor, model, SIMD features as klauspost/cpuid/v2 reports them;
// cores and threads as the OS lets this process use them; caches from
// sysfs, else CPUID's cache leaves), the OS and Go runtime, memory and
// the limits that apply to this process (cgroup v1 and v2, RLIMIT_AS),
// and an estimate of the CPU's theoretical floating-point peak from its
// FMA pipes, lanes and a measured clock.
//
// Probe returns the whole description, an Info, measured once per
// process; DescribeCPU returns the CPU alone without measuring anything.
// MeasureClock and MeasureLatency (a pointer chase from L1 to memory)
// measure on request. The clock a peak uses can be pinned to the
// highest one this machine has shown, kept in a file: that is a step the
// caller takes, in the folder it chooses.
//
// It never talks to a GPU API: the GPU's description is the gl
// backend's (compute.Device).
package hwinfo
