package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// SpliceTarget is text that takes splices in code points (a section's notes).
type SpliceTarget interface {
	Text() (string, error)
	Splice(pos, del int, text string) error
}

// NotesEditor is a multi-line editor bound to a SpliceTarget: each change of
// the widget's text becomes one splice; ApplyRemote takes merged text in.
type NotesEditor struct {
	widget.Entry
	target  SpliceTarget
	onError func(error)
	last    []rune
	quiet   bool
}

// NewNotesEditor returns an editor showing target's text.
func NewNotesEditor(target SpliceTarget, onError func(error)) *NotesEditor {
	e := &NotesEditor{target: target, onError: onError}
	e.ExtendBaseWidget(e)
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(4)
	if t, err := target.Text(); err == nil {
		e.quiet = true
		e.SetText(t)
		e.quiet = false
		e.last = []rune(t)
	}
	e.OnChanged = e.changed
	return e
}

func commonPrefixSuffix(a, b []rune) (int, int) {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return p, s
}

func (e *NotesEditor) changed(text string) {
	if e.quiet {
		return
	}
	now := []rune(text)
	p, s := commonPrefixSuffix(e.last, now)
	del := len(e.last) - p - s
	ins := string(now[p : len(now)-s])
	e.last = now
	if del == 0 && ins == "" {
		return
	}
	if err := e.target.Splice(p, del, ins); err != nil && e.onError != nil {
		e.onError(err)
	}
}

// ApplyRemote shows text merged from elsewhere, keeping the caret on its
// character where the change is elsewhere.
func (e *NotesEditor) ApplyRemote(text string) {
	if text == e.Text {
		e.last = []rune(text)
		return
	}
	old := e.last
	now := []rune(text)
	caret := e.CursorTextOffset()
	p, s := commonPrefixSuffix(old, now)
	if caret >= len(old)-s {
		caret += len(now) - len(old)
	} else if caret > p {
		caret = p
	}
	e.quiet = true
	e.SetText(text)
	e.quiet = false
	e.last = now
	row, col := 0, 0
	for _, r := range now[:max(0, min(caret, len(now)))] {
		if r == '\n' {
			row, col = row+1, 0
		} else {
			col++
		}
	}
	e.CursorRow, e.CursorColumn = row, col
	e.Refresh()
}
