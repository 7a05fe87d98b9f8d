//go:build !race

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/gl"
	"github.com/gpubench/gpubench/harness"
)

// TestSoak runs `gpubench run` on every backend (cpu and, where a context
// can be made, gl) 80 times in this process, as a long session would,
// and checks that memory stays flat, on the Go heap (every buffer and
// backend released) and in the whole process (GL objects live in the
// driver's C heap: a leak there shows in RSS), and that the results do
// not drift: every case verifies with the very same errors each time.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("50 runs on every backend")
	}
	backends := "cpu"
	// gl opens in this process: this test binary answers no probe.
	env := harness.NewEnv(newBackends(gl.Isolation{}))
	if err := env.Registry.Probe("gl", compute.Options{Device: -1}); err == nil {
		backends += ",gl"
	} else if os.Getenv("GPUBENCH_REQUIRE_GL") == "1" {
		t.Fatalf("no gl backend: %v", err)
	}
	runs := [][]string{
		{"run", "--backend", backends, "--kernel", "copy,scale,add,triad,saxpy,dot,sum,gemv,gemm,transpose", "--size", "67"},
		{"run", "--backend", backends, "--kernel", "fma", "--size", "67x9"},
	}
	const n, from = 80, 10
	var first string
	var heap, rss [n]uint64
	for i := range n {
		var sig strings.Builder
		for _, args := range runs {
			args = append(args, "--reps", "2", "--warmup", "1", "--min-rep-time", "0", "--min-warmup-time", "0", "--format", "json", "-q")
			var out, errb bytes.Buffer
			if code := run(context.Background(), env, args, &out, &errb); code != 0 {
				t.Fatalf("run %d: exit %d: %s", i, code, errb.String())
			}
			sig.WriteString(signature(t, out.Bytes()))
		}
		if i == 0 {
			first = sig.String()
			if strings.Contains(backends, "gl") && !strings.Contains(first, "/gl/") {
				t.Fatalf("no gl results:\n%s", first)
			}
		} else if sig.String() != first {
			t.Fatalf("run %d drifted from run 0:\n%s\nwas:\n%s", i, sig.String(), first)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap[i], rss[i] = ms.HeapInuse, vmRSS(t)
	}
	for i := 0; i < n; i += 5 {
		t.Logf("run %d: heap %d KiB, RSS %d KiB", i+1, heap[i]>>10, rss[i]>>10)
	}
	t.Logf("heap in use after run %d: %d KiB, after run %d: %d KiB; RSS %d → %d KiB",
		from, heap[from-1]>>10, n, heap[n-1]>>10, rss[from-1]>>10, rss[n-1]>>10)
	// A leak of one buffer a run would add 70 × 67² × 4 bytes, about 1.2
	// MiB, by run 80: allow a sixth of that on the heap.
	if grow := int64(heap[n-1]) - int64(heap[from-1]); grow > 200<<10 {
		t.Errorf("Go heap in use grew by %d KiB from run %d to run %d", grow>>10, from, n)
	}
	// RSS moves with the allocator's own caching (glibc's arenas, one
	// per thread that allocates, and Go's scheduler starts more threads
	// on a busy machine) and the driver's threads by tens of MiB from one
	// sample to the next, and its floor can step up once: by 16-40 MiB
	// between runs 5-14 and 41-50 on the loaded 2-vCPU EPYC, with a flat
	// Go heap. A leak grows it run after run instead. So RSS is judged on
	// the lowest of ten samples in three windows, after the first ten
	// runs have warmed the driver's caches, and fails only where the
	// floor grew by more than 8 MiB in both halves. A run makes about 30
	// buffers of up to 67² floats (18 KiB each): leaking them, in Go or
	// in the driver, adds about 16 MiB every 30 runs.
	floor := func(i int) int64 { return int64(slices.Min(rss[i : i+10])) }
	early, mid, late := floor(from-1), floor((from+n)/2-5), floor(n-10)
	if rss[0] > 0 && mid-early > 8<<20 && late-mid > 8<<20 {
		t.Errorf("RSS's floor grew run after run: %d, %d, %d KiB at runs %d, %d and %d", early>>10, mid>>10, late>>10, from, (from+n)/2-4, n-9)
	}
}

// signature is what must not change from run to run: each case's kernel,
// backend, shape, whether it verified and its errors, bit for bit.
func signature(t *testing.T, js []byte) string {
	t.Helper()
	var r struct {
		Complete bool
		Results  []struct {
			Kernel, Backend, Shape, DType, Error string
			Verified                             bool
			MaxAbsErr                            float64 `json:"max_abs_err"`
			ErrOverBound                         float64 `json:"err_over_bound"`
		}
	}
	if err := json.Unmarshal(js, &r); err != nil || !r.Complete {
		t.Fatalf("report: %v (complete %v)", err, r.Complete)
	}
	var b strings.Builder
	for _, c := range r.Results {
		fmt.Fprintf(&b, "%s/%s/%s/%s %v %s %s %q\n", c.Kernel, c.Backend, c.Shape, c.DType, c.Verified,
			strconv.FormatFloat(c.MaxAbsErr, 'x', -1, 64), strconv.FormatFloat(c.ErrOverBound, 'x', -1, 64), c.Error)
	}
	return b.String()
}

// vmRSS is the process's resident set from /proc/self/status, 0 where
// there is none.
func vmRSS(t *testing.T) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kib, _ := strconv.ParseUint(f[1], 10, 64)
			return kib << 10
		}
	}
	return 0
}
