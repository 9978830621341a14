package app

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/integrations/review"
)

// miniChart is a small chart without axes: a line (the error budget left,
// with the zero line) or bars (cost per month, the last one highlighted).
// It is drawn with canvas objects, rebuilt on resize.
type miniChart struct {
	widget.BaseWidget
	values []float64 // NaN: a gap
	bars   bool
	min    fyne.Size
}

// newBudgetChart draws the budget left over the period (1 = untouched).
func newBudgetChart(pts []review.BudgetPoint) *miniChart {
	vs := make([]float64, len(pts))
	for i, p := range pts {
		vs[i] = math.NaN()
		if p.Remaining.Valid() {
			vs[i] = float64(p.Remaining)
		}
	}
	c := &miniChart{values: vs, min: fyne.NewSize(160, 36)}
	c.ExtendBaseWidget(c)
	return c
}

// newCostChart draws the months' (projected) cost as bars.
func newCostChart(months []review.CostMonth) *miniChart {
	vs := make([]float64, len(months))
	for i, m := range months {
		vs[i] = m.Projected
	}
	c := &miniChart{values: vs, bars: true, min: fyne.NewSize(300, 70)}
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer implements fyne.Widget.
func (c *miniChart) CreateRenderer() fyne.WidgetRenderer {
	r := &miniChartRenderer{c: c}
	r.Layout(c.Size())
	return r
}

type miniChartRenderer struct {
	c    *miniChart
	objs []fyne.CanvasObject
}

func (r *miniChartRenderer) Destroy()                     {}
func (r *miniChartRenderer) MinSize() fyne.Size           { return r.c.min }
func (r *miniChartRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *miniChartRenderer) Refresh()                     { r.Layout(r.c.Size()) }

func (r *miniChartRenderer) Layout(size fyne.Size) {
	r.objs = r.objs[:0]
	vs := r.c.values
	if len(vs) == 0 || size.Width <= 0 || size.Height <= 0 {
		return
	}
	lo, hi := 0.0, 0.0
	for _, v := range vs {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if !r.c.bars {
		hi = math.Max(hi, 1)
	}
	if hi == lo {
		hi = lo + 1
	}
	y := func(v float64) float32 { return size.Height - float32((v-lo)/(hi-lo))*size.Height }
	fg := theme.Color(theme.ColorNameForeground)
	if r.c.bars {
		w := size.Width / float32(len(vs))
		for i, v := range vs {
			if math.IsNaN(v) {
				continue
			}
			col := theme.Color(theme.ColorNameDisabled)
			if i == len(vs)-1 {
				col = theme.Color(theme.ColorNamePrimary)
			}
			b := canvas.NewRectangle(col)
			b.Move(fyne.NewPos(float32(i)*w+1, y(v)))
			b.Resize(fyne.NewSize(w-2, size.Height-y(v)))
			r.objs = append(r.objs, b)
		}
		return
	}
	zero := canvas.NewLine(theme.Color(theme.ColorNameError))
	zero.Position1, zero.Position2 = fyne.NewPos(0, y(0)), fyne.NewPos(size.Width, y(0))
	full := canvas.NewLine(color.NRGBA{0x80, 0x80, 0x80, 0x60})
	full.Position1, full.Position2 = fyne.NewPos(0, y(1)), fyne.NewPos(size.Width, y(1))
	r.objs = append(r.objs, zero, full)
	step := size.Width / float32(max(1, len(vs)-1))
	for i := 1; i < len(vs); i++ {
		a, b := vs[i-1], vs[i]
		if math.IsNaN(a) || math.IsNaN(b) {
			continue
		}
		col := fg
		if b < 0 {
			col = theme.Color(theme.ColorNameError)
		}
		l := canvas.NewLine(col)
		l.StrokeWidth = 2
		l.Position1 = fyne.NewPos(float32(i-1)*step, y(a))
		l.Position2 = fyne.NewPos(float32(i)*step, y(b))
		r.objs = append(r.objs, l)
	}
}
