package main

import (
	"fmt"
	"io"
	"strconv"

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
	var devices, wait bool
	format := report.FormatTable
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List kernels, and backends with whether they are available here and why not",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			asJSON := format == report.FormatJSON
			if devices {
				return listDevices(stdout, g.env.Registry, asJSON)
			}
			var ks []kernelInfo
			for _, k := range compute.Kernels() {
				ks = append(ks, kernelInfo{k.String(), k.Math(), k.ShapeHelp(), k.Inputs()})
			}
			opts := compute.Options{Device: -1, Disable: g.disable}
			// A hung driver holds list back listProbeWait at most, unless
			// asked to wait.
			var bs []compute.Availability
			if wait {
				bs = available(g.env.Registry, opts)
			} else {
				bs = availableWithin(g.env.Registry, opts, listProbeWait)
			}
			return writeStdout(stdout, func(w io.Writer) error {
				if asJSON {
					return report.JSON(w, struct {
						Kernels  []kernelInfo           `json:"kernels"`
						Backends []compute.Availability `json:"backends"`
					}{ks, bs})
				}
				listTable(w, ks, bs)
				return nil
			})
		},
	}
	addFormat(cmd, &format, "output: table or json", true, report.FormatTable, report.FormatJSON)
	cmd.Flags().BoolVar(&devices, "devices", false, "list the GPUs the gl backend can use (for --device N)")
	cmd.Flags().BoolVar(&wait, "wait", false, fmt.Sprintf("wait for gl's probe however long it takes (up to GPUBENCH_GL_PROBE_TIMEOUT), rather than list gl as not probed after %v", listProbeWait))
	return cmd
}

// listTable prints the kernels and the backends as two tables.
func listTable(w io.Writer, ks []kernelInfo, bs []compute.Availability) {
	rows := [][]string{{"KERNEL", "COMPUTES", "SIZE"}}
	for _, k := range ks {
		rows = append(rows, []string{k.Name, k.Math, k.Shapes})
	}
	report.Aligned(w, rows, []bool{false, false, false})
	fmt.Fprintln(w)
	rows = [][]string{{"BACKEND", "AVAILABLE", "WHAT"}}
	for _, b := range bs {
		what := b.Doc
		if !b.Available {
			what = b.Reason
		}
		avail := yesNo(b.Available)
		if b.NotProbed {
			avail = "unknown"
		}
		rows = append(rows, []string{b.Name, avail, what})
	}
	report.Aligned(w, rows, []bool{false, false, false})
}

// listDevices prints the devices --device N picks among: the gl
// backend's EGL devices, each with its index, name and driver, and why
// gl cannot run on it where it cannot.
func listDevices(w io.Writer, r *compute.Registry, asJSON bool) error {
	ds, err := r.ListDevices("gl")
	if err != nil {
		return err
	}

	return writeStdout(w, func(w io.Writer) error {
		if asJSON {
			if ds == nil {
				ds = []compute.DeviceEntry{}
			}
			return report.JSON(w, ds)
		}
		rows := [][]string{{"DEVICE", "NAME", "DRIVER", "WHAT"}}
		for _, d := range ds {
			what := d.Detail
			if d.Error != "" {
				what = "unusable: " + d.Error
			}
			rows = append(rows, []string{strconv.Itoa(d.Index), d.Name, d.Driver, what})
		}
		report.Aligned(w, rows, []bool{true, false, false, false})
		if len(ds) == 0 {
			fmt.Fprintln(w, "EGL lists no device: --device has nothing to pick; gl uses Mesa surfaceless or GLFW where they work")
		}
		return nil
	})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
