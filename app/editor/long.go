package editor

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/crdt/textsync"
)

// LongEditor is a multi-line, word-wrapping text editor for long notes,
// bound to a textsync.Binding like Editor. It keeps the text as lines and
// lays out and draws only the rows in its viewport, scrolling itself, so a
// keystroke costs the changed line and the visible rows whatever the
// length of the text (Entry re-lays out the whole text on every change).
// Positions count code points. Call its methods on the Fyne thread.
//
// Fyne has no input method composition events: Japanese text arrives as
// runes once the input method commits it.
type LongEditor struct {
	widget.BaseWidget

	// OnLocalSplice, if set, is called after each local edit reached the
	// binding, with the splice in code points.
	OnLocalSplice func(pos, del int, ins string)
	// OnError, if set, receives errors from the target (a failed splice or
	// commit). The edit stays visible; the next Pull shows the target's text.
	OnError func(error)
	// OnShortcut, if set, sees every shortcut first; when it returns true
	// the shortcut was the window's and the editor ignores it.
	OnShortcut func(fyne.Shortcut) bool

	b    *textsync.Binding
	text *textLines

	anchor, caret int
	// up shows a caret at a soft wrap at the end of the upper row.
	up bool
	// goalX is the x the caret keeps on vertical moves; < 0 when unset.
	goalX float32

	readOnly, focused, shift bool
	minRows                  int

	scrollY float32
	// pressed is set between MouseDown and Tapped; dragging and onBar
	// describe the current drag.
	pressed, dragging, onBar bool

	content *longContent
	adv     *advances
}

// NewLong returns a LongEditor showing t's text, bound to it with a new
// Binding.
func NewLong(t textsync.Target, opt textsync.Options) (*LongEditor, error) {
	b, err := textsync.New(t, opt)
	if err != nil {
		return nil, err
	}
	return NewLongWithBinding(b), nil
}

// NewLongWithBinding returns a LongEditor showing and editing b's view.
func NewLongWithBinding(b *textsync.Binding) *LongEditor {
	e := &LongEditor{b: b, text: newTextLines([]rune(b.Text())), goalX: -1, minRows: 3}
	e.content = &longContent{e: e}
	e.content.ExtendBaseWidget(e.content)
	e.ExtendBaseWidget(e)
	return e
}

// Binding returns the binding behind the editor.
func (e *LongEditor) Binding() *textsync.Binding { return e.b }

// Value returns the text shown.
func (e *LongEditor) Value() string { return e.text.String() }

// CursorTextOffset returns the caret's position in code points.
func (e *LongEditor) CursorTextOffset() int { return e.caret }

// Selection returns the selection's anchor (where it started) and caret as
// code point offsets; they are equal when nothing is selected.
func (e *LongEditor) Selection() (anchor, caret int) { return e.anchor, e.caret }

// SelectedText returns the selected text.
func (e *LongEditor) SelectedText() string {
	return string(e.text.slice(min(e.anchor, e.caret), max(e.anchor, e.caret)))
}

// Select sets the selection (anchor == caret: just a caret), clamped to
// the text, and scrolls the caret into view.
func (e *LongEditor) Select(anchor, caret int) {
	e.setSelection(anchor, caret)
	e.scrollToCaret()
	e.Refresh()
}

// SetReadOnly makes the editor refuse edits (typing, paste, cut, undo)
// while still allowing the caret to move and text to be selected and
// copied, and remote changes to be shown.
func (e *LongEditor) SetReadOnly(ro bool) { e.readOnly = ro }

// ReadOnly reports whether the editor refuses edits.
func (e *LongEditor) ReadOnly() bool { return e.readOnly }

// SetMinRowsVisible sets how many rows the editor shows at least.
func (e *LongEditor) SetMinRowsVisible(n int) {
	e.minRows = max(1, n)
	e.Refresh()
}

// SetOnError sets OnError.
func (e *LongEditor) SetOnError(f func(error)) { e.OnError = f }

// SetOnShortcut sets OnShortcut.
func (e *LongEditor) SetOnShortcut(f func(fyne.Shortcut) bool) { e.OnShortcut = f }

// SetOnLocalSplice sets OnLocalSplice.
func (e *LongEditor) SetOnLocalSplice(f func(pos, del int, ins string)) { e.OnLocalSplice = f }

// Flush commits the splices not committed yet (the binding commits in
// batches); call it when typing pauses.
func (e *LongEditor) Flush() error { return e.b.Flush() }

func (e *LongEditor) report(err error) {
	if err != nil && e.OnError != nil {
		e.OnError(err)
	}
}

func (e *LongEditor) setSelection(anchor, caret int) {
	n := e.text.Len()
	e.anchor, e.caret = max(0, min(anchor, n)), max(0, min(caret, n))
	e.up = false
}

// replace is a local edit: the runes between lo and hi become ins, and the
// caret goes after them.
func (e *LongEditor) replace(lo, hi int, ins string) {
	if e.readOnly || (lo == hi && ins == "") {
		return
	}
	err := e.b.Local(lo, hi-lo, ins)
	rs := []rune(ins)
	if err == nil {
		e.text.splice(lo, hi-lo, rs)
	} else {
		// The binding keeps what it could apply in its view: show that.
		e.resync()
	}
	at := lo + len(rs)
	e.setSelection(at, at)
	e.goalX = -1
	e.scrollToCaret()
	e.Refresh()
	if err != nil {
		e.report(err)
		return
	}
	if e.OnLocalSplice != nil {
		e.OnLocalSplice(lo, hi-lo, ins)
	}
}

// replaceSelection replaces the selection (or inserts at the caret).
func (e *LongEditor) replaceSelection(ins string) {
	e.replace(min(e.anchor, e.caret), max(e.anchor, e.caret), ins)
}

// resync makes the lines equal the binding's view by replacing the part
// between their common prefix and suffix (an O(text) comparison, for undo,
// redo and errors).
func (e *LongEditor) resync() {
	next := []rune(e.b.Text())
	cur := e.text
	p := 0
prefix:
	for l, line := range cur.lines {
		for _, r := range line.rs {
			if p >= len(next) || next[p] != r {
				break prefix
			}
			p++
		}
		if l < len(cur.lines)-1 {
			if p >= len(next) || next[p] != '\n' {
				break prefix
			}
			p++
		}
	}
	s := 0
	for s < cur.Len()-p && s < len(next)-p && cur.runeAt(cur.Len()-1-s) == next[len(next)-1-s] {
		s++
	}
	if p == cur.Len() && p == len(next) {
		return
	}
	cur.splice(p, cur.Len()-p-s, slices.Clone(next[p:len(next)-s]))
}

// Undo reverts the user's last own edit (never a peer's).
func (e *LongEditor) Undo() {
	if e.readOnly {
		return
	}
	caret, ok, err := e.b.Undo()
	e.afterHistory(caret, ok, err)
}

// Redo applies again the last edit undone.
func (e *LongEditor) Redo() {
	if e.readOnly {
		return
	}
	caret, ok, err := e.b.Redo()
	e.afterHistory(caret, ok, err)
}

func (e *LongEditor) afterHistory(caret int, ok bool, err error) {
	if ok || err != nil {
		e.resync()
	}
	e.report(err)
	if ok {
		e.setSelection(caret, caret)
		e.goalX = -1
		e.scrollToCaret()
		e.Refresh()
	}
}

// Pull shows the target's current text (after a merge of remote changes)
// with the caret and selection kept on the same characters, and the rows
// in view kept in place. This is what to call, inside fyne.Do, when the
// document of this section changed.
func (e *LongEditor) Pull() error {
	m, err := e.b.Pull()
	if err != nil {
		return err
	}
	e.show(m)
	return nil
}

// ApplyRemote shows text, which must be the target's current text, keeping
// the caret and selection on the same characters. Prefer Pull, which reads
// the text itself and so cannot show a text older than the last keystroke.
func (e *LongEditor) ApplyRemote(text string) {
	e.show(e.b.PullText(text))
}

// show applies the binding's new view, given the mapping from the old one.
func (e *LongEditor) show(m textsync.Mapping) {
	if m.Identity() {
		return
	}
	top, frac, ok := e.topOfView()
	next := []rune(e.b.Text())
	hs := m.Hunks()
	for i := len(hs) - 1; i >= 0; i-- {
		h := hs[i]
		e.text.splice(h.OldPos, h.OldLen, next[h.NewPos:h.NewPos+h.NewLen])
	}
	if e.text.Len() != len(next) {
		e.text.reset(next) // cannot happen while the lines mirror the view
	}
	up := e.up
	a, c := m.Selection(e.anchor, e.caret)
	e.setSelection(a, c)
	e.up = up && a == c
	if ok {
		e.keepTop(m.Map(top, textsync.StickLeft), frac)
	}
	e.Refresh()
}

// InsertAtCaret inserts s at the caret (replacing a selection) as a local
// edit, and leaves the caret after it: how a pinned graph or a pasted image
// link lands where the scribe is writing.
func (e *LongEditor) InsertAtCaret(s string) error {
	if e.readOnly {
		return errReadOnly
	}
	lo, hi := min(e.anchor, e.caret), max(e.anchor, e.caret)
	var failed error
	prev := e.OnError
	e.OnError = func(err error) { failed = err }
	e.replace(lo, hi, s)
	e.OnError = prev
	return failed
}
