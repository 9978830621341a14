package editor

import (
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Entry exposes its caret as row and column (screen rows when wrapping) and
// its selection only as SelectedText. The functions here read and set both
// by text offset without refreshing the entry: rows are found by probing
// CursorTextOffset, the selection's anchor is read by moving the caret to
// the start and reading SelectedText, and a selection is made with the same
// events a shift-click makes.

// rowCol returns the row and column of a code point offset in the current
// layout, choosing the later row at a soft line wrap as Entry does.
func (e *Editor) rowCol(off int) (row, col int) {
	saveR, saveC := e.CursorRow, e.CursorColumn
	defer func() { e.CursorRow, e.CursorColumn = saveR, saveC }()
	begin := func(r int) int {
		e.CursorRow, e.CursorColumn = r, 0
		return e.CursorTextOffset()
	}
	// Rows beyond the last one report offset 0, like row 0.
	ok := func(r int) bool {
		if r == 0 {
			return true
		}
		b := begin(r)
		return b > 0 && b <= off
	}
	lo, hi := 0, off+1 // ok(lo), and no row r > off can begin at or before off
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if ok(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, off - begin(lo)
}

// Selection returns the selection's anchor (where it started) and caret as
// code point offsets; they are equal when nothing is selected.
func (e *Editor) Selection() (anchor, caret int) {
	caret = e.CursorTextOffset()
	n := utf8.RuneCountInString(e.SelectedText())
	switch {
	case n == 0:
		return caret, caret
	case caret-n < 0:
		return caret + n, caret
	case caret+n > utf8.RuneCountInString(e.Text):
		return caret - n, caret
	}
	a := e.anchorByProbe()
	if a == 0 {
		// The probe ended a selection anchored at the start: make it again.
		e.place(0, caret)
	}
	return a, caret
}

// anchorByProbe reads the anchor of the current selection by moving the
// caret to the start, where the selected text runs from the start to the
// anchor. DragEnd syncs the selection's copy of the caret without a refresh;
// if the anchor is the start itself, it ends the selection and 0 is
// returned. The caret is put back.
func (e *Editor) anchorByProbe() int {
	saveR, saveC := e.CursorRow, e.CursorColumn
	e.CursorRow, e.CursorColumn = 0, 0
	e.Entry.DragEnd()
	a := utf8.RuneCountInString(e.SelectedText())
	e.CursorRow, e.CursorColumn = saveR, saveC
	e.Entry.DragEnd()
	return a
}

// present shows text with the given selection (anchor == caret: just a
// caret), refreshing the entry once.
func (e *Editor) present(text string, anchor, caret int) {
	e.dropSelection()
	if text == e.Text {
		e.place(anchor, caret)
		e.Refresh()
		return
	}
	// Entry calls OnChanged after laying out the new text's rows and before
	// refreshing: place the caret there, so one refresh draws both.
	prev := e.OnChanged
	e.OnChanged = func(string) { e.place(anchor, caret) }
	e.Entry.SetText(text)
	e.OnChanged = prev
}

// dropSelection ends any selection, including the empty "selecting" state
// Entry can be left in (anchor on the caret), which would otherwise turn
// into a selection when the caret moves.
func (e *Editor) dropSelection() {
	// DragEnd ends selecting when the caret is on the anchor: that ends
	// the empty state at once.
	e.Entry.DragEnd()
	if e.SelectedText() == "" {
		return
	}
	saveR, saveC := e.CursorRow, e.CursorColumn
	if a := e.anchorByProbe(); a > 0 {
		e.CursorRow, e.CursorColumn = e.rowCol(a)
		e.Entry.DragEnd()
	}
	e.CursorRow, e.CursorColumn = saveR, saveC
	e.Entry.DragEnd()
	if e.SelectedText() != "" {
		// The anchor sits at a soft line wrap on the other row than the
		// one rowCol chose: Left without shift ends the selection (at the
		// cost of a refresh).
		e.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	}
}

// place sets the caret, and the selection from anchor if it differs, in the
// current layout; the caller refreshes. A selection is only rebuilt in a
// focused editor (an unfocused one does not show it, and making it would
// move the focus).
func (e *Editor) place(anchor, caret int) {
	if anchor != caret && e.focused && e.rendered {
		// Shift held at the anchor sets the selection start there; a
		// secondary click with shift held starts selecting without moving
		// anything.
		e.CursorRow, e.CursorColumn = e.rowCol(anchor)
		e.Entry.DragEnd()
		e.Entry.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		e.Entry.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonSecondary})
		e.Entry.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	}
	e.CursorRow, e.CursorColumn = e.rowCol(caret)
	e.Entry.DragEnd()
}
