//go:build linux

package peer

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// TestGonumKeepsDefaultGOMAXPROCS: a gonum gemm on other workers than
// GOMAXPROCS sets it around the call, and afterwards GOMAXPROCS is the
// runtime's own sizing again, which follows the CPUs the process may
// use: narrowing the process to one CPU brings GOMAXPROCS down to 1
// (the runtime checks about once a second). Set back as a number, it
// would stay where it was.
func TestGonumKeepsDefaultGOMAXPROCS(t *testing.T) {
	if os.Getenv("GOMAXPROCS") != "" {
		t.Skip("GOMAXPROCS is set: the runtime's own sizing is off")
	}
	var all unix.CPUSet
	if err := unix.SchedGetaffinity(0, &all); err != nil || all.Count() < 2 {
		t.Skipf("needs a process that may run on 2 CPUs or more (%d, %v)", all.Count(), err)
	}
	runtime.SetDefaultGOMAXPROCS()
	procs := runtime.GOMAXPROCS(0)

	b, err := registry.Open("gonum", compute.Options{Workers: procs - 1})
	if err != nil {
		t.Fatal(err)
	}
	c := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(64, 64, 64), DType: compute.Float64, Alpha: 1, Beta: 0}
	if err := computetest.Check(b, c, 1); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if got := runtime.GOMAXPROCS(0); got != procs {
		t.Fatalf("GOMAXPROCS after the gemm: %d, want %d", got, procs)
	}

	var one unix.CPUSet
	one.Set(firstCPU(all))
	setAffinity(t, one)
	defer func() {
		setAffinity(t, all)
		runtime.SetDefaultGOMAXPROCS()
	}()
	deadline := time.Now().Add(30 * time.Second)
	for runtime.GOMAXPROCS(0) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("GOMAXPROCS stays %d on one CPU: the runtime's sizing is off", runtime.GOMAXPROCS(0))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// firstCPU is the lowest CPU in s.
func firstCPU(s unix.CPUSet) int {
	for i := range len(s) * 64 {
		if s.IsSet(i) {
			return i
		}
	}
	return 0
}

// setAffinity lets every thread of this process run on s alone.
func setAffinity(t *testing.T, s unix.CPUSet) {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skipf("cannot list this process's threads: %v", err)
	}
	for _, e := range tasks {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if err := unix.SchedSetaffinity(tid, &s); err != nil && err != unix.ESRCH {
			t.Fatalf("sched_setaffinity(%d): %v", tid, err)
		}
	}
}
