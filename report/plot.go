package report

import (
	"bytes"
	"fmt"
	"image/color"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/gpubench/gpubench/results"
)

// savePlot renders p to path (format by extension) atomically. gonum/plot
// panics on axes it cannot draw (a log scale over a value that is not
// positive); its callers check their values first, and a panic left is
// an error here, not a crash.
func savePlot(p *plot.Plot, path string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the plot cannot be drawn: %v", r)
		}
	}()
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	wt, err := p.WriterTo(16*vg.Centimeter, 11*vg.Centimeter, format)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return err
	}
	return results.WriteFileAtomic(path, buf.Bytes())
}

// PlotScale draws measured speedup against workers, the ideal line and,
// for strong scaling, the fitted Amdahl curve.
func PlotScale(path string, sr *results.ScaleReport) error {
	p := plot.New()
	view := "strong"
	if sr.Weak {
		view = "weak (scaled speedup)"
	}
	p.Title.Text = fmt.Sprintf("%s %s on %s: %s scaling", sr.Kernel, sr.DType, sr.Backend, view)
	p.X.Label.Text = "workers"
	p.Y.Label.Text = "speedup"
	p.Add(plotter.NewGrid())
	pts := make(plotter.XYs, len(sr.Points))
	maxN := 1.0
	for i, pt := range sr.Points {
		pts[i].X, pts[i].Y = float64(pt.Workers), pt.Speedup
		maxN = max(maxN, float64(pt.Workers))
	}
	measured, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	measured.GlyphStyle.Radius = vg.Points(3)
	ideal := plotter.NewFunction(func(x float64) float64 { return x })
	ideal.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	ideal.Color = color.Gray{Y: 120}
	p.Add(ideal, measured)
	p.Legend.Add("measured", measured)
	p.Legend.Add("ideal", ideal)
	if a := sr.Amdahl; a != nil {
		// Amdahl's law holds from one worker up; drawn to twice the
		// workers measured, it shows the speedup more cores would give.
		fit := plotter.NewFunction(a.Speedup)
		fit.XMin, fit.XMax = 1, 2*maxN
		fit.Color = color.RGBA{R: 200, A: 255}
		p.Add(fit)
		p.Legend.Add(fmt.Sprintf("Amdahl, p = %.3f", a.P), fit)
	}
	p.Legend.Top, p.Legend.Left = true, true
	xMax := maxN
	if sr.Amdahl != nil {
		xMax = 2 * maxN
	}
	p.X.Min, p.X.Max, p.Y.Min = 0, xMax*1.05, 0
	p.Y.Max = xMax * 1.05
	return savePlot(p, path)
}
