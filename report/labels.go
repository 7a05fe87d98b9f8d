package report

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// labels is a plotter that writes a text beside each of its points,
// none over another: each label takes the first place, among spots
// around its point and then further above and below, where it overlaps
// no label placed before it and no point, and stays inside the plot. A
// label placed away from its point gets a thin line to it.
type labels struct {
	xys   plotter.XYs
	texts []string
	style text.Style
}

// newLabels writes texts[i] beside xys[i], in a small font.
func newLabels(xys plotter.XYs, texts []string) *labels {
	return &labels{xys: xys, texts: texts, style: text.Style{
		Font:    font.From(plot.DefaultFont, vg.Points(7)),
		Handler: plot.DefaultTextHandler,
	}}
}

// Plot implements plot.Plotter.
func (l *labels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, len(l.xys))
	var taken []vg.Rectangle
	const glyph = vg.Length(3) // about a marker's radius, in points
	for i, xy := range l.xys {
		pts[i] = vg.Point{X: trX(xy.X), Y: trY(xy.Y)}
		taken = append(taken, vg.Rectangle{Min: pts[i].Sub(vg.Point{X: glyph, Y: glyph}), Max: pts[i].Add(vg.Point{X: glyph, Y: glyph})})
	}
	line := draw.LineStyle{Color: color.Gray{Y: 140}, Width: vg.Points(0.4)}
	for i, txt := range l.texts {
		w, h := l.style.Width(txt), l.style.Height(txt)
		spots := labelSpots(w, h)
		at := spots[0]
		for _, s := range spots {
			r := vg.Rectangle{Min: pts[i].Add(s), Max: pts[i].Add(s).Add(vg.Point{X: w, Y: h})}
			if inside(r, c.Rectangle) && !overlapsAny(r, taken) {
				at = s
				break
			}
		}
		corner := pts[i].Add(at)
		r := vg.Rectangle{Min: corner, Max: corner.Add(vg.Point{X: w, Y: h})}
		taken = append(taken, r)
		if far := at.Y > h || at.Y < -2*h; far {
			end := vg.Point{X: r.Min.X, Y: r.Min.Y + h/2}
			if at.X < 0 {
				end.X = r.Max.X
			}
			c.StrokeLine2(line, pts[i].X, pts[i].Y, end.X, end.Y)
		}
		c.FillText(l.style, corner, txt)
	}
}

// labelSpots are where a label of w × h may go, as offsets of its lower
// left corner from its point, best first: right and a little above,
// right below, left above, left below, then right and left ever further
// above and below.
func labelSpots(w, h vg.Length) []vg.Point {
	const gap = vg.Length(4)
	right, left := gap, -gap-w
	spots := []vg.Point{{X: right, Y: 1}, {X: right, Y: -h - 1}, {X: left, Y: 1}, {X: left, Y: -h - 1}}
	for k := 1; k <= 12; k++ {
		d := vg.Length(k) * (h + 1)
		spots = append(spots, vg.Point{X: right, Y: 1 + d}, vg.Point{X: right, Y: -h - 1 - d},
			vg.Point{X: left, Y: 1 + d}, vg.Point{X: left, Y: -h - 1 - d})
	}
	return spots
}

func overlapsAny(r vg.Rectangle, taken []vg.Rectangle) bool {
	for _, t := range taken {
		if r.Min.X < t.Max.X && t.Min.X < r.Max.X && r.Min.Y < t.Max.Y && t.Min.Y < r.Max.Y {
			return true
		}
	}
	return false
}

func inside(r, bounds vg.Rectangle) bool {
	return r.Min.X >= bounds.Min.X && r.Min.Y >= bounds.Min.Y && r.Max.X <= bounds.Max.X && r.Max.Y <= bounds.Max.Y
}
