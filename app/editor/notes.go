package editor

import (
	"fyne.io/fyne/v2"

	"github.com/pwg-team/pwg/crdt/textsync"
)

// LongThreshold is the length, in code points, from which NewFor returns a
// LongEditor: below it Fyne's Entry (Editor) shows a keystroke well within a
// frame; above it Entry's whole-text layout grows past one, and a remote
// keystroke costs the UI goroutine Entry's whole-text SetText (2.9 ms p50 at
// 5,000 characters, 0.45 ms with LongEditor: BenchmarkRemoteKeystrokeUI).
const LongThreshold = 4000

// Notes is a section's notes editor bound to a textsync.Binding: Editor or
// LongEditor. Its methods are called on the Fyne thread.
type Notes interface {
	fyne.Widget
	fyne.Focusable

	// Value returns the text shown.
	Value() string
	// CursorTextOffset returns the caret's position in code points.
	CursorTextOffset() int
	// Selection returns the selection's anchor and caret in code points.
	Selection() (anchor, caret int)
	// InsertAtCaret inserts s at the caret as a local edit.
	InsertAtCaret(s string) error
	// Pull shows the target's current text, keeping caret and selection on
	// their characters.
	Pull() error
	// ApplyRemote shows text, the target's current text.
	ApplyRemote(text string)
	// Flush commits the splices not committed yet.
	Flush() error
	// Undo reverts the user's last own edit.
	Undo()
	// Redo applies again the last edit undone.
	Redo()
	// SetReadOnly makes the editor refuse edits.
	SetReadOnly(bool)
	// ReadOnly reports whether the editor refuses edits.
	ReadOnly() bool
	// SetMinRowsVisible sets how many rows are shown at least.
	SetMinRowsVisible(int)
	// SetOnError sets the function receiving the target's errors.
	SetOnError(func(error))
	// SetOnShortcut sets the function that sees every shortcut first (the
	// window's shortcuts); it returns true when it took the shortcut.
	SetOnShortcut(func(fyne.Shortcut) bool)
	// SetOnLocalSplice sets the function called after each local edit.
	SetOnLocalSplice(func(pos, del int, ins string))
	// Binding returns the binding behind the editor.
	Binding() *textsync.Binding
}

var (
	_ Notes = (*Editor)(nil)
	_ Notes = (*LongEditor)(nil)
)

// NewFor binds t and returns the editor suited to its length: a LongEditor
// from LongThreshold code points on, an Editor below.
func NewFor(t textsync.Target, opt textsync.Options) (Notes, error) {
	b, err := textsync.New(t, opt)
	if err != nil {
		return nil, err
	}
	if b.Len() >= LongThreshold {
		return NewLongWithBinding(b), nil
	}
	return NewWithBinding(b), nil
}

// Value returns the text shown (Entry's Text).
func (e *Editor) Value() string { return e.Text }

// SetOnError sets OnError.
func (e *Editor) SetOnError(f func(error)) { e.OnError = f }

// SetOnShortcut sets OnShortcut.
func (e *Editor) SetOnShortcut(f func(fyne.Shortcut) bool) { e.OnShortcut = f }

// SetOnLocalSplice sets OnLocalSplice.
func (e *Editor) SetOnLocalSplice(f func(pos, del int, ins string)) { e.OnLocalSplice = f }

// Promote returns a LongEditor that takes over n's binding (and so its undo
// history), selection, read-only state, callbacks and minimum rows when n
// is an Editor whose text has reached LongThreshold; otherwise it returns n
// and false. The caller puts the result in n's place (and focuses it if n
// had the focus) and must not use n afterwards: both would edit through
// the same binding.
func Promote(n Notes) (Notes, bool) {
	ed, ok := n.(*Editor)
	if !ok || ed.b.Len() < LongThreshold {
		return n, false
	}
	anchor, caret := ed.Selection()
	l := NewLongWithBinding(ed.b)
	l.OnError, l.OnLocalSplice, l.OnShortcut = ed.OnError, ed.OnLocalSplice, ed.OnShortcut
	l.readOnly = ed.readOnly
	if ed.minRows > 0 {
		l.minRows = ed.minRows
	}
	l.setSelection(anchor, caret)
	return l, true
}

// SetMinRowsVisible is Entry's, remembered for Promote.
func (e *Editor) SetMinRowsVisible(n int) {
	e.minRows = n
	e.Entry.SetMinRowsVisible(n)
}
