package report

import (
	"bytes"
	"fmt"
	"image/color"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/gpubench/gpubench/results"
)

// Plots are 16 × 11 cm: a PNG at pngDPI is 1600 pixels wide, sharp on
// a high-density screen and in a README scaled to a column.
const (
	plotWidth  = 16 * vg.Centimeter
	plotHeight = 11 * vg.Centimeter
	pngDPI     = 254 // 16 cm = 6.3 in × 254 = 1600 px
)

// savePlot renders p at w × h to path (SVG or PNG, by its extension)
// atomically. An SVG embeds its fonts (gonum/plot's Liberation), so that
// it looks the same on a machine that has none of them installed.
func savePlot(p *plot.Plot, path string, w, h vg.Length) error {
	return saveCanvas(path, w, h, func(c draw.Canvas) { p.Draw(c) })
}

// saveCanvas renders what draws on a w × h canvas to path, as savePlot.
// gonum/plot panics on axes it cannot draw (a log scale over a value
// that is not positive); the callers check their values first, and a
// panic left is an error here, not a crash.
func saveCanvas(path string, w, h vg.Length, drawOn func(draw.Canvas)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the plot cannot be drawn: %v", r)
		}
	}()
	var c vg.CanvasWriterTo
	switch format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), "."); format {
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(true))
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))}
	default:
		return fmt.Errorf("unsupported plot format %q: use .svg or .png", format)
	}
	drawOn(draw.New(printableCanvas{c}))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return err
	}
	return results.WriteFileAtomic(path, buf.Bytes())
}

// printableCanvas draws every text as Printable writes it: a name read
// from a file (a backend, a kernel's label) cannot put a character in an
// SVG that XML does not allow there (an escape sequence's ESC, a byte
// that is not UTF-8), which would leave the file unreadable. vgsvg
// escapes XML's markup characters (<, &, ") itself.
type printableCanvas struct{ vg.CanvasSizer }

func (c printableCanvas) FillString(f font.Face, pt vg.Point, text string) {
	c.CanvasSizer.FillString(f, pt, Printable(text))
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
	return savePlot(p, path, plotWidth, plotHeight)
}
