package mackerelui

import (
	"fyne.io/fyne/v2"

	"github.com/pwg-team/pwg/integrations/mackerel"
)

// gridLayout places objects on Mackerel's 24-column dashboard grid: each
// object has the Layout of its widget, in grid units.
type gridLayout struct {
	cells     []mackerel.Layout // one per object, in order
	rowHeight float32           // pixels per grid row
	minColumn float32           // narrowest column
	gap       float32
	// scale, if set, multiplies the row height (larger type, taller rows).
	scale func() float32
}

func (l *gridLayout) rowH() float32 {
	if l.scale == nil {
		return l.rowHeight
	}
	return l.rowHeight * l.scale()
}

var _ fyne.Layout = (*gridLayout)(nil)

func (l *gridLayout) rows() int {
	n := 0
	for _, c := range l.cells {
		n = max(n, c.Y+c.Height)
	}
	return n
}

// Layout implements fyne.Layout.
func (l *gridLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	col := size.Width / mackerel.GridColumns
	rowH := l.rowH()
	for i, o := range objects {
		if i >= len(l.cells) {
			o.Hide()
			continue
		}
		c := l.cells[i]
		x := min(max(c.X, 0), mackerel.GridColumns-1)
		w := min(max(c.Width, 1), mackerel.GridColumns-x)
		o.Move(fyne.NewPos(float32(x)*col+l.gap/2, float32(c.Y)*rowH+l.gap/2))
		o.Resize(fyne.NewSize(float32(w)*col-l.gap, float32(max(c.Height, 1))*rowH-l.gap))
	}
}

// MinSize implements fyne.Layout.
func (l *gridLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(l.minColumn*mackerel.GridColumns, float32(l.rows())*l.rowH())
}
