package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// isOurs reports whether a backend is gpubench's own CPU backend (cpu,
// or cpu/<level>) rather than a peer.
func isOurs(name string) bool { return name == "cpu" || strings.HasPrefix(name, "cpu/") }

// PeerRatios prints, after the table, our speed against each peer
// case by case (peer's median time over ours: 1.10x means ours is 10 %
// faster), and the geometric mean per peer. It prints nothing unless
// the report holds our CPU backend and at least one peer.
func PeerRatios(w io.Writer, rep *results.Report) {
	w = PrintableTo(w)
	peer := map[string]bool{}
	for _, a := range rep.Backends {
		if a.Peer && !isOurs(a.Name) {
			peer[a.Name] = true
		}
	}
	type key struct {
		kernel compute.Kernel
		shape  results.Shape
		dtype  compute.DType
	}
	ours := map[key]results.Result{}
	var keys []key
	var peers []string
	theirs := map[string]map[key]results.Result{}
	for _, r := range rep.Results {
		if r.Err != "" || r.Skipped != "" || !r.Verified || r.MedianNs <= 0 {
			continue
		}
		k := key{r.Kernel, r.Shape, r.DType}
		switch {
		case r.Backend == "cpu":
			if _, ok := ours[k]; !ok {
				keys = append(keys, k)
			}
			ours[k] = r
		case peer[r.Backend]:
			if theirs[r.Backend] == nil {
				theirs[r.Backend] = map[key]results.Result{}
				peers = append(peers, r.Backend)
			}
			theirs[r.Backend][k] = r
		}
	}
	if len(ours) == 0 || len(peers) == 0 {
		return
	}
	head := []string{"KERNEL", "SHAPE", "DTYPE", "CPU"}
	right := []bool{false, true, false, true}
	for _, p := range peers {
		head = append(head, strings.ToUpper(p), "CPU/"+strings.ToUpper(p))
		right = append(right, true, true)
	}
	rows := [][]string{head}
	logSum := make([]float64, len(peers))
	count := make([]int, len(peers))
	for _, k := range keys {
		o := ours[k]
		row := []string{k.kernel.String(), k.shape.String(), k.dtype.String(), rate(o)}
		for i, p := range peers {
			t, ok := theirs[p][k]
			if !ok {
				row = append(row, "", "")
				continue
			}
			ratio := t.MedianNs / o.MedianNs
			logSum[i] += math.Log(ratio)
			count[i]++
			row = append(row, rate(t), fixed(ratio, 2)+"x")
		}
		rows = append(rows, row)
	}
	geo := []string{"geomean", "", "", ""}
	for i := range peers {
		if count[i] == 0 {
			geo = append(geo, "", "")
			continue
		}
		geo = append(geo, "", fixed(math.Exp(logSum[i]/float64(count[i])), 2)+"x")
	}
	rows = append(rows, geo)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Ours against each peer: the peer's median time over ours (above 1.00x ours is faster); rates in GFLOP/s, or GB/s where a kernel does no arithmetic to speak of.")
	Aligned(w, rows, right)
}

// rate is a result's GFLOP/s for kernels that do at least one FLOP per
// byte moved (gemm), else its GB/s (gemv, whose float32 and float64 do
// 0.5 and 0.25, is bound by memory like the vector kernels), written by
// formatRate so that it reads as in the results table above it.
func rate(r results.Result) string {
	if r.Flops > 0 && r.Bytes > 0 && r.Flops/r.Bytes >= 1 {
		return formatRate(r.GFLOPS, r.Flops)
	}
	return formatRate(r.GBps, r.Bytes) + " GB/s"
}
