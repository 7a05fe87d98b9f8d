package results

import "testing"

// TestConfirmL3: with memory's bandwidth measured, a case bound by
// memory keeps "L3" only where it ran well past that bandwidth; a case
// bound by arithmetic, L1 and L2, and a case without a measured
// bandwidth keep their label.
func TestConfirmL3(t *testing.T) {
	const bw = 55.9
	for _, c := range []struct {
		name      string
		resident  string
		gbps      float64
		flopsPerB float64
		want      string
	}{
		{"saxpy 48 MiB at 4x memory", "L3", 227, 1.0 / 6, "L3"},
		{"saxpy 192 MiB at memory's speed", "L3", 61.2, 1.0 / 6, ""},
		{"just under the evidence", "L3", 1.49 * bw, 1.0 / 6, ""},
		{"at the evidence", "L3", 1.5 * bw, 1.0 / 6, "L3"},
		{"gemm bound by arithmetic", "L3", 10, 100, "L3"},
		{"L2 at memory's speed", "L2", 40, 1.0 / 6, "L2"},
	} {
		r := Result{Resident: c.resident, GBps: c.gbps, Bytes: 1 << 20, Flops: c.flopsPerB * (1 << 20)}
		r.GFLOPS = c.gbps * c.flopsPerB
		r.SetPeak(472, bw)
		r.ConfirmL3(bw)
		if r.Resident != c.want {
			t.Errorf("%s: resident %q, want %q", c.name, r.Resident, c.want)
		}
	}
	r := Result{Resident: "L3", GBps: 10, Bytes: 1 << 20, Flops: 1}
	r.SetPeak(472, 0) // no bandwidth measured: no share, no evidence
	r.ConfirmL3(0)
	if r.Resident != "L3" {
		t.Errorf("without a measured bandwidth: resident %q", r.Resident)
	}
}
