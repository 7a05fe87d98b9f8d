package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/gpubench/gpubench/results"
)

// Comparison prints c, the comparison of reps (read from the files
// names), each file's speed against the first's.
func Comparison(w io.Writer, names []string, reps []*results.Report, c results.Comparison) {
	w = PrintableTo(w)
	for i, r := range reps {
		m := ""
		if r.Probe != nil {
			m = r.Probe.Summary()
		}
		fmt.Fprintf(w, "[%d] %s  %s  %s\n", i, names[i], r.Time.Format("2006-01-02 15:04"), m)
	}
	fmt.Fprintln(w)
	head := []string{"CASE", "[0] TIME"}
	right := []bool{false, true}
	for i := 1; i < len(reps); i++ {
		head = append(head, fmt.Sprintf("[%d] TIME", i), fmt.Sprintf("[%d] SPEED", i))
		right = append(right, true, true)
	}
	rows := [][]string{head}
	for _, r := range c.Rows {
		row := []string{r.Key.String(), formatDuration(r.Times[0].MedianNs)}
		for i := 1; i < len(reps); i++ {
			mark := ""
			if r.Noise[i] {
				mark = " ≈"
			}
			row = append(row, formatDuration(r.Times[i].MedianNs), fixed(r.Ratio[i], 2)+"x"+mark)
		}
		rows = append(rows, row)
	}
	Aligned(w, rows, right)
	if len(c.Partial) > 0 {
		fmt.Fprintln(w, "\nNot in every file (or not verified in every file):")
		for _, r := range c.Partial {
			var in []string
			for i, t := range r.Times {
				if t != nil {
					in = append(in, fmt.Sprintf("[%d]", i))
				}
			}
			fmt.Fprintf(w, "  %s  only in %s\n", r.Key, strings.Join(in, " "))
		}
	}
	fmt.Fprintln(w, "\n[i] SPEED is file i's speed over file 0's, [0] TIME / [i] TIME: 2.00x is twice as fast, 0.50x half as fast.")
	fmt.Fprintln(w, "≈: within the noise (min–max ranges overlap)")
}
