package editor

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Cursor is part of desktop.Cursorable.
func (e *LongEditor) Cursor() desktop.Cursor { return desktop.TextCursor }

// Scrolled is part of fyne.Scrollable.
func (e *LongEditor) Scrolled(ev *fyne.ScrollEvent) {
	e.scrollY -= ev.Scrolled.DY
	e.clampScroll(e.layoutRows())
	e.content.Refresh()
}

// ScrollOffset returns how far the text is scrolled down, in pixels.
func (e *LongEditor) ScrollOffset() float32 { return e.scrollY }

// inView converts a position in the editor to one in the scrolled area.
func (e *LongEditor) inView(p fyne.Position) fyne.Position {
	return p.Subtract(e.content.Position())
}

// onScrollBar reports whether p (in the editor) is on the scroll bar's
// strip.
func (e *LongEditor) onScrollBar(p fyne.Position) bool {
	m := e.metrics()
	return p.X >= e.Size().Width-m.border-m.pad && e.textHeight(m) > e.viewSize().Height
}

func (e *LongEditor) requestFocus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil && c.Focused() != e {
		c.Focus(e)
	}
}

// place puts the caret at p (in the editor), extending the selection if
// extend is set.
func (e *LongEditor) place(p fyne.Position, extend bool) {
	off, up := e.hit(e.inView(p))
	e.moveTo(off, extend, up)
}

// MouseDown is part of desktop.Mouseable: a primary press places the
// caret (shift extends the selection) and starts a drag selection.
func (e *LongEditor) MouseDown(ev *desktop.MouseEvent) {
	e.requestFocus()
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	e.pressed = true
	if e.onScrollBar(ev.Position) {
		return
	}
	e.place(ev.Position, e.shift || ev.Modifier&fyne.KeyModifierShift != 0)
}

// MouseUp is part of desktop.Mouseable.
func (e *LongEditor) MouseUp(*desktop.MouseEvent) {}

// Tapped is part of fyne.Tappable. A click has placed the caret on
// MouseDown already; a tap without one (touch, tests) places it here.
func (e *LongEditor) Tapped(ev *fyne.PointEvent) {
	if e.pressed {
		e.pressed = false
		return
	}
	e.requestFocus()
	e.place(ev.Position, e.shift)
}

// DoubleTapped is part of fyne.DoubleTappable: it selects the word (or run
// of spaces) under the caret.
func (e *LongEditor) DoubleTapped(*fyne.PointEvent) {
	isSpace := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }
	at := e.caret
	if at == e.text.Len() || e.text.runeAt(at) == '\n' {
		at--
	}
	if at < 0 {
		return
	}
	space := isSpace(e.text.runeAt(at))
	lo, hi := at, at+1
	for lo > 0 && isSpace(e.text.runeAt(lo-1)) == space && e.text.runeAt(lo-1) != '\n' {
		lo--
	}
	for hi < e.text.Len() && isSpace(e.text.runeAt(hi)) == space && e.text.runeAt(hi) != '\n' {
		hi++
	}
	e.Select(lo, hi)
}

// Dragged is part of fyne.Draggable: it extends the selection to the
// pointer, scrolling when the pointer leaves the view, or drags the
// scroll bar.
func (e *LongEditor) Dragged(d *fyne.DragEvent) {
	e.pressed = false
	if !e.dragging {
		e.dragging = true
		start := d.Position.Subtract(d.Dragged)
		e.onBar = e.onScrollBar(start)
	}
	if e.onBar {
		m := e.layoutRows()
		h := e.viewSize().Height
		if total := e.textHeight(m); total > h && h > 0 {
			e.scrollY += d.Dragged.DY * total / h
			e.clampScroll(m)
			e.content.Refresh()
		}
		return
	}
	e.place(d.Position, true)
}

// DragEnd is part of fyne.Draggable.
func (e *LongEditor) DragEnd() {
	e.dragging, e.onBar = false, false
}

// TappedSecondary shows the editor's context menu; undo and redo are the
// binding's.
func (e *LongEditor) TappedSecondary(pe *fyne.PointEvent) {
	showContextMenu(e, e.b, e.readOnly, e.Undo, e.Redo, e.TypedShortcut, pe)
}
