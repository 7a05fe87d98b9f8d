//go:build cgo

package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrossover runs a short crossover of the cpu against the gl backend
// (llvmpipe where there is no GPU) and checks what it reports: both
// backends' transfers and latency, each kernel's sizes on both, every
// case verified, a verdict for each, the plot; then draws it again from
// the JSON without measuring.
func TestCrossover(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	dir := t.TempDir()
	svg, js := filepath.Join(dir, "x.svg"), filepath.Join(dir, "x.json")
	stdout, stderr, code := gpubench(t, nil, "crossover", "--backend", "cpu,gl", "--kernel", "saxpy,gemm",
		"--max-size", "16Ki", "--max-square", "64", "--max-transfer", "64Ki", "--reps", "2", "--format", "json", "--out", svg, "-q")
	if code != 0 {
		t.Fatalf("crossover: exit %d %s", code, stderr)
	}
	var rep struct {
		Results []struct {
			Kernel, Backend string
			Verified        bool
		}
		Transfers []struct {
			Backend    string
			HostMemory bool    `json:"host_memory"`
			Latency    float64 `json:"latency_ns"`
			Upload     struct {
				Peak float64 `json:"peak_gbps"`
				Half float64 `json:"half_peak_bytes"`
			}
		}
		Crossovers []struct {
			Kernel, Base, Challenger string
			Points                   []struct {
				Size     int
				Verified bool
			}
			KernelOnly struct {
				Found bool
				UpTo  string `json:"up_to"`
			} `json:"kernel_only"`
			EndToEnd struct {
				UpTo string `json:"up_to"`
			} `json:"end_to_end"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("crossover JSON: %v\n%s", err, stdout)
	}
	if len(rep.Transfers) != 2 || !rep.Transfers[0].HostMemory || rep.Transfers[1].HostMemory {
		t.Fatalf("transfers %+v: want cpu's in host memory and gl's not", rep.Transfers)
	}
	for _, tr := range rep.Transfers {
		if tr.Latency <= 0 || tr.Upload.Peak <= 0 || tr.Upload.Half <= 0 {
			t.Errorf("transfer of %s: %+v", tr.Backend, tr)
		}
	}
	if len(rep.Crossovers) != 2 {
		t.Fatalf("%d crossovers, want saxpy and gemm", len(rep.Crossovers))
	}
	for _, c := range rep.Crossovers {
		want := map[string][]int{"saxpy": {1024, 4096, 16384}, "gemm": {16, 32, 64}}[c.Kernel]
		var sizes []int
		for _, p := range c.Points {
			sizes = append(sizes, p.Size)
			if !p.Verified {
				t.Errorf("%s %d not verified", c.Kernel, p.Size)
			}
		}
		if c.Base != "cpu" || c.Challenger != "gl" || len(sizes) != len(want) || c.KernelOnly.UpTo == "" || c.EndToEnd.UpTo == "" {
			t.Errorf("%s: base %s, challenger %s, sizes %v (want %v), verdicts %+v %+v", c.Kernel, c.Base, c.Challenger, sizes, want, c.KernelOnly, c.EndToEnd)
		}
	}
	kinds := map[string]int{}
	for _, r := range rep.Results {
		kinds[r.Kernel]++
		if !r.Verified {
			t.Errorf("%s on %s did not verify", r.Kernel, r.Backend)
		}
	}
	if kinds["saxpy"] != 6 || kinds["gemm"] != 6 || kinds["upload"] == 0 || kinds["upload"] != kinds["download"] || kinds["latency"] != 2 {
		t.Errorf("results by kernel: %v", kinds)
	}
	checkSVG(t, svg, "saxpy float32: gl against cpu", "gemm float32", "gl end to end", "gl wins, kernel only")

	writeFile(t, js, stdout)
	png := filepath.Join(dir, "x.png")
	stdout, stderr, code = gpubench(t, noGL, "crossover", "--from", js, "--out", png)
	if code != 0 || !strings.Contains(stdout, "gl wins, kernel only:") || !strings.Contains(stdout, "dispatch latency") {
		t.Errorf("crossover --from: exit %d %s\n%s", code, stderr, stdout)
	}
	checkPNGWidth(t, png, 1600)
}
