package editor

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// growState remembers the last height an Editor computed for its text, so
// that MinSize (called on every frame) measures again only after the text
// or the width changed.
type growState struct {
	on       bool
	minRows  int
	text     string
	width    float32
	rows     int
	adv      *advances
	textSize float32
}

// SetGrow makes the editor as tall as its wrapped text (at least minRows
// rows, plus one spare row), so that the page around it scrolls instead of
// the box: the scribe keeps what they wrote in sight. Off by default.
func (e *Editor) SetGrow(minRows int) {
	e.grow.on = minRows > 0
	e.grow.minRows = minRows
	e.grow.text = "\x00" // measure again
	e.Refresh()
}

// Rows returns the number of screen rows the text takes at the editor's
// width when growing (0 when not growing).
func (e *Editor) Rows() int {
	if !e.grow.on {
		return 0
	}
	e.measureRows()
	return e.grow.rows
}

// MinSize is part of fyne.Widget: when growing, tall enough for every row.
func (e *Editor) MinSize() fyne.Size {
	min := e.Entry.MinSize()
	if !e.grow.on {
		return min
	}
	e.measureRows()
	th := e.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	border := th.Size(theme.SizeNameInputBorder)
	rowH := e.RowHeight()
	h := rowH*float32(max(e.grow.rows+1, e.grow.minRows)) + 2*pad + 2*border
	min.Height = max(min.Height, h)
	return min
}

// RowHeight returns the height of one row of text.
func (e *Editor) RowHeight() float32 {
	th := e.Theme()
	return fyne.MeasureText("M", th.Size(theme.SizeNameText), e.TextStyle).Height
}

// CaretY returns the vertical position of the caret's row bottom inside
// the editor (for keeping it in view in a page that scrolls).
func (e *Editor) CaretY() float32 {
	th := e.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	return float32(e.CursorRow+1)*e.RowHeight() + pad
}

// measureRows counts the rows of the word-wrapped text at the current
// width, as Entry lays it out (the same break rules as LongEditor).
func (e *Editor) measureRows() {
	w := e.Size().Width
	if e.grow.text == e.Text && e.grow.width == w {
		return
	}
	th := e.Theme()
	size := th.Size(theme.SizeNameText)
	if e.grow.adv == nil || e.grow.textSize != size {
		e.grow.adv = newAdvances(size, e.TextStyle)
		e.grow.textSize = size
	}
	pad := th.Size(theme.SizeNameInnerPadding)
	border := th.Size(theme.SizeNameInputBorder)
	// the text is laid out inside the border and padding; keep a margin
	// for the scroll bar so that a row never wraps later than Entry's.
	wrapW := w - 2*pad - 2*border - th.Size(theme.SizeNameScrollBarSmall)
	rows := 0
	var breaks []int
	for line := range strings.SplitSeq(e.Text, "\n") {
		rs := []rune(line)
		breaks = wrapLine(rs, wrapW, e.grow.adv.advance, breaks[:0])
		rows += 1 + len(breaks)
	}
	e.grow.text, e.grow.width, e.grow.rows = e.Text, w, rows
}
