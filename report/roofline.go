package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// KernelPoint is one verified case of the last run placed on a roofline:
// its intensity, its rate, and the bound the roofline of its backend and
// dtype sets there.
type KernelPoint struct {
	Kernel    compute.Kernel `json:"kernel"`
	Backend   string         `json:"backend"`
	Shape     results.Shape  `json:"shape"`
	DType     compute.DType  `json:"dtype"`
	Intensity float64        `json:"intensity"`
	GFLOPS    float64        `json:"gflops"`
	// Bound is min(bandwidth·intensity, peak) of the matching roofline,
	// BoundBy "memory" or "compute", and Share GFLOPS/Bound; all zero
	// where no roofline of that backend and dtype was measured.
	Bound   float64 `json:"bound_gflops,omitempty"`
	BoundBy string  `json:"bound_by,omitempty"`
	Share   float64 `json:"share_of_bound,omitempty"`
}

// KernelPoints places every verified case of rep that does arithmetic,
// and counts those it leaves out because their figures are not numbers
// log-log axes can place (see placeable): rep is a file anyone may have
// written.
func KernelPoints(rep *results.Report, roofs []results.Roofline) (points []KernelPoint, dropped int) {
	if rep == nil {
		return nil, 0
	}
	var out []KernelPoint
	for _, r := range rep.Results {
		if !r.Verified || r.Flops == 0 {
			continue
		}
		if !placeable(r.Flops) || !placeable(r.Bytes) || !placeable(r.GFLOPS) || !placeable(r.Flops/r.Bytes) {
			dropped++
			continue
		}
		p := KernelPoint{Kernel: r.Kernel, Backend: r.Backend, Shape: r.Shape, DType: r.DType,
			Intensity: r.Flops / r.Bytes, GFLOPS: r.GFLOPS}
		for i := range roofs {
			rf := &roofs[i]
			if rf.Backend != r.Backend && !(rf.Backend == "cpu" && strings.HasPrefix(r.Backend, "cpu/")) {
				continue
			}
			for _, c := range rf.Ceilings {
				if c.DType == r.DType && c.PeakGFLOPS > 0 && rf.BandwidthGBps > 0 {
					p.Bound = rf.Attainable(c, p.Intensity)
					p.BoundBy = "memory"
					if p.Intensity >= c.Ridge {
						p.BoundBy = "compute"
					}
					p.Share = p.GFLOPS / p.Bound
				}
			}
		}
		out = append(out, p)
	}
	return out, dropped
}

// PlaceablePoints are those of points, read from a file, that name a
// kernel and a dtype and whose figures log-log axes can place (see
// placeable), and how many others it leaves out.
func PlaceablePoints(points []KernelPoint) (kept []KernelPoint, dropped int) {
	for _, p := range points {
		if !p.Kernel.Valid() || p.DType.Size() == 0 || !placeable(p.Intensity) || !placeable(p.GFLOPS) {
			dropped++
			continue
		}
		kept = append(kept, p)
	}
	return kept, dropped
}

// Bounds of a value on the plot's log axes: the axes reach a factor of
// 4 beyond the points, and a logarithm must stay finite there.
const minPlaceable, maxPlaceable = 1e-300, 1e300

// placeable reports whether x is a positive finite number within
// [minPlaceable, maxPlaceable].
func placeable(x float64) bool { return x >= minPlaceable && x <= maxPlaceable }

// RooflineJSON writes rep as JSON, as JSON writes it, with the kernels
// placed on its rooflines after its own fields, as "last_run_kernels".
func RooflineJSON(w io.Writer, rep *results.Report, points []KernelPoint) error {
	r, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	p, err := json.Marshal(points)
	if err != nil {
		return err
	}
	if len(r) < 2 || r[len(r)-1] != '}' {
		return fmt.Errorf("report: a report wrote %.20q, not a JSON object", r)
	}
	var b bytes.Buffer
	b.Write(r[:len(r)-1])
	if len(r) > 2 {
		b.WriteByte(',')
	}
	b.WriteString(`"last_run_kernels":`)
	b.Write(p)
	b.WriteByte('}')
	return JSON(w, json.RawMessage(b.Bytes()))
}

// RooflineTable prints each roofline of rep (bandwidth, peak, share of
// the estimate, ridge), its STREAM and sweep figures, and the kernels of
// the last run placed on them; lastNote says where those came from.
func RooflineTable(w io.Writer, rep *results.Report, points []KernelPoint, lastNote string) {
	w = PrintableTo(w)
	rows := [][]string{{"BACKEND", "DTYPE", "BANDWIDTH", "PEAK (fma)", "THEORETICAL", "SHARE", "RIDGE"}}
	for _, r := range rep.Rooflines {
		name := r.Backend
		if r.Level != "" && strings.HasPrefix(r.Backend, "cpu") {
			name += "/" + r.Level
		}
		if r.Software {
			name += " (sw)"
		}
		for _, c := range r.Ceilings {
			theo, share := "-", "-"
			if c.TheoreticalGFLOPS > 0 {
				theo = fmt.Sprintf("%s GFLOP/s", formatRate(c.TheoreticalGFLOPS, 1))
				share = fixed(100*c.PeakGFLOPS/c.TheoreticalGFLOPS, 0) + "%"
			}
			ridge := "-"
			if c.Ridge > 0 {
				ridge = fmt.Sprintf("%.3g FLOP/B", c.Ridge)
			}
			rows = append(rows, []string{name, c.DType.String(), fmt.Sprintf("%s GB/s", formatRate(r.BandwidthGBps, 1)),
				fmt.Sprintf("%s GFLOP/s", formatRate(c.PeakGFLOPS, 1)), theo, share, ridge})
		}
	}
	Aligned(w, rows, []bool{false, false, true, true, true, true, true})
	fmt.Fprintln(w)
	for _, r := range rep.Rooflines {
		var s []string
		for _, k := range []compute.Kernel{compute.Copy, compute.Scale, compute.Add, compute.Triad} {
			if v, ok := r.Stream[k.String()]; ok {
				s = append(s, fmt.Sprintf("%s %s", k, formatRate(v, 1)))
			}
		}
		fmt.Fprintf(w, "%s: %s; STREAM GB/s (%s arrays): %s\n", r.Backend, r.Device, results.FormatBytes(r.StreamBytes), strings.Join(s, ", "))
		for _, c := range r.Ceilings {
			var pts []string
			for _, p := range c.Sweep {
				v := formatRate(p.GFLOPS, 1)
				if !p.Verified {
					v = "FAIL"
				}
				pts = append(pts, fmt.Sprintf("%g→%s", p.Intensity, v))
			}
			fmt.Fprintf(w, "  %v sweep, FLOP/B→GFLOP/s: %s\n", c.DType, strings.Join(pts, " "))
		}
		for _, n := range r.Notes {
			fmt.Fprintln(w, "  note: "+n)
		}
	}
	fmt.Fprintln(w, "PEAK is the fma kernel's best verified rate; THEORETICAL the probe's estimate; RIDGE = PEAK / BANDWIDTH.")
	if len(points) > 0 {
		fmt.Fprintln(w)
		rows = [][]string{{"KERNEL", "SHAPE", "DTYPE", "BACKEND", "FLOP/B", "GFLOP/S", "BOUND", "SHARE", "BOUND BY"}}
		for _, p := range points {
			row := []string{p.Kernel.String(), p.Shape.String(), p.DType.String(), p.Backend, fmt.Sprintf("%.3g", p.Intensity), formatRate(p.GFLOPS, 1), "-", "-", "-"}
			if p.Bound > 0 {
				row[6], row[7], row[8] = formatRate(p.Bound, 1), fixed(100*p.Share, 0)+"%", p.BoundBy
			}
			rows = append(rows, row)
		}
		Aligned(w, rows, []bool{false, true, false, false, true, true, true, true, false})
		for _, p := range points {
			if p.Share > 1 {
				fmt.Fprintln(w, "SHARE over 100%: that case's data fit in a cache, which the memory roof (STREAM on arrays beyond the caches) does not describe.")
				break
			}
		}
	}
	if lastNote != "" {
		fmt.Fprintln(w, lastNote)
	}
}

// PlotRoofline draws each roofline (bandwidth slope and compute ceiling
// per backend and dtype, the theoretical peak dashed, the sweep as
// points) on log-log axes, with the last run's kernels labelled.
func PlotRoofline(path string, roofs []results.Roofline, points []KernelPoint) error {
	p := plot.New()
	p.Title.Text = "Roofline"
	p.X.Label.Text = "arithmetic intensity (FLOP/byte)"
	p.Y.Label.Text = "GFLOP/s"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Add(plotter.NewGrid())

	lo, hi := 1.0/16, 512.0
	for _, k := range points {
		lo, hi = min(lo, k.Intensity/2), max(hi, k.Intensity*2)
	}
	ymin, ymax := math.Inf(1), 0.0
	see := func(y float64) {
		if y > 0 && !math.IsInf(y, 0) {
			ymin, ymax = min(ymin, y), max(ymax, y)
		}
	}
	i := 0
	for _, r := range roofs {
		for _, c := range r.Ceilings {
			if r.BandwidthGBps <= 0 || c.PeakGFLOPS <= 0 {
				continue
			}
			col := plotutil.Color(i)
			name := fmt.Sprintf("%s %v", r.Backend, c.DType)
			ridge := min(max(c.Ridge, lo), hi)
			roof, err := plotter.NewLine(plotter.XYs{{X: lo, Y: r.Attainable(c, lo)}, {X: ridge, Y: r.Attainable(c, ridge)}, {X: hi, Y: c.PeakGFLOPS}})
			if err != nil {
				return err
			}
			roof.Color, roof.Width = col, vg.Points(1.5)
			p.Add(roof)
			p.Legend.Add(fmt.Sprintf("%s: %s GB/s, %s GFLOP/s", name, formatRate(r.BandwidthGBps, 1), formatRate(c.PeakGFLOPS, 1)), roof)
			see(r.Attainable(c, lo))
			see(c.PeakGFLOPS)
			if t := c.TheoreticalGFLOPS; t > 0 {
				th, err := plotter.NewLine(plotter.XYs{{X: lo, Y: t}, {X: hi, Y: t}})
				if err != nil {
					return err
				}
				th.Color, th.Dashes = col, []vg.Length{vg.Points(4), vg.Points(3)}
				p.Add(th)
				p.Legend.Add(name+" theoretical peak", th)
				see(t)
			}
			var sweep plotter.XYs
			for _, s := range c.Sweep {
				if s.Verified && s.GFLOPS > 0 {
					sweep = append(sweep, plotter.XY{X: s.Intensity, Y: s.GFLOPS})
					see(s.GFLOPS)
				}
			}
			if len(sweep) > 0 {
				sc, err := plotter.NewScatter(sweep)
				if err != nil {
					return err
				}
				sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = col, vg.Points(2.5), draw.CircleGlyph{}
				p.Add(sc)
				p.Legend.Add(name+" fma sweep", sc)
			}
			i++
		}
	}
	if len(points) > 0 {
		var xy plotter.XYs
		var names []string
		for _, k := range points {
			xy = append(xy, plotter.XY{X: k.Intensity, Y: k.GFLOPS})
			names = append(names, fmt.Sprintf("%s %s/%s", k.Kernel, k.Backend, strings.TrimPrefix(k.DType.String(), "float")))
			see(k.GFLOPS)
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = draw.CrossGlyph{}, vg.Points(3.5)
		p.Add(sc)
		p.Legend.Add("last run's kernels", sc)
		p.Add(newLabels(xy, names))
	}
	if ymax == 0 {
		ymin, ymax = 0.1, 10
	}
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = ymin/2, ymax*4
	// Bottom right: under the ceiling and right of the slope, the one
	// corner a roofline leaves empty.
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	return savePlot(p, path, plotWidth, plotHeight)
}
