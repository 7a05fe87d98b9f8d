package report

import (
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// TestPeerRatesFormat: the ratio table writes its rates as the results
// table does (formatRate's precision), GFLOP/s for gemm and GB/s with
// the unit for a memory-bound kernel, and the ratio as the peer's time
// over ours.
func TestPeerRatesFormat(t *testing.T) {
	res := func(kernel compute.Kernel, backend string, ns, flops, bytes float64) results.Result {
		return results.Result{Kernel: kernel, Backend: backend, Shape: results.ShapeOf(compute.Vec(64)), DType: compute.Float32, Verified: true,
			MedianNs: ns, Flops: flops, Bytes: bytes, GFLOPS: flops / ns, GBps: bytes / ns}
	}
	rep := &results.Report{
		Backends: []compute.Availability{{Name: "cpu"}, {Name: "gonum", Peer: true}},
		Results: []results.Result{
			res(compute.Gemm, "cpu", 1000, 123400, 4000),
			res(compute.Gemm, "gonum", 2702, 123400, 4000),
			res(compute.Saxpy, "cpu", 1000, 128, 3456),
			res(compute.Saxpy, "gonum", 1000, 128, 3456),
		},
	}
	var b strings.Builder
	PeerRatios(&b, rep)
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
