package editor

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// FocusGained is part of fyne.Focusable.
func (e *LongEditor) FocusGained() {
	e.focused = true
	e.Refresh()
}

// FocusLost is part of fyne.Focusable; it commits pending splices.
func (e *LongEditor) FocusLost() {
	e.focused = false
	e.shift = false
	e.Refresh()
	e.report(e.b.Flush())
}

// AcceptsTab is part of fyne.Tabbable: Tab types a tab.
func (e *LongEditor) AcceptsTab() bool { return true }

// KeyDown is part of desktop.Keyable; shift held extends the selection.
func (e *LongEditor) KeyDown(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = true
	}
}

// KeyUp is part of desktop.Keyable.
func (e *LongEditor) KeyUp(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = false
	}
}

// TypedRune is part of fyne.Focusable: the rune replaces the selection.
func (e *LongEditor) TypedRune(r rune) {
	e.replaceSelection(string(r))
}

// TypedKey is part of fyne.Focusable.
func (e *LongEditor) TypedKey(k *fyne.KeyEvent) {
	lo, hi := min(e.anchor, e.caret), max(e.anchor, e.caret)
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		e.replaceSelection("\n")
	case fyne.KeyTab:
		e.replaceSelection("\t")
	case fyne.KeyBackspace:
		if lo == hi {
			lo = max(0, lo-1)
		}
		e.replace(lo, hi, "")
	case fyne.KeyDelete:
		if lo == hi {
			hi = min(e.text.Len(), hi+1)
		}
		e.replace(lo, hi, "")
	case fyne.KeyLeft:
		if lo != hi && !e.shift {
			e.moveTo(lo, false, false)
			return
		}
		e.moveTo(e.caret-1, e.shift, false)
	case fyne.KeyRight:
		if lo != hi && !e.shift {
			e.moveTo(hi, false, false)
			return
		}
		e.moveTo(e.caret+1, e.shift, false)
	case fyne.KeyUp:
		e.moveRows(-1, false)
	case fyne.KeyDown:
		e.moveRows(1, false)
	case fyne.KeyPageUp:
		e.moveRows(-e.pageRows(), true)
	case fyne.KeyPageDown:
		e.moveRows(e.pageRows(), true)
	case fyne.KeyHome:
		e.rowEdge(false)
	case fyne.KeyEnd:
		e.rowEdge(true)
	}
}

// TypedShortcut is part of fyne.Shortcutable: clipboard, select all,
// undo/redo (the binding's), and word-wise moves and deletes with the
// shortcut modifier (ctrl, or alt on macOS as in Entry).
func (e *LongEditor) TypedShortcut(s fyne.Shortcut) {
	if e.OnShortcut != nil && e.OnShortcut(s) {
		return
	}
	switch s := s.(type) {
	case *fyne.ShortcutUndo:
		e.Undo()
	case *fyne.ShortcutRedo:
		e.Redo()
	case *fyne.ShortcutSelectAll:
		e.Select(0, e.text.Len())
	case *fyne.ShortcutCopy:
		e.copy(s.Clipboard)
	case *fyne.ShortcutCut:
		if e.readOnly {
			return
		}
		e.copy(s.Clipboard)
		e.replaceSelection("")
	case *fyne.ShortcutPaste:
		if e.readOnly {
			return
		}
		c := s.Clipboard
		if c == nil {
			c = fyne.CurrentApp().Clipboard()
		}
		e.replaceSelection(strings.ReplaceAll(c.Content(), "\r", ""))
	case *desktop.CustomShortcut:
		e.customShortcut(s)
	}
}

func (e *LongEditor) customShortcut(s *desktop.CustomShortcut) {
	word := s.Modifier&^fyne.KeyModifierShift == fyne.KeyModifierShortcutDefault ||
		s.Modifier&^fyne.KeyModifierShift == fyne.KeyModifierAlt
	shift := s.Modifier&fyne.KeyModifierShift != 0
	switch {
	case s.KeyName == fyne.KeyZ && s.Modifier == fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift:
		e.Redo()
	case !word:
	case s.KeyName == fyne.KeyLeft:
		e.moveTo(e.wordLeft(e.caret), shift, false)
	case s.KeyName == fyne.KeyRight:
		e.moveTo(e.wordRight(e.caret), shift, false)
	case s.KeyName == fyne.KeyHome:
		e.moveTo(0, shift, false)
	case s.KeyName == fyne.KeyEnd:
		e.moveTo(e.text.Len(), shift, false)
	case s.KeyName == fyne.KeyBackspace && !shift:
		if e.anchor != e.caret {
			e.replaceSelection("")
			return
		}
		e.replace(e.wordLeft(e.caret), e.caret, "")
	case s.KeyName == fyne.KeyDelete && !shift:
		if e.anchor != e.caret {
			e.replaceSelection("")
			return
		}
		e.replace(e.caret, e.wordRight(e.caret), "")
	}
}

func (e *LongEditor) copy(c fyne.Clipboard) {
	if e.anchor == e.caret {
		return
	}
	if c == nil {
		c = fyne.CurrentApp().Clipboard()
	}
	c.SetContent(e.SelectedText())
}

// moveTo moves the caret to off, extending the selection if extend is set,
// and scrolls it into view. up shows a caret at a soft wrap on the upper
// row.
func (e *LongEditor) moveTo(off int, extend, up bool) {
	anchor := e.anchor
	if !extend {
		anchor = off
	}
	e.setSelection(anchor, off)
	e.up = up
	e.goalX = -1
	e.scrollToCaret()
	e.Refresh()
}

// moveRows moves the caret n visual rows down (up if negative), keeping
// its x; scroll also scrolls the view by as many rows (page up and down).
func (e *LongEditor) moveRows(n int, scroll bool) {
	m := e.layoutRows()
	if scroll {
		e.scrollY += float32(n) * m.rowH
		e.clampScroll(m)
	}
	row, x := e.caretX(m)
	if e.goalX >= 0 {
		x = e.goalX
	}
	target := row + n
	var off int
	up := false
	switch {
	case target < 0:
		off = 0
	case target >= e.text.rows():
		off = e.text.Len()
	default:
		off, up = e.atRowX(target, x, m)
	}
	e.moveTo(off, e.shift, up)
	e.goalX = x
}

// pageRows is the number of rows a page up or down moves.
func (e *LongEditor) pageRows() int {
	m := e.metrics()
	return max(1, int(e.viewSize().Height/m.rowH)-1)
}

// rowEdge moves the caret to the start or end of its visual row.
func (e *LongEditor) rowEdge(end bool) {
	e.layoutRows()
	l, c := e.text.pos(e.caret)
	line, from, to := e.text.rowAt(e.text.rowOf(l, c, e.up))
	if !end {
		e.moveTo(e.text.offset(line, from), e.shift, false)
		return
	}
	e.moveTo(e.text.offset(line, to), e.shift, to < len(e.text.lines[line].rs))
}

// wordLeft returns where a word-wise move left from off lands: before the
// spaces left of off and the word before them.
func (e *LongEditor) wordLeft(off int) int {
	for off > 0 && unicode.IsSpace(e.text.runeAt(off-1)) {
		off--
	}
	for off > 0 && !unicode.IsSpace(e.text.runeAt(off-1)) {
		off--
	}
	return off
}

// wordRight returns where a word-wise move right from off lands: after the
// spaces right of off and the word after them.
func (e *LongEditor) wordRight(off int) int {
	n := e.text.Len()
	for off < n && unicode.IsSpace(e.text.runeAt(off)) {
		off++
	}
	for off < n && !unicode.IsSpace(e.text.runeAt(off)) {
		off++
	}
	return off
}
