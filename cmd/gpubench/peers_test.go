package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
)

// TestPeerRatios runs our cpu backend against the gonum peer with
// --interleave: cases come out in case order, every backend per case,
// and the table ends with our speed over the peer's, case by case and
// as a geometric mean.
func TestPeerRatios(t *testing.T) {
	args := []string{"run", "-q", "--interleave", "--backend", "cpu,gonum", "--kernel", "saxpy,gemm", "--size", "64", "--reps", "2"}
	out, errOut, code := gpubench(t, []string{"GPUBENCH_GL=none"}, args...)
	if code != 0 {
		t.Fatalf("gpubench %v: exit %d\n%s%s", args, code, out, errOut)
	}
	i := strings.Index(out, "CPU/GONUM")
	if i < 0 || !strings.Contains(out[i:], "geomean") || strings.Count(out[i:], "x\n") < 3 {
		t.Fatalf("no ratio table after the results:\n%s", out)
	}
	out, _, code = gpubench(t, []string{"GPUBENCH_GL=none"}, append(args, "--format", "json")...)
	var rep struct {
		Results []struct{ Kernel, Backend string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("json: exit %d, %v", code, err)
	}
	var got []string
	for _, r := range rep.Results {
		got = append(got, r.Kernel+"/"+r.Backend)
	}
	if want := "saxpy/cpu saxpy/gonum gemm/cpu gemm/gonum"; strings.Join(got, " ") != want {
		t.Errorf("interleaved results %v, want %s", got, want)
	}
	// Without a peer there is no ratio table.
	out, _, _ = gpubench(t, []string{"GPUBENCH_GL=none"}, "run", "-q", "--backend", "cpu", "--kernel", "saxpy", "--size", "64", "--reps", "1")
	if strings.Contains(out, "CPU/") {
		t.Errorf("ratio table without a peer:\n%s", out)
	}
}

// TestInterleaveOrder: --interleave starts case i with backend i mod n,
// so each backend follows the other as often, and still reports every
// case in cfg.Backends order.
func TestInterleaveOrder(t *testing.T) {
	var log []string
	cfg := harness.DefaultConfig()
	cfg.Backends = []string{"cpu", "gonum"}
	cfg.Reps, cfg.Warmup, cfg.MinRepTime = 1, 0, 0
	cfg.Progress = func(_, _ int, c harness.Case, backend string) {
		log = append(log, c.Kernel.Name+"/"+backend)
	}
	var cases []harness.Case
	for _, k := range []string{"saxpy", "dot", "gemv"} {
		kern, err := compute.LookupKernel(k)
		if err != nil {
			t.Fatal(err)
		}
		shape := compute.Vec(33)
		if k == "gemv" {
			shape = compute.Mat(33, 17)
		}
		cases = append(cases, harness.Case{Kernel: kern, Shape: shape, DType: compute.Float32})
	}
	rep, err := runInterleaved(context.Background(), cfg, cases)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(log, " "), "saxpy/cpu saxpy/gonum dot/gonum dot/cpu gemv/cpu gemv/gonum"; got != want {
		t.Errorf("ran\n  %s\nwant\n  %s", got, want)
	}
	var got []string
	for _, r := range rep.Results {
		if !r.Verified {
			t.Errorf("%s/%s not verified: %s%s", r.Kernel, r.Backend, r.Err, r.Mismatch)
		}
		got = append(got, r.Kernel+"/"+r.Backend)
	}
	if want := "saxpy/cpu saxpy/gonum dot/cpu dot/gonum gemv/cpu gemv/gonum"; strings.Join(got, " ") != want {
		t.Errorf("results %v, want %s", got, want)
	}
	if len(rep.Devices) != 2 || !rep.Complete {
		t.Errorf("devices %d, complete %v: want 2, true", len(rep.Devices), rep.Complete)
	}
}

// TestPeerRatesFormat: the ratio table writes its rates as the results
// table does (formatRate's precision), GFLOP/s for gemm and GB/s with
// the unit for a memory-bound kernel, and the ratio as the peer's time
// over ours.
func TestPeerRatesFormat(t *testing.T) {
	res := func(kernel, backend string, ns, flops, bytes float64) harness.Result {
		return harness.Result{Kernel: kernel, Backend: backend, Shape: "64", DType: compute.Float32, Verified: true,
			MedianNs: ns, Flops: flops, Bytes: bytes, GFLOPS: flops / ns, GBps: bytes / ns}
	}
	rep := &harness.Report{
		Backends: []compute.Availability{{Name: "cpu"}, {Name: "gonum", Peer: true}},
		Results: []harness.Result{
			res("gemm", "cpu", 1000, 123400, 4000),
			res("gemm", "gonum", 2702, 123400, 4000),
			res("saxpy", "cpu", 1000, 128, 3456),
			res("saxpy", "gonum", 1000, 128, 3456),
		},
	}
	var b strings.Builder
	writePeerRatios(&b, rep)
	rows := map[string]string{}
	for _, line := range strings.Split(b.String(), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			rows[f[0]] = strings.Join(f, " ")
		}
	}
	for _, want := range []string{
		"gemm 64 float32 123 45.7 2.70x", // formatRate: 123.4 → 123, 45.67 → 45.7
		"saxpy 64 float32 3.46 GB/s 3.46 GB/s 1.00x",
	} {
		if got := rows[strings.Fields(want)[0]]; got != want {
			t.Errorf("ratio row %q, want %q:\n%s", got, want, b.String())
		}
	}
}
