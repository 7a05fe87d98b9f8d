package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/report"
	"github.com/gpubench/gpubench/results"
)

func newCompare(stdout io.Writer) *cobra.Command {
	format := report.FormatTable
	cmd := &cobra.Command{
		Use:   "compare A.json B.json [C.json ...]",
		Short: "Compare results files: speed of each against the first, case by case",
		Long: `compare matches cases by kernel, backend, shape and dtype across results
files (written by 'gpubench run --out' or 'transfer --out') and prints
each file's speed relative to the first: 2.00x is twice as fast. '≈'
marks a difference within the noise (the repetitions' min–max ranges
overlap). Cases not in every file, or not verified in every file, are
listed apart.

--format json prints the same as JSON: the files, then each case with
every file's result (null where a file lacks it or it did not verify),
its speed over the first file's and whether that is within the noise.`,
		Args: usageArgs(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			var reps []*results.Report
			for _, a := range args {
				r, err := results.LoadReport(a)
				if err != nil {
					return err
				}
				if len(r.Results) == 0 && len(r.Transfers) == 0 {
					return fmt.Errorf("%w: %s holds no case to compare: its run finished none", compute.ErrUsage, a)
				}
				reps = append(reps, r)
			}
			c := results.Compare(reps)
			return writeStdout(stdout, func(w io.Writer) error {
				if format == report.FormatJSON {
					return report.JSON(w, comparisonJSON(args, reps, c))
				}
				report.Comparison(w, args, reps, c)
				return nil
			})
		},
	}
	addFormat(cmd, &format, "output: table or json", false, report.FormatTable, report.FormatJSON)
	return cmd
}

// comparedFile is a file of compare's JSON: its path, when it was
// measured and on what machine.
type comparedFile struct {
	Path    string    `json:"path"`
	Time    time.Time `json:"time"`
	Machine string    `json:"machine,omitempty"`
}

// comparedCase is a case of compare's JSON: Case names it
// (kernel/backend/shape/dtype), Times[i] is file i's timing (null where
// it lacks the case or the case did not verify), Speed[i] its speed
// over file 0's (0 where either is missing), WithinNoise[i] whether
// their min–max ranges overlap.
type comparedCase struct {
	Case        string          `json:"case"`
	Times       []*comparedTime `json:"times"`
	Speed       []float64       `json:"speed"`
	WithinNoise []bool          `json:"within_noise"`
}

// comparedTime is one file's timing of a case, in nanoseconds.
type comparedTime struct {
	MedianNs float64 `json:"median_ns"`
	MinNs    float64 `json:"min_ns"`
	MaxNs    float64 `json:"max_ns"`
}

// comparisonJSON is c, the comparison of reps read from the files
// names, as compare's --format json prints it: the files, the cases
// every file holds verified, and the partial ones.
func comparisonJSON(names []string, reps []*results.Report, c results.Comparison) any {
	out := struct {
		Files   []comparedFile `json:"files"`
		Cases   []comparedCase `json:"cases"`
		Partial []comparedCase `json:"partial"`
	}{Files: []comparedFile{}, Cases: []comparedCase{}, Partial: []comparedCase{}}
	for i, r := range reps {
		f := comparedFile{Path: names[i], Time: r.Time}
		if r.Probe != nil {
			f.Machine = r.Probe.Summary()
		}
		out.Files = append(out.Files, f)
	}
	for _, rows := range []struct {
		in  []results.Row
		out *[]comparedCase
	}{{c.Rows, &out.Cases}, {c.Partial, &out.Partial}} {
		for _, r := range rows.in {
			c := comparedCase{Case: r.Key.String(), Speed: r.Ratio, WithinNoise: r.Noise}
			for _, t := range r.Times {
				var ct *comparedTime
				if t != nil {
					ct = &comparedTime{t.MedianNs, t.MinNs, t.MaxNs}
				}
				c.Times = append(c.Times, ct)
			}
			*rows.out = append(*rows.out, c)
		}
	}
	return out
}
