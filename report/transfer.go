package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/gpubench/gpubench/results"
)

// TransferTable prints each backend's transfers in rep: the rate of
// each size uploaded and downloaded, then each backend's peaks, the
// sizes where half of them is reached, and the dispatch latency.
func TransferTable(w io.Writer, rep *results.Report) {
	w = PrintableTo(w)
	if len(rep.Transfers) == 0 {
		return
	}
	head := []string{"SIZE"}
	for _, t := range rep.Transfers {
		head = append(head, t.Backend+" UP", t.Backend+" DOWN")
	}
	// One row per size any backend copied, in order of size.
	cells := map[float64][]string{}
	for ti, t := range rep.Transfers {
		for _, r := range t.Cases {
			if r.Direction != results.Upload && r.Direction != results.Download {
				continue
			}
			row := cells[r.Bytes]
			if row == nil {
				row = append([]string{results.FormatBytes(r.Bytes)}, make([]string, len(head)-1)...)
				cells[r.Bytes] = row
			}
			col := 1 + 2*ti
			if r.Direction == results.Download {
				col++
			}
			row[col] = "FAIL"
			if r.Verified {
				row[col] = formatRate(r.GBps, 1)
			}
		}
	}
	sizes := slices.Sorted(maps.Keys(cells))
	rows := [][]string{head}
	for _, n := range sizes {
		rows = append(rows, cells[n])
	}
	right := make([]bool, len(head))
	for i := range right {
		right[i] = true
	}
	fmt.Fprintln(w, "Transfers, GB/s (each copy back compared with what went up, bit for bit):")
	Aligned(w, rows, right)
	fmt.Fprintln(w)
	for _, t := range rep.Transfers {
		fmt.Fprintln(w, TransferSummary(t))
		for _, n := range t.Notes {
			fmt.Fprintln(w, "  "+n)
		}
	}
}

// TransferSummary is one line on t: both directions' peak and half-peak
// size, and the latency.
func TransferSummary(t results.Transfer) string {
	var b strings.Builder
	name := t.Backend
	if t.Software {
		name += " (software)"
	}
	fmt.Fprintf(&b, "%s: upload %s, download %s, dispatch latency %s (%s)", name, formatLink(t.Upload), formatLink(t.Download),
		formatDuration(t.LatencyNs), t.LatencyOf)
	return b.String()
}

// formatLink writes "9.8 GB/s (half of it from 256.0 KiB)".
func formatLink(l results.Link) string {
	if l.PeakGBps <= 0 {
		return "not measured"
	}
	return fmt.Sprintf("%s GB/s (half of it from %s)", formatRate(l.PeakGBps, 1), results.FormatBytes(l.HalfPeakBytes))
}
