package mackerelui

import (
	"image/color"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/integrations/mackerel"
)

// Graph draws a Mackerel graph natively with canvas lines: the series over
// the period, a time axis, a value axis, reference lines and annotation
// bands with their titles. Hovering shows the time and the values under the
// pointer, and the annotation there.
type Graph struct {
	widget.BaseWidget

	data mackerel.GraphData
	refs []mackerel.ReferenceLine
	loc  *time.Location

	hovering bool
	hoverX   float32
	gen      int // counts SetData, to rebuild the plot
}

var _ desktop.Hoverable = (*Graph)(nil)

// NewGraph returns a graph of data; loc formats times (time.Local if nil).
func NewGraph(data mackerel.GraphData, refs []mackerel.ReferenceLine, loc *time.Location) *Graph {
	if loc == nil {
		loc = time.Local
	}
	g := &Graph{data: data, refs: refs, loc: loc}
	g.ExtendBaseWidget(g)
	return g
}

// SetData replaces the graph's data.
func (g *Graph) SetData(data mackerel.GraphData) {
	g.data = data
	g.gen++
	g.Refresh()
}

// MouseIn implements desktop.Hoverable.
func (g *Graph) MouseIn(e *desktop.MouseEvent) { g.MouseMoved(e) }

// MouseMoved implements desktop.Hoverable.
func (g *Graph) MouseMoved(e *desktop.MouseEvent) {
	g.hovering, g.hoverX = true, e.Position.X
	g.Refresh()
}

// MouseOut implements desktop.Hoverable.
func (g *Graph) MouseOut() {
	g.hovering = false
	g.Refresh()
}

// HoverText returns what the tooltip shows, "" when the pointer is away.
func (g *Graph) HoverText() string {
	if !g.hovering {
		return ""
	}
	return strings.Join(g.hoverLines(g.geometry(g.Size())), "\n")
}

// geometry is the plot area of a graph of a size.
type geometry struct {
	left, right, top, bottom float32
	from, to                 int64
	lo, hi                   float64
	ticks                    []float64
	titleRows                int
	rowH                     float32 // one row of annotation titles
}

// The layout of a graph at the default theme's caption size; everything
// scales with the caption size of the graph's theme, so that the projector
// theme of the facilitator view enlarges graphs like the rest.
const (
	graphLeft   = 44
	graphRight  = 8
	titleRowH   = 14
	axisLabelH  = 16
	legendH     = 16
	maxTitleRow = 3
)

// scale is the graph's text size relative to the default.
func (g *Graph) scale() float32 {
	return g.small() / theme.DefaultTheme().Size(theme.SizeNameCaptionText)
}

// small is the graph's text size (its theme's caption size).
func (g *Graph) small() float32 {
	return g.Theme().Size(theme.SizeNameCaptionText)
}

func (g *Graph) geometry(size fyne.Size) geometry {
	k := g.scale()
	geo := geometry{left: graphLeft * k, right: size.Width - graphRight*k, from: g.data.From.Unix(), to: g.data.To.Unix()}
	if geo.to <= geo.from {
		geo.to = geo.from + 1
	}
	geo.titleRows = min(maxTitleRow, len(g.data.Annotations))
	geo.rowH = titleRowH * k
	geo.top = 4 + float32(geo.titleRows)*geo.rowH
	geo.bottom = size.Height - (axisLabelH+legendH)*k
	extra := make([]float64, 0, len(g.refs))
	for _, r := range g.refs {
		extra = append(extra, r.Value)
	}
	lo, hi, _ := mackerel.ValueRange(g.data.Series, extra...)
	geo.ticks = mackerel.TicksFor(g.data.Series, lo, hi, max(3, int((geo.bottom-geo.top)/40)))
	geo.lo, geo.hi = geo.ticks[0], geo.ticks[len(geo.ticks)-1]
	return geo
}

func (geo geometry) x(t int64) float32 {
	return geo.left + float32(float64(t-geo.from)/float64(geo.to-geo.from))*(geo.right-geo.left)
}

func (geo geometry) y(v float64) float32 {
	return geo.bottom - float32((v-geo.lo)/(geo.hi-geo.lo))*(geo.bottom-geo.top)
}

func (geo geometry) t(x float32) int64 {
	return geo.from + int64(float64(x-geo.left)/float64(geo.right-geo.left)*float64(geo.to-geo.from))
}

// hoverLines is the tooltip at the pointer: the time, each series' value
// nearest to it, and the annotation there.
func (g *Graph) hoverLines(geo geometry) []string {
	x := min(max(g.hoverX, geo.left), geo.right)
	t := geo.t(x)
	lines := []string{time.Unix(t, 0).In(g.loc).Format("2006-01-02 15:04")}
	for _, s := range g.data.Series {
		if p, ok := nearest(s.Points, t); ok {
			lines = append(lines, s.Label+": "+mackerel.FormatValue(p.V))
		}
	}
	slack := int64(float64(geo.to-geo.from) / float64(max(1, geo.right-geo.left)) * 3)
	for _, a := range g.data.Annotations {
		if t >= a.From.Unix()-slack && t <= a.To.Unix()+slack {
			lines = append(lines, "▍"+a.Title+" ("+a.From.In(g.loc).Format("01/02 15:04")+" – "+
				a.To.In(g.loc).Format("01/02 15:04")+")")
			if a.Description != "" {
				lines = append(lines, "  "+a.Description)
			}
		}
	}
	return lines
}

func nearest(pts []mackerel.Point, t int64) (mackerel.Point, bool) {
	if len(pts) == 0 {
		return mackerel.Point{}, false
	}
	i := sort.Search(len(pts), func(i int) bool { return pts[i].T >= t })
	switch {
	case i == len(pts):
		return pts[i-1], true
	case i == 0:
		return pts[0], true
	case t-pts[i-1].T < pts[i].T-t:
		return pts[i-1], true
	}
	return pts[i], true
}

// CreateRenderer implements fyne.Widget.
func (g *Graph) CreateRenderer() fyne.WidgetRenderer {
	r := &graphRenderer{g: g, bg: canvas.NewRectangle(color.Transparent)}
	return r
}

// graphRenderer keeps the plot's canvas objects until the size, the data
// or the text size change: hovering redraws only the tooltip, scrolling and
// repainting reuse everything (new objects each frame made the painter
// cache a texture per label per frame).
type graphRenderer struct {
	g       *Graph
	bg      *canvas.Rectangle
	plot    []fyne.CanvasObject // everything but the tooltip
	tooltip []fyne.CanvasObject
	objects []fyne.CanvasObject
	size    fyne.Size
	// built is what the plot was built for.
	built struct {
		size  fyne.Size
		small float32
		gen   int
	}
}

func (r *graphRenderer) Destroy() {}

func (r *graphRenderer) MinSize() fyne.Size { return fyne.NewSize(160, 110) }

func (r *graphRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *graphRenderer) Layout(size fyne.Size) {
	r.size = size
	r.build()
}

func (r *graphRenderer) Refresh() {
	r.build()
	canvas.Refresh(r.g)
}

// build lays the plot out again if what it shows changed, and the tooltip.
func (r *graphRenderer) build() {
	small := r.g.small()
	if r.built.size != r.size || r.built.small != small || r.built.gen != r.g.gen {
		r.buildPlot()
		r.built.size, r.built.small, r.built.gen = r.size, small, r.g.gen
	}
	r.buildTooltip()
	r.objects = append(append(r.objects[:0], r.plot...), r.tooltip...)
}

var (
	gridColor = color.NRGBA{0x80, 0x80, 0x80, 0x40}
	refColor  = color.NRGBA{0xd0, 0x20, 0x20, 0xff}
	markColor = color.NRGBA{0xcc, 0x77, 0x00, 0xff}
)

func text(s string, c color.Color, size float32) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
	return t
}

// buildPlot lays the graph out for r.size.
func (r *graphRenderer) buildPlot() {
	g, size := r.g, r.size
	r.plot = make([]fyne.CanvasObject, 0, len(r.plot))
	r.bg.Resize(size)
	r.plot = append(r.plot, r.bg)
	if size.Width < 60 || size.Height < 60 {
		return
	}
	geo := g.geometry(size)
	th := g.Theme()
	muted := th.Color(theme.ColorNamePlaceHolder, fyne.CurrentApp().Settings().ThemeVariant())
	small := g.small()
	k := g.scale()

	// annotation bands and titles
	type span struct{ x0, x1 float32 }
	rows := make([][]span, geo.titleRows)
	for _, a := range g.data.Annotations {
		x0 := min(max(geo.x(a.From.Unix()), geo.left), geo.right)
		x1 := min(max(geo.x(a.To.Unix()), geo.left), geo.right)
		if x1-x0 < 2 {
			x1 = x0 + 2
		}
		band := canvas.NewRectangle(mackerel.AnnotationColor)
		band.Move(fyne.NewPos(x0, geo.top))
		band.Resize(fyne.NewSize(x1-x0, geo.bottom-geo.top))
		r.plot = append(r.plot, band)
		title := text(a.Title, markColor, small)
		w := title.MinSize().Width
		for w > 180*k && len([]rune(title.Text)) > 4 {
			rs := []rune(title.Text)
			title.Text = string(rs[:len(rs)-2]) + "…"
			w = title.MinSize().Width
		}
		tx := min(x0, geo.right-w)
		for i := range rows {
			free := true
			for _, s := range rows[i] {
				if tx < s.x1+4 && tx+w+4 > s.x0 {
					free = false
				}
			}
			if free {
				rows[i] = append(rows[i], span{tx, tx + w})
				title.Move(fyne.NewPos(tx, 2+float32(i)*geo.rowH))
				r.plot = append(r.plot, title)
				mark := canvas.NewLine(markColor)
				mark.Position1 = fyne.NewPos(x0, 2+float32(i+1)*geo.rowH-2)
				mark.Position2 = fyne.NewPos(x0, geo.top)
				r.plot = append(r.plot, mark)
				break
			}
		}
	}

	// value axis
	for _, v := range geo.ticks {
		y := geo.y(v)
		l := canvas.NewLine(gridColor)
		l.Position1, l.Position2 = fyne.NewPos(geo.left, y), fyne.NewPos(geo.right, y)
		lbl := text(mackerel.FormatValue(v), muted, small)
		lbl.Alignment = fyne.TextAlignTrailing
		lbl.Move(fyne.NewPos(0, y-lbl.MinSize().Height/2))
		lbl.Resize(fyne.NewSize(geo.left-4, lbl.MinSize().Height))
		r.plot = append(r.plot, l, lbl)
	}
	// time axis
	for _, t := range mackerel.TimeTicks(g.data.From, g.data.To, max(2, int((geo.right-geo.left)/(80*k))), g.loc) {
		x := geo.x(t.Unix())
		l := canvas.NewLine(gridColor)
		l.Position1, l.Position2 = fyne.NewPos(x, geo.top), fyne.NewPos(x, geo.bottom)
		lbl := text(mackerel.TimeLabel(t, g.loc), muted, small)
		lbl.Move(fyne.NewPos(x-lbl.MinSize().Width/2, geo.bottom+1))
		r.plot = append(r.plot, l, lbl)
	}

	// series
	buckets := max(1, int((geo.right-geo.left)/3))
	for i, s := range g.data.Series {
		c := mackerel.Palette[i%len(mackerel.Palette)]
		pts := mackerel.Decimate(s.Points, geo.from, geo.to, buckets)
		if len(pts) == 0 {
			continue
		}
		last := fyne.NewPos(geo.x(pts[0].T), geo.y(pts[0].V))
		for j := 1; j < len(pts); j++ {
			next := fyne.NewPos(geo.x(pts[j].T), geo.y(pts[j].V))
			// a segment smaller than a pixel both ways is not drawn by the
			// software painter: join such points to the next one
			if abs32(next.X-last.X) < 1 && abs32(next.Y-last.Y) < 1 && j < len(pts)-1 {
				continue
			}
			l := canvas.NewLine(c)
			l.StrokeWidth = 1.5
			l.Position1, l.Position2 = last, next
			r.plot = append(r.plot, l)
			last = next
		}
	}
	for _, ref := range g.refs {
		y := geo.y(ref.Value)
		l := canvas.NewLine(refColor)
		l.Position1, l.Position2 = fyne.NewPos(geo.left, y), fyne.NewPos(geo.right, y)
		lbl := text(ref.Label, refColor, small)
		lbl.Move(fyne.NewPos(geo.right-lbl.MinSize().Width, y))
		r.plot = append(r.plot, l, lbl)
	}
	// legend
	x := geo.left
	for i, s := range g.data.Series {
		lbl := text("■ "+s.Label, mackerel.Palette[i%len(mackerel.Palette)], small)
		w := lbl.MinSize().Width
		if x+w > geo.right {
			break
		}
		lbl.Move(fyne.NewPos(x, size.Height-legendH*k))
		r.plot = append(r.plot, lbl)
		x += w + 10
	}
	if len(g.data.Series) == 0 {
		lbl := text("no data", muted, small)
		lbl.Move(fyne.NewPos((geo.left+geo.right)/2-20, (geo.top+geo.bottom)/2))
		r.plot = append(r.plot, lbl)
	}
}

// buildTooltip draws the cursor line and the values under the pointer.
func (r *graphRenderer) buildTooltip() {
	g, size := r.g, r.size
	r.tooltip = r.tooltip[:0]
	if g.hovering && size.Width >= 60 && size.Height >= 60 {
		geo := g.geometry(size)
		th := g.Theme()
		v := fyne.CurrentApp().Settings().ThemeVariant()
		fg, muted, small := th.Color(theme.ColorNameForeground, v), th.Color(theme.ColorNamePlaceHolder, v), g.small()
		x := min(max(g.hoverX, geo.left), geo.right)
		cursor := canvas.NewLine(fg)
		cursor.Position1, cursor.Position2 = fyne.NewPos(x, geo.top), fyne.NewPos(x, geo.bottom)
		lines := g.hoverLines(geo)
		var texts []*canvas.Text
		var w, h float32
		for _, s := range lines {
			t := text(s, fg, small)
			texts = append(texts, t)
			w = max(w, t.MinSize().Width)
			h += t.MinSize().Height
		}
		tx := x + 8
		if tx+w+8 > size.Width {
			tx = max(0, x-w-16)
		}
		bg := canvas.NewRectangle(th.Color(theme.ColorNameOverlayBackground, v))
		bg.StrokeColor, bg.StrokeWidth = muted, 1
		bg.Move(fyne.NewPos(tx, geo.top))
		bg.Resize(fyne.NewSize(w+8, h+4))
		r.tooltip = append(r.tooltip, cursor, bg)
		y := geo.top + 2
		for _, t := range texts {
			t.Move(fyne.NewPos(tx+4, y))
			y += t.MinSize().Height
			r.tooltip = append(r.tooltip, t)
		}
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
