// Package editor is the section editor of the minutes, bound to shared
// Automerge text through crdt/textsync. Every keystroke becomes the exact
// splice it made; remote changes are shown with the caret and selection
// kept on the same characters; undo and redo revert only the user's own
// edits.
//
// Two editors implement Notes: Editor extends Fyne's multi-line Entry, which
// lays out its whole text on every change (fine for short notes: 2 ms per
// keystroke at 5,000 characters, 36 ms at 20,000); LongEditor keeps the
// text as lines and lays out only the rows in view (about 30 µs per
// keystroke at 5,000 to 50,000 characters). NewFor picks one by length
// (LongThreshold) and Promote switches a growing section over.
package editor

import (
	"errors"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app/i18n"
	"github.com/pwg-team/pwg/crdt/textsync"
)

// Editor is a multi-line, word-wrapping text entry bound to a
// textsync.Binding. Call its methods on the Fyne thread (inside fyne.Do when
// coming from another goroutine).
//
// The text comes from the binding: do not call SetText or Append, or set
// Entry's OnChanged (used internally); use Pull, ApplyRemote and
// OnLocalSplice.
type Editor struct {
	widget.Entry

	// OnLocalSplice, if set, is called after each local edit reached the
	// binding, with the splice in code points.
	OnLocalSplice func(pos, del int, ins string)
	// OnError, if set, receives errors from the target (a failed splice or
	// commit). The edit stays visible; the next Pull shows the target's text.
	OnError func(error)
	// OnShortcut, if set, sees every shortcut first; when it returns true
	// the shortcut was the window's and the editor ignores it.
	OnShortcut func(fyne.Shortcut) bool

	b        *textsync.Binding
	grow     growState
	minRows  int
	readOnly bool
	focused  bool
	rendered bool
}

// New returns an editor showing t's text, bound to it with a new Binding.
func New(t textsync.Target, opt textsync.Options) (*Editor, error) {
	b, err := textsync.New(t, opt)
	if err != nil {
		return nil, err
	}
	return NewWithBinding(b), nil
}

// NewWithBinding returns an editor showing and editing b's view.
func NewWithBinding(b *textsync.Binding) *Editor {
	e := &Editor{b: b}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	e.Entry.SetText(b.Text())
	return e
}

// Binding returns the binding behind the editor.
func (e *Editor) Binding() *textsync.Binding { return e.b }

// CreateRenderer is part of fyne.Widget.
func (e *Editor) CreateRenderer() fyne.WidgetRenderer {
	e.rendered = true
	return e.Entry.CreateRenderer()
}

// SetReadOnly makes the editor refuse edits (typing, paste, cut, undo)
// while still allowing the caret to move and text to be selected and
// copied, and remote changes to be shown.
func (e *Editor) SetReadOnly(ro bool) { e.readOnly = ro }

// ReadOnly reports whether the editor refuses edits.
func (e *Editor) ReadOnly() bool { return e.readOnly }

// FocusGained is part of fyne.Focusable.
func (e *Editor) FocusGained() {
	e.focused = true
	e.Entry.FocusGained()
}

// FocusLost is part of fyne.Focusable; it commits pending splices.
func (e *Editor) FocusLost() {
	e.focused = false
	e.Entry.FocusLost()
	e.report(e.b.Flush())
}

// Flush commits the splices not committed yet (the binding commits in
// batches); call it when typing pauses.
func (e *Editor) Flush() error { return e.b.Flush() }

func (e *Editor) report(err error) {
	if err != nil && e.OnError != nil {
		e.OnError(err)
	}
}

// edit runs one of Entry's editing handlers and sends the splice it made to
// the binding. The splice starts at or before the smaller caret offset,
// which decides its place in runs of identical characters.
func (e *Editor) edit(run func()) {
	before := e.Text
	hint := e.CursorTextOffset()
	run()
	after := e.Text
	if after == before {
		return
	}
	hint = min(hint, e.CursorTextOffset())
	pos, del, ins := textsync.SpliceBetween(before, after, hint)
	if err := e.b.Local(pos, del, ins); err != nil {
		e.report(err)
		return
	}
	if e.OnLocalSplice != nil {
		e.OnLocalSplice(pos, del, ins)
	}
}

// TypedRune is part of fyne.Focusable.
func (e *Editor) TypedRune(r rune) {
	if e.readOnly {
		return
	}
	e.edit(func() { e.Entry.TypedRune(r) })
}

// TypedKey is part of fyne.Focusable.
func (e *Editor) TypedKey(k *fyne.KeyEvent) {
	if e.readOnly {
		switch k.Name {
		case fyne.KeyBackspace, fyne.KeyDelete, fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab:
			return
		}
	}
	e.edit(func() { e.Entry.TypedKey(k) })
}

// TypedShortcut is part of fyne.Shortcutable. Undo and redo are the
// binding's; everything else (paste, cut, ctrl+backspace) goes through
// Entry and becomes a splice.
func (e *Editor) TypedShortcut(s fyne.Shortcut) {
	if e.OnShortcut != nil && e.OnShortcut(s) {
		return
	}
	switch s := s.(type) {
	case *fyne.ShortcutUndo:
		e.Undo()
		return
	case *fyne.ShortcutRedo:
		e.Redo()
		return
	case *desktop.CustomShortcut:
		if s.KeyName == fyne.KeyZ && s.Modifier == fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift {
			e.Redo()
			return
		}
		if e.readOnly && (s.KeyName == fyne.KeyBackspace || s.KeyName == fyne.KeyDelete) {
			return
		}
	case *fyne.ShortcutPaste, *fyne.ShortcutCut:
		if e.readOnly {
			return
		}
	}
	e.edit(func() { e.Entry.TypedShortcut(s) })
}

// Undo reverts the user's last own edit (never a peer's).
func (e *Editor) Undo() {
	if e.readOnly {
		return
	}
	caret, ok, err := e.b.Undo()
	e.report(err)
	if ok {
		e.present(e.b.Text(), caret, caret)
	}
}

// Redo applies again the last edit undone.
func (e *Editor) Redo() {
	if e.readOnly {
		return
	}
	caret, ok, err := e.b.Redo()
	e.report(err)
	if ok {
		e.present(e.b.Text(), caret, caret)
	}
}

// Pull shows the target's current text (after a merge of remote changes)
// with the caret and selection kept on the same characters. This is what to
// call, inside fyne.Do, when the document of this section changed.
func (e *Editor) Pull() error {
	anchor, caret := e.Selection()
	m, err := e.b.Pull()
	if err != nil {
		return err
	}
	na, nc := m.Selection(anchor, caret)
	e.present(e.b.Text(), na, nc)
	return nil
}

// ApplyRemote shows text, which must be the target's current text, keeping
// the caret and selection on the same characters. Prefer Pull, which reads
// the text itself and so cannot show a text older than the last keystroke.
func (e *Editor) ApplyRemote(text string) {
	anchor, caret := e.Selection()
	m := e.b.PullText(text)
	na, nc := m.Selection(anchor, caret)
	e.present(e.b.Text(), na, nc)
}

// TappedSecondary shows the editor's own context menu, whose undo and redo
// are the binding's (Entry's would revert remote text).
func (e *Editor) TappedSecondary(pe *fyne.PointEvent) {
	showContextMenu(e, e.b, e.readOnly, e.Undo, e.Redo, e.TypedShortcut, pe)
}

// InsertAtCaret inserts s at the caret (replacing a selection) as a local
// edit, and leaves the caret after it: how a pinned graph or a pasted image
// link lands where the scribe is writing.
func (e *Editor) InsertAtCaret(s string) error {
	if e.readOnly {
		return errReadOnly
	}
	anchor, caret := e.Selection()
	lo, hi := min(anchor, caret), max(anchor, caret)
	if err := e.b.Local(lo, hi-lo, s); err != nil {
		return err
	}
	at := lo + len([]rune(s))
	e.present(e.b.Text(), at, at)
	if e.OnLocalSplice != nil {
		e.OnLocalSplice(lo, hi-lo, s)
	}
	return nil
}

var errReadOnly = errors.New("the notes are read-only")

// showContextMenu shows an editor's context menu at pe; its undo and redo
// are the binding's (Entry's would revert remote text).
func showContextMenu(w fyne.Widget, b *textsync.Binding, readOnly bool, undo, redo func(), shortcut func(fyne.Shortcut), pe *fyne.PointEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(w)
	if c == nil {
		return
	}
	clip := fyne.CurrentApp().Clipboard()
	var items []*fyne.MenuItem
	if !readOnly {
		u := fyne.NewMenuItem(i18n.T("Undo"), undo)
		u.Disabled = !b.CanUndo()
		r := fyne.NewMenuItem(i18n.T("Redo"), redo)
		r.Disabled = !b.CanRedo()
		items = append(items, u, r, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(i18n.T("Cut"), func() { shortcut(&fyne.ShortcutCut{Clipboard: clip}) }))
	}
	items = append(items, fyne.NewMenuItem(i18n.T("Copy"), func() { shortcut(&fyne.ShortcutCopy{Clipboard: clip}) }))
	if !readOnly {
		items = append(items, fyne.NewMenuItem(i18n.T("Paste"), func() { shortcut(&fyne.ShortcutPaste{Clipboard: clip}) }))
	}
	items = append(items, fyne.NewMenuItem(i18n.T("Select all"), func() { shortcut(&fyne.ShortcutSelectAll{}) }))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c,
		fyne.CurrentApp().Driver().AbsolutePositionForObject(w).Add(pe.Position))
}
