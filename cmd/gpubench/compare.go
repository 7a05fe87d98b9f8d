package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/report"
	"github.com/gpubench/gpubench/results"
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
		Args: usageArgs(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			var reps []*results.Report
			for _, a := range args {
				r, err := results.LoadReport(a)
				if err != nil {
					return err
				}
				reps = append(reps, r)
			}
			report.Comparison(stdout, args, reps, results.Compare(reps))
			return nil
		},
	}
}
