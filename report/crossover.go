package report

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// CrossoverTable prints rep's transfers and, for each kernel swept, the
// time of a run of each size on both backends (the challenger's also end
// to end) with the challenger's speed over the base's, and the verdicts.
func CrossoverTable(w io.Writer, rep *results.Report) {
	w = PrintableTo(w)
	for _, t := range rep.Transfers {
		fmt.Fprintln(w, TransferSummary(t))
	}
	for _, c := range rep.Crossovers {
		fmt.Fprintf(w, "\n%s %v: %s against %s\n", c.Kernel, c.DType, c.Challenger, c.Base)
		e2e := c.Challenger + " E2E"
		rows := [][]string{{"SIZE", c.Base, c.Challenger, e2e, "SPEED", "SPEED E2E"}}
		for _, p := range c.Points {
			row := []string{formatSize(c.Kernel, p), formatDuration(p.BaseNs), formatDuration(p.ChallengerNs),
				formatDuration(p.ChallengerE2E), speed(p.BaseNs, p.ChallengerNs), speed(p.BaseE2ENs, p.ChallengerE2E)}
			if !p.Verified {
				row[4], row[5] = "FAIL", "FAIL"
			}
			rows = append(rows, row)
		}
		Aligned(w, rows, []bool{true, true, true, true, true, true})
		fmt.Fprintf(w, "%s wins, kernel only: %s\n", c.Challenger, Verdict(c, c.KernelOnly))
		fmt.Fprintf(w, "%s wins, end to end:  %s\n", c.Challenger, Verdict(c, c.EndToEnd))
		for _, n := range c.Notes {
			fmt.Fprintln(w, "  note: "+n)
		}
	}
	fmt.Fprintln(w, "\nTimes are the median of one run. E2E: the inputs uploaded, the kernel run and the result downloaded;",
		"a backend in host memory has nothing to copy. SPEED: the challenger's speed over the base's (above 1x it wins).")
	for _, d := range rep.Devices {
		if d.Software {
			fmt.Fprintf(w, "%s: %s is a software renderer on the CPU: where it loses, a real GPU may not.\n", d.Backend, d.Name)
		}
	}
}

// Verdict says from which size the challenger of c wins, or that it
// never does up to the largest size compared.
func Verdict(c results.Crossover, v results.Verdict) string {
	if v.UpTo == "" {
		return "no verified size to compare"
	}
	up := formatSize(c.Kernel, results.CrossPoint{Shape: v.UpTo, Size: v.UpToSize})
	if !v.Found {
		return fmt.Sprintf("never up to %s (%.2gx as fast there)", up, v.Speedup)
	}
	return fmt.Sprintf("from %s on (%.2gx as fast at %s)", formatSize(c.Kernel, results.CrossPoint{Shape: v.Shape, Size: v.Size}), v.Speedup, up)
}

// speed writes base/challenger as "0.25x"; "-" where either is missing.
func speed(base, challenger float64) string {
	if base <= 0 || challenger <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2gx", base/challenger)
}

// formatSize writes a vector length as 1Ki, 16Mi where it is a power of
// two's multiple, a square's side as n² (gemv, transpose) or n³ (gemm).
func formatSize(k compute.Kernel, p results.CrossPoint) string {
	if !k.Valid() {
		return p.Shape
	}
	switch k.Form() {
	case compute.MatrixForm:
		return fmt.Sprintf("%d²", p.Size)
	case compute.GEMMForm:
		return fmt.Sprintf("%d³", p.Size)
	}
	return formatCount(p.Size)
}

// formatCount writes n as 16Mi or 1Ki where it divides evenly, else in
// digits.
func formatCount(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMi", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKi", n>>10)
	}
	return fmt.Sprint(n)
}

// PlotCrossover draws each kernel of cs in a panel of its own, one
// above the other: the time of one run against the size on log-log
// axes, the base's and the challenger's kernel times as solid lines,
// their end to end times dashed, and where the challenger starts to win
// as a vertical line (solid: kernel only, dashed: end to end). Each
// panel's legend stands above its axes, in two columns (the lines, the
// verdicts), where it hides no point.
func PlotCrossover(path string, cs []results.Crossover) error {
	if len(cs) == 0 {
		return fmt.Errorf("no crossover to plot")
	}
	type panel struct {
		p              *plot.Plot
		lines, verdict plot.Legend
		rows           int // the most either legend holds
	}
	panels := make([]panel, len(cs))
	for i, c := range cs {
		p, lines, verdicts, rows, err := crossoverPanel(c)
		if err != nil {
			return err
		}
		panels[i] = panel{p, lines, verdicts, rows}
	}
	panelH := 10 * vg.Centimeter
	return saveCanvas(path, plotWidth, vg.Length(len(cs))*panelH, func(dc draw.Canvas) {
		for i, pn := range panels {
			top := dc.Max.Y - vg.Length(i)*panelH
			c := draw.Crop(dc, 2*vg.Millimeter, -2*vg.Millimeter, top-panelH-dc.Min.Y+2*vg.Millimeter, top-dc.Max.Y-2*vg.Millimeter)
			// Under the title a band as tall as the legend, pushing the
			// axes down: the legend never lies over a point.
			band := vg.Length(pn.rows) * (pn.lines.TextStyle.Rectangle("M").Max.Y + pn.lines.Padding)
			title := pn.p.Title.TextStyle.Height(pn.p.Title.Text)
			pn.p.Title.Padding = band + 2*vg.Millimeter
			pn.p.Draw(c)
			h := c.Max.Y - c.Min.Y
			legend := draw.Crop(c, 0, 0, h-title-band-vg.Millimeter, -title-vg.Millimeter)
			w := c.Max.X - c.Min.X
			pn.lines.Draw(draw.Crop(legend, 12*vg.Millimeter, -w*0.6, 0, 0))
			pn.verdict.Draw(draw.Crop(legend, w*0.4, 0, 0, 0))
		}
	})
}

func crossoverPanel(c results.Crossover) (p *plot.Plot, lines, verdicts plot.Legend, rows int, err error) {
	lines, verdicts = plot.NewLegend(), plot.NewLegend()
	p = plot.New()
	p.Title.Text = fmt.Sprintf("%s %v: %s against %s", c.Kernel, c.DType, c.Challenger, c.Base)
	p.X.Label.Text = "size"
	if k := c.Kernel; k.Valid() && k.Form() != compute.VectorForm && k.Form() != compute.ChainForm {
		p.X.Label.Text = "size (side of the square)"
	}
	p.Y.Label.Text = "time per run"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.Add(plotter.NewGrid())
	var ticks []plot.Tick
	ymin, ymax := math.Inf(1), 0.0
	series := []struct {
		name   string
		of     func(results.CrossPoint) float64
		colour int
		dashed bool
	}{
		{c.Base, func(q results.CrossPoint) float64 { return q.BaseNs }, 0, false},
		{c.Base + " end to end", func(q results.CrossPoint) float64 { return q.BaseE2ENs }, 0, true},
		{c.Challenger, func(q results.CrossPoint) float64 { return q.ChallengerNs }, 1, false},
		{c.Challenger + " end to end", func(q results.CrossPoint) float64 { return q.ChallengerE2E }, 1, true},
	}
	label := formatCount
	if p.X.Label.Text != "size" {
		label = func(n int) string { return fmt.Sprint(n) } // a square's side
	}
	for _, q := range c.Points {
		ticks = append(ticks, plot.Tick{Value: float64(q.Size), Label: label(q.Size)})
	}
	for si, s := range series {
		var xy plotter.XYs
		same := true // an end to end equal to the kernel time: nothing to copy, not drawn
		for _, q := range c.Points {
			v := s.of(q)
			if q.Verified && v > 0 {
				xy = append(xy, plotter.XY{X: float64(q.Size), Y: v})
				ymin, ymax = min(ymin, v), max(ymax, v)
			}
			if s.dashed && v != series[si-1].of(q) {
				same = false
			}
		}
		if len(xy) == 0 || s.dashed && same {
			continue
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, lines, verdicts, 0, err
		}
		l.Color, pts.Color = plotutil.Color(s.colour), plotutil.Color(s.colour)
		pts.Shape = draw.CircleGlyph{}
		pts.Radius = vg.Points(2)
		if s.dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			pts.Shape = draw.RingGlyph{}
		}
		p.Add(l, pts)
		lines.Add(s.name, l, pts)
		rows++
	}
	if ymax == 0 {
		ymin, ymax = 1, 10
	}
	p.Y.Min, p.Y.Max = ymin/2, ymax*2
	p.Y.Tick.Marker = durationTicks{}
	if len(c.Points) > 0 {
		p.X.Min, p.X.Max = float64(c.Points[0].Size)/1.5, float64(c.Points[len(c.Points)-1].Size)*1.5
	}
	p.X.Tick.Marker = plot.ConstantTicks(thin(ticks, 10))
	for _, v := range []struct {
		verdict results.Verdict
		what    string
		dashed  bool
	}{{c.KernelOnly, "kernel only", false}, {c.EndToEnd, "end to end", true}} {
		text := fmt.Sprintf("%s wins, %s: %s", c.Challenger, v.what, Verdict(c, v.verdict))
		mark, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: p.Y.Min}, {X: p.X.Min, Y: p.Y.Max}})
		if err != nil {
			return nil, lines, verdicts, 0, err
		}
		mark.Color, mark.Width = color.Gray{Y: 90}, vg.Points(1.2)
		if v.dashed {
			mark.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		if v.verdict.Found {
			x := float64(v.verdict.Size)
			mark.XYs[0].X, mark.XYs[1].X = x, x
			p.Add(mark)
		} else {
			mark.Color = color.Transparent
		}
		verdicts.Add(text, mark)
	}
	for _, l := range []*plot.Legend{&lines, &verdicts} {
		l.Top, l.Left = true, true
		l.TextStyle.Font.Size = vg.Points(7.5)
		l.ThumbnailWidth = vg.Points(20)
		l.Padding = vg.Points(1.5)
	}
	return p, lines, verdicts, max(rows, 2), nil
}

// thin keeps those of ticks, on a log axis, that lie at least 1/n of
// the axis' span from the one kept before them, so that their labels do
// not run into each other (the last step of a sweep may be 2× where the
// others are 4×). The last tick stays, in place of the one before it
// where they are close.
func thin(ticks []plot.Tick, n int) []plot.Tick {
	if len(ticks) < 2 {
		return ticks
	}
	last := ticks[len(ticks)-1]
	gap := math.Log(last.Value/ticks[0].Value) / float64(n)
	near := func(a, b plot.Tick) bool { return math.Log(b.Value/a.Value) < gap }
	out := ticks[:1:1]
	for _, t := range ticks[1 : len(ticks)-1] {
		if !near(out[len(out)-1], t) {
			out = append(out, t)
		}
	}
	if len(out) > 1 && near(out[len(out)-1], last) {
		out = out[:len(out)-1]
	}
	return append(out, last)
}

// durationTicks marks a log axis of nanoseconds at each power of ten,
// labelled with a unit: 100 ns, 1 µs, 10 ms.
type durationTicks struct{}

func (durationTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for e := math.Floor(math.Log10(max(lo, 1e-3))); e <= math.Ceil(math.Log10(hi)); e++ {
		v := math.Pow(10, e)
		if v >= lo && v <= hi {
			out = append(out, plot.Tick{Value: v, Label: formatPower(v)})
		}
	}
	return out
}

// formatPower writes a power of ten of nanoseconds with its unit:
// 100 ns, 1 µs, 10 ms, 1 s.
func formatPower(ns float64) string {
	for _, u := range []struct {
		name string
		size float64
	}{{"s", 1e9}, {"ms", 1e6}, {"µs", 1e3}} {
		if ns >= u.size {
			return fixed(ns/u.size, 0) + " " + u.name
		}
	}
	return fixed(ns, 0) + " ns"
}
