package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/report"
)

type kernelInfo struct {
	Name   string   `json:"name"`
	Math   string   `json:"math"`
	Shapes string   `json:"shapes"`
	Inputs []string `json:"inputs"`
}

func newList(stdout io.Writer, g *globals) *cobra.Command {
	var asJSON, devices bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List kernels, and backends with whether they are available here and why not",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if devices {
				return listDevices(stdout, asJSON)
			}
			var ks []kernelInfo
			for _, k := range compute.Kernels() {
				ks = append(ks, kernelInfo{k.String(), k.Math(), k.ShapeHelp(), k.Inputs()})
			}
			bs := compute.Available(compute.Options{Device: -1, Disable: g.disable})
			if asJSON {
				return report.JSON(stdout, struct {
					Kernels  []kernelInfo           `json:"kernels"`
					Backends []compute.Availability `json:"backends"`
				}{ks, bs})
			}
			rows := [][]string{{"KERNEL", "COMPUTES", "SIZE"}}
			for _, k := range ks {
				rows = append(rows, []string{k.Name, k.Math, k.Shapes})
			}
			report.Aligned(stdout, rows, []bool{false, false, false})
			fmt.Fprintln(stdout)
			rows = [][]string{{"BACKEND", "AVAILABLE", "WHAT"}}
			for _, b := range bs {
				what := b.Doc
				if !b.Available {
					what = b.Reason
				}
				rows = append(rows, []string{b.Name, yesNo(b.Available), what})
			}
			report.Aligned(stdout, rows, []bool{false, false, false})
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&devices, "devices", false, "list the GPUs the gl backend can use (for --device N)")
	return cmd
}

func listDevices(w io.Writer, asJSON bool) error {
	ds, err := compute.ListDevices("gl")
	if err != nil {
		return err
	}
	if asJSON {
		return report.JSON(w, ds)
	}
	for _, d := range ds {
		fmt.Fprintln(w, d)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
