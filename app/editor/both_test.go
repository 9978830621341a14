package editor_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app/editor"
)

// The behaviours both editors share run on both, with one fixture.

func newShort(t testing.TB, text string) *fixture { return newFixture(t, text) }

func newLong(t testing.TB, text string) *longFixture {
	return newLongFixture(t, text, fyne.NewSize(500, 300))
}

// onBoth runs check on the short-text editor and on the long one.
func onBoth(t *testing.T, short func(*testing.T), long func(*testing.T)) {
	t.Run("Editor", short)
	t.Run("LongEditor", long)
}

func TestTypingReplacesSelection(t *testing.T) {
	onBoth(t, func(t *testing.T) { typingReplacesSelection(t, newShort) },
		func(t *testing.T) { typingReplacesSelection(t, newLong) })
}

func typingReplacesSelection[E keyed](t *testing.T, newF func(testing.TB, string) *fixtureOf[E]) {
	f := newF(t, "abc def")
	f.key(fyne.KeyEnd, 1)
	f.selectLeft(3)
	test.Type(f.ed, "X")
	f.check("abc X")
	f.ed.TypedShortcut(&fyne.ShortcutSelectAll{})
	f.key(fyne.KeyDelete, 1)
	f.check("")
}

func TestRemoteEditsKeepTheCaret(t *testing.T) {
	onBoth(t, func(t *testing.T) { remoteEditsKeepTheCaret(t, newShort) },
		func(t *testing.T) { remoteEditsKeepTheCaret(t, newLong) })
}

func remoteEditsKeepTheCaret[E keyed](t *testing.T, newF func(testing.TB, string) *fixtureOf[E]) {
	for _, c := range []struct {
		name     string
		pos, del int
		ins      string
		want     string
	}{
		{"insert before", 0, 0, "前", "語で|書く"},
		{"insert at the caret stays after it", 4, 0, "ABC", "語で|AB"},
		{"insert after", 5, 0, "後", "語で|書後"},
		{"delete before", 0, 2, "", "語で|書く"},
		{"delete the character left of the caret", 3, 1, "", "本語|書く"},
		{"new line before", 0, 0, "line\n", "語で|書く"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newF(t, "")
			test.Type(f.ed, "日本語で書く")
			f.key(fyne.KeyLeft, 2) // 日本語で|書く
			f.sendLocal()
			f.remoteEdit(c.pos, c.del, c.ins)
			if got := f.caret(); got != c.want {
				t.Fatalf("caret at %q, want %q (text %q)", got, c.want, f.ed.Value())
			}
			f.check(f.docText())
			// Typing goes where the caret is shown, in the document too.
			caret := f.ed.CursorTextOffset()
			test.Type(f.ed, "!")
			if got := []rune(f.docText())[caret]; got != '!' {
				t.Fatalf("typed at the wrong place: %q", f.docText())
			}
			f.check(f.ed.Value())
		})
	}
}

func TestRemoteEditsKeepTheSelection(t *testing.T) {
	onBoth(t, func(t *testing.T) { remoteEditsKeepTheSelection(t, newShort) },
		func(t *testing.T) { remoteEditsKeepTheSelection(t, newLong) })
}

func remoteEditsKeepTheSelection[E keyed](t *testing.T, newF func(testing.TB, string) *fixtureOf[E]) {
	for _, c := range []struct {
		name     string
		pos, del int
		ins      string
		want     string
	}{
		{"before", 0, 0, "＞ ", "CPU 使用率"},
		{"inside", 9, 0, "(web) ", "CPU (web) 使用率"},
		{"at the start", 5, 0, "高い ", "CPU 使用率"},
		{"after", 12, 0, "!!", "CPU 使用率"},
		{"delete part", 5, 2, "", "U 使用率"},
		{"lines before", 0, 0, "一\n二\n", "CPU 使用率"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newF(t, "")
			test.Type(f.ed, "アラート CPU 使用率 が高い")
			f.key(fyne.KeyLeft, 4) // after 率
			f.selectLeft(7)
			if got := f.ed.SelectedText(); got != "CPU 使用率" {
				t.Fatalf("setup selected %q", got)
			}
			f.sendLocal()
			f.remoteEdit(c.pos, c.del, c.ins)
			if got := f.ed.SelectedText(); got != c.want {
				t.Fatalf("selected %q, want %q (text %q)", got, c.want, f.ed.Value())
			}
			// Selected leftwards: the caret is still at the start.
			a, k := f.ed.Selection()
			if k > a || []rune(f.ed.Value())[k] != []rune(c.want)[0] {
				t.Fatalf("selection direction lost: anchor %d caret %d", a, k)
			}
			// Typing replaces the selection, in the document too.
			test.Type(f.ed, "X")
			if strings.Contains(f.docText(), c.want) {
				t.Fatalf("selection not replaced: %q", f.docText())
			}
			f.check(f.ed.Value())
		})
	}
}

func TestUndoRevertsOnlyOwnEdits(t *testing.T) {
	onBoth(t, func(t *testing.T) { undoRevertsOnlyOwnEdits(t, newShort) },
		func(t *testing.T) { undoRevertsOnlyOwnEdits(t, newLong) })
}

func undoRevertsOnlyOwnEdits[E keyed](t *testing.T, newF func(testing.TB, string) *fixtureOf[E]) {
	f := newF(t, "")
	test.Type(f.ed, "own text")
	f.sendLocal()
	f.remoteEdit(0, 0, "peer: ")
	f.remoteEdit(14, 0, " (peer)")
	f.check("peer: own text (peer)")
	f.ed.TypedShortcut(&fyne.ShortcutUndo{})
	f.check("peer: own  (peer)")
	f.ed.TypedShortcut(&fyne.ShortcutUndo{})
	f.check("peer:  (peer)")
	f.ed.TypedShortcut(&fyne.ShortcutUndo{}) // nothing of ours left
	f.check("peer:  (peer)")
	f.ed.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	f.check("peer: own  (peer)")
	f.ed.TypedShortcut(&fyne.ShortcutRedo{})
	f.check("peer: own text (peer)")
	if got := f.caret(); got != "xt| (" {
		t.Fatalf("caret after redo at %q", got)
	}
}

func TestReadOnly(t *testing.T) {
	onBoth(t, func(t *testing.T) { readOnly(t, newShort) },
		func(t *testing.T) { readOnly(t, newLong) })
}

func readOnly[E keyed](t *testing.T, newF func(testing.TB, string) *fixtureOf[E]) {
	f := newF(t, "fixed")
	f.ed.SetReadOnly(true)
	f.key(fyne.KeyEnd, 1)
	test.Type(f.ed, "x")
	f.key(fyne.KeyBackspace, 1)
	f.key(fyne.KeyReturn, 1)
	clip := fyne.CurrentApp().Clipboard()
	clip.SetContent("pasted")
	f.ed.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	f.ed.TypedShortcut(&fyne.ShortcutUndo{})
	if err := f.ed.InsertAtCaret("x"); err == nil {
		t.Fatal("insert into read-only notes accepted")
	}
	f.check("fixed")
	f.selectLeft(2)
	f.ed.TypedShortcut(&fyne.ShortcutCut{Clipboard: clip})
	f.check("fixed")
	f.ed.TypedShortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if got := clip.Content(); got != "ed" {
		t.Fatalf("copied %q", got)
	}
	f.remoteEdit(0, 0, "un")
	f.check("unfixed")
	if got := f.ed.SelectedText(); got != "ed" {
		t.Fatalf("selection after remote edit %q", got)
	}
}

var _ keyed = (*editor.Editor)(nil)
