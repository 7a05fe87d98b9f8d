package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/harness"
)

func newCompare(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "compare A.json B.json [C.json ...]",
		Short: "Compare results files: speed of each against the first, case by case",
		Long: `compare matches cases by kernel, backend, shape and dtype across results
files (written with --out) and prints each file's speed relative to the
first: 2.00x is twice as fast. '≈' marks a difference within the noise
(the repetitions' min–max ranges overlap). Cases not in every file, or
not verified in every file, are listed apart.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var reps []*harness.Report
			for _, a := range args {
				r, err := harness.LoadReport(a)
				if err != nil {
					return err
				}
				reps = append(reps, r)
			}
			writeComparison(stdout, args, reps, harness.Compare(reps))
			return nil
		},
	}
}

func writeComparison(w io.Writer, names []string, reps []*harness.Report, c harness.Comparison) {
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
		head = append(head, fmt.Sprintf("[%d] TIME", i), fmt.Sprintf("[%d]/[0]", i))
		right = append(right, true, true)
	}
	rows := [][]string{head}
	for _, r := range c.Rows {
		row := []string{r.Key.String(), formatDuration(r.Results[0].MedianNs)}
		for i := 1; i < len(reps); i++ {
			mark := ""
			if r.Noise[i] {
				mark = " ≈"
			}
			row = append(row, formatDuration(r.Results[i].MedianNs), fmt.Sprintf("%.2fx%s", r.Ratio[i], mark))
		}
		rows = append(rows, row)
	}
	printAligned(w, rows, right)
	if len(c.Partial) > 0 {
		fmt.Fprintln(w, "\nNot in every file (or not verified in every file):")
		for _, r := range c.Partial {
			var in []string
			for i, res := range r.Results {
				if res != nil {
					in = append(in, fmt.Sprintf("[%d]", i))
				}
			}
			fmt.Fprintf(w, "  %s  only in %v\n", r.Key, in)
		}
	}
	fmt.Fprintln(w, "\n≈: within the noise (min–max ranges overlap)")
}
