package editor

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// metrics are the theme's sizes the editor lays out with.
type metrics struct {
	textSize, rowH, pad, border, bar float32
}

func (e *LongEditor) metrics() metrics {
	th := e.Theme()
	ts := th.Size(theme.SizeNameText)
	m := metrics{
		textSize: ts,
		rowH:     fyne.MeasureText("M", ts, fyne.TextStyle{}).Height,
		pad:      th.Size(theme.SizeNameInnerPadding),
		border:   th.Size(theme.SizeNameInputBorder),
		bar:      th.Size(theme.SizeNameScrollBarSmall),
	}
	if e.adv == nil || e.adv.size != ts {
		e.adv = newAdvances(ts, fyne.TextStyle{})
	}
	return m
}

// viewSize is the size of the scrolled area (inside the border).
func (e *LongEditor) viewSize() fyne.Size { return e.content.Size() }

// layoutRows wraps the lines to the view's width and returns the metrics.
func (e *LongEditor) layoutRows() metrics {
	m := e.metrics()
	e.text.setWrap(e.viewSize().Width-2*m.pad, e.adv.advance)
	return m
}

// textHeight is the height of the whole text with its padding.
func (e *LongEditor) textHeight(m metrics) float32 {
	return float32(e.text.rows())*m.rowH + 2*m.pad
}

func (e *LongEditor) clampScroll(m metrics) {
	limit := max(0, e.textHeight(m)-e.viewSize().Height)
	e.scrollY = max(0, min(e.scrollY, limit))
}

// scrollToCaret scrolls the least needed to show the caret's row.
func (e *LongEditor) scrollToCaret() {
	h := e.viewSize().Height
	if h <= 0 {
		return
	}
	m := e.layoutRows()
	l, c := e.text.pos(e.caret)
	y := m.pad + float32(e.text.rowOf(l, c, e.up))*m.rowH
	if y-m.pad < e.scrollY {
		e.scrollY = y - m.pad
	} else if y+m.rowH+m.pad > e.scrollY+h {
		e.scrollY = y + m.rowH + m.pad - h
	}
	e.clampScroll(m)
}

// topOfView returns the offset where the first row in view starts and how
// far the view is scrolled past that row's top.
func (e *LongEditor) topOfView() (off int, frac float32, ok bool) {
	if e.viewSize().Height <= 0 || e.scrollY <= 0 {
		return 0, 0, false
	}
	m := e.layoutRows()
	r := max(0, int((e.scrollY-m.pad)/m.rowH))
	line, from, _ := e.text.rowAt(r)
	r = e.text.rowOf(line, from, false)
	return e.text.offset(line, from), e.scrollY - (m.pad + float32(r)*m.rowH), true
}

// keepTop scrolls so that the row starting at off is where topOfView found
// the first row.
func (e *LongEditor) keepTop(off int, frac float32) {
	m := e.layoutRows()
	l, c := e.text.pos(off)
	e.scrollY = m.pad + float32(e.text.rowOf(l, c, false))*m.rowH + frac
	e.clampScroll(m)
}

// measure returns the width of rs drawn as one row.
func (e *LongEditor) measure(rs []rune, m metrics) float32 {
	if len(rs) == 0 {
		return 0
	}
	return fyne.MeasureText(string(rs), m.textSize, fyne.TextStyle{}).Width
}

// colAt returns the column of row rs nearest to x.
func (e *LongEditor) colAt(rs []rune, x float32, m metrics) int {
	lo, hi := 0, len(rs) // smallest k with width(rs[:k]) >= x
	for lo < hi {
		mid := (lo + hi) / 2
		if e.measure(rs[:mid], m) >= x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo > 0 && lo <= len(rs) {
		a, b := e.measure(rs[:lo-1], m), e.measure(rs[:lo], m)
		if x-a < b-x {
			lo--
		}
	}
	return lo
}

// hit returns the text position at p (in the view's coordinates) and
// whether it is the end of a soft-wrapped row.
func (e *LongEditor) hit(p fyne.Position) (off int, up bool) {
	m := e.layoutRows()
	r := int((p.Y + e.scrollY - m.pad) / m.rowH)
	if p.Y+e.scrollY-m.pad < 0 {
		r = 0
	}
	if n := e.text.rows(); r >= n {
		return e.text.Len(), false
	}
	return e.atRowX(r, p.X-m.pad, m)
}

// atRowX returns the position nearest to x on visual row r.
func (e *LongEditor) atRowX(r int, x float32, m metrics) (off int, up bool) {
	line, from, to := e.text.rowAt(r)
	rs := e.text.lines[line].rs
	col := from + e.colAt(rs[from:to], x, m)
	return e.text.offset(line, col), col == to && to < len(rs)
}

// caretX returns the x of the caret in its row, from the text's left edge.
func (e *LongEditor) caretX(m metrics) (row int, x float32) {
	l, c := e.text.pos(e.caret)
	row = e.text.rowOf(l, c, e.up)
	_, from, _ := e.text.rowAt(row)
	return row, e.measure(e.text.lines[l].rs[from:c], m)
}

// CreateRenderer is part of fyne.Widget.
func (e *LongEditor) CreateRenderer() fyne.WidgetRenderer {
	r := &longRenderer{e: e, box: canvas.NewRectangle(color.Transparent), border: canvas.NewRectangle(color.Transparent)}
	r.objects = []fyne.CanvasObject{r.box, r.border, e.content}
	r.applyTheme()
	return r
}

// longRenderer draws the editor's box and border around its content.
type longRenderer struct {
	e           *LongEditor
	box, border *canvas.Rectangle
	objects     []fyne.CanvasObject
}

func (r *longRenderer) Destroy() {}

func (r *longRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *longRenderer) Layout(size fyne.Size) {
	m := r.e.metrics()
	b := m.border
	r.border.Resize(fyne.NewSize(size.Width-b-.5, size.Height-b-.5))
	r.border.StrokeWidth = b
	r.border.Move(fyne.NewSquareOffsetPos(b / 2))
	r.box.Resize(size.Subtract(fyne.NewSquareSize(2 * b)))
	r.box.Move(fyne.NewSquareOffsetPos(b))
	r.e.content.Move(fyne.NewSquareOffsetPos(b))
	r.e.content.Resize(size.Subtract(fyne.NewSquareSize(2 * b)))
}

func (r *longRenderer) MinSize() fyne.Size {
	m := r.e.metrics()
	w := fyne.MeasureText("M", m.textSize, fyne.TextStyle{}).Width
	return fyne.NewSize(w+2*(m.pad+m.border), float32(r.e.minRows)*m.rowH+2*(m.pad+m.border))
}

func (r *longRenderer) applyTheme() {
	th := r.e.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.box.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.box.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.border.CornerRadius = r.box.CornerRadius
	r.border.FillColor = color.Transparent
	if r.e.focused {
		r.border.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	} else {
		r.border.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	}
}

func (r *longRenderer) Refresh() {
	r.applyTheme()
	r.box.Refresh()
	r.border.Refresh()
	r.e.content.Refresh()
}

// longContent is the scrolled area: it clips the rows (Fyne clips
// Scrollable objects) and forwards scrolling to the editor.
type longContent struct {
	widget.BaseWidget
	e *LongEditor
}

// Scrolled is part of fyne.Scrollable.
func (c *longContent) Scrolled(ev *fyne.ScrollEvent) { c.e.Scrolled(ev) }

// CreateRenderer is part of fyne.Widget.
func (c *longContent) CreateRenderer() fyne.WidgetRenderer {
	r := &contentRenderer{e: c.e, caret: canvas.NewRectangle(color.Transparent), bar: canvas.NewRectangle(color.Transparent)}
	r.rebuild()
	return r
}

// contentRenderer keeps one canvas.Text per row in view, one rectangle per
// selected row in view, the caret and the scroll bar.
type contentRenderer struct {
	e          *LongEditor
	texts      []*canvas.Text
	sels       []*canvas.Rectangle
	caret, bar *canvas.Rectangle
	objects    []fyne.CanvasObject
}

func (r *contentRenderer) Destroy() {}

func (r *contentRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *contentRenderer) MinSize() fyne.Size { return fyne.Size{} }

func (r *contentRenderer) Layout(fyne.Size) { r.update() }

func (r *contentRenderer) Refresh() { r.update() }

func (r *contentRenderer) rebuild() {
	r.objects = r.objects[:0]
	for _, s := range r.sels {
		r.objects = append(r.objects, s)
	}
	for _, t := range r.texts {
		r.objects = append(r.objects, t)
	}
	r.objects = append(r.objects, r.caret, r.bar)
}

// update lays out the rows in view.
func (r *contentRenderer) update() {
	e := r.e
	size := e.viewSize()
	m := e.layoutRows()
	e.clampScroll(m)
	th := e.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, v)
	selColor := th.Color(theme.ColorNameSelection, v)

	nrows := e.text.rows()
	first := max(0, int((e.scrollY-m.pad)/m.rowH))
	last := min(nrows-1, int((e.scrollY+size.Height-m.pad)/m.rowH))
	if size.Height <= 0 {
		last = first - 1
	}
	lo, hi := min(e.anchor, e.caret), max(e.anchor, e.caret)
	type shown struct {
		s string
		y float32
	}
	var rows []shown
	ns := 0
	for row := first; row <= last; row++ {
		line, from, to := e.text.rowAt(row)
		rs := e.text.lines[line].rs
		y := m.pad + float32(row)*m.rowH - e.scrollY
		rows = append(rows, shown{string(rs[from:to]), y})

		base := e.text.starts[line]
		a, z := base+from, base+to
		newline := to == len(rs) && line < len(e.text.lines)-1
		if lo < hi && lo <= z && hi > a && (lo < z || newline) {
			x0 := e.measure(rs[from:max(lo, a)-base], m)
			x1 := e.measure(rs[from:min(hi, z)-base], m)
			if newline && hi > z {
				x1 += m.textSize / 3
			}
			if ns == len(r.sels) {
				r.sels = append(r.sels, canvas.NewRectangle(selColor))
			}
			sr := r.sels[ns]
			ns++
			sr.FillColor = selColor
			sr.Move(fyne.NewPos(m.pad+x0, y))
			sr.Resize(fyne.NewSize(x1-x0, m.rowH))
			sr.Show()
			sr.Refresh()
		}
	}
	for _, s := range r.sels[ns:] {
		s.Hide()
	}

	// A row whose text was in view already keeps its canvas.Text (a
	// graphics driver keeps its rendering): scrolling and inserting lines
	// only move them; only new or changed rows are drawn anew.
	same := map[string][]*canvas.Text{}
	for _, t := range r.texts {
		if t.Visible() && t.Color == fg && t.TextSize == m.textSize {
			same[t.Text] = append(same[t.Text], t)
		}
	}
	used := make(map[*canvas.Text]bool, len(rows))
	placed := make([]*canvas.Text, len(rows))
	for i, row := range rows {
		if ts := same[row.s]; len(ts) > 0 {
			placed[i], same[row.s] = ts[0], ts[1:]
			used[ts[0]] = true
		}
	}
	var spare []*canvas.Text
	for _, t := range r.texts {
		if !used[t] {
			spare = append(spare, t)
		}
	}
	for i, row := range rows {
		t := placed[i]
		if t == nil {
			if len(spare) > 0 {
				t, spare = spare[0], spare[1:]
			} else {
				t = canvas.NewText("", fg)
			}
			t.Text, t.Color, t.TextSize = row.s, fg, m.textSize
			t.Show()
			t.Refresh()
			placed[i] = t
		}
		t.Move(fyne.NewPos(m.pad, row.y))
		t.Resize(fyne.NewSize(size.Width-2*m.pad, m.rowH))
	}
	for _, t := range spare {
		t.Hide()
	}
	r.texts = append(placed, spare...)
	r.rebuild()

	r.caret.Hide()
	if e.focused && size.Height > 0 {
		row, x := e.caretX(m)
		if row >= first && row <= last {
			r.caret.FillColor = th.Color(theme.ColorNamePrimary, v)
			r.caret.Move(fyne.NewPos(m.pad+x, m.pad+float32(row)*m.rowH-e.scrollY))
			r.caret.Resize(fyne.NewSize(m.border, m.rowH))
			r.caret.Show()
		}
	}
	r.caret.Refresh()

	total := e.textHeight(m)
	if total > size.Height && size.Height > 0 {
		h := max(size.Height*size.Height/total, m.rowH)
		y := e.scrollY / (total - size.Height) * (size.Height - h)
		r.bar.FillColor = th.Color(theme.ColorNameScrollBar, v)
		r.bar.CornerRadius = m.bar / 2
		r.bar.Move(fyne.NewPos(size.Width-m.bar-1, y))
		r.bar.Resize(fyne.NewSize(m.bar, h))
		r.bar.Show()
	} else {
		r.bar.Hide()
	}
	r.bar.Refresh()
}
