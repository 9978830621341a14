package editor_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

type splice struct {
	pos, del int
	ins      string
}

// caretContext renders the caret as | with two characters on each side.
func caretContext(text string, caret int) string {
	rs := []rune(text)
	lo, hi := max(0, caret-2), min(len(rs), caret+2)
	return string(rs[lo:caret]) + "|" + string(rs[caret:hi])
}

func TestTypingBecomesExactSplices(t *testing.T) {
	f := newFixture(t, "")
	test.Type(f.ed, "議事録: aa")
	f.check("議事録: aa")
	f.splices = nil
	f.key(fyne.KeyLeft, 1) // between the two a's
	test.Type(f.ed, "a")
	if want := []splice{{6, 0, "a"}}; len(f.splices) != 1 || f.splices[0] != want[0] {
		t.Fatalf("typing in a run gave %v, want %v", f.splices, want)
	}
	f.check("議事録: aaa")
	f.key(fyne.KeyBackspace, 1)
	f.check("議事録: aa")
	f.key(fyne.KeyHome, 1)
	f.key(fyne.KeyDelete, 1)
	f.check("事録: aa")
	f.key(fyne.KeyEnd, 1)
	f.key(fyne.KeyReturn, 1)
	f.ed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	test.Type(f.ed, "😀👍🏼 e\u0301")
	f.check("事録: aa\n\t😀👍🏼 e\u0301")

	clip := fyne.CurrentApp().Clipboard()
	clip.SetContent("貼り付け")
	f.ed.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	f.check("事録: aa\n\t😀👍🏼 e\u0301貼り付け")

	f.selectLeft(4)
	if got := f.ed.SelectedText(); got != "貼り付け" {
		t.Fatalf("selected %q", got)
	}
	f.ed.TypedShortcut(&fyne.ShortcutCut{Clipboard: clip})
	f.check("事録: aa\n\t😀👍🏼 e\u0301")

	f.splices = nil
	f.ed.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyBackspace, Modifier: fyne.KeyModifierShortcutDefault})
	f.check("事録: aa\n\t😀👍🏼 ")
	if len(f.splices) != 1 || f.splices[0] != (splice{12, 2, ""}) {
		t.Fatalf("ctrl+backspace gave %v", f.splices)
	}
	f.sendLocal()
	if s, _ := f.remote.Text(); s != f.ed.Text {
		t.Fatalf("peer has %q", s)
	}
}

func TestSelectAllSurvivesRemoteEdit(t *testing.T) {
	f := newFixture(t, "")
	test.Type(f.ed, "abc")
	f.ed.TypedShortcut(&fyne.ShortcutSelectAll{})
	f.sendLocal()
	f.remoteEdit(1, 0, "Z")
	if got := f.ed.SelectedText(); got != "aZbc" {
		t.Fatalf("selected %q", got)
	}
}

func TestNoPhantomSelectionAfterRemoteEdit(t *testing.T) {
	f := newFixture(t, "")
	test.Type(f.ed, "hello world")
	// Select and collapse the selection again: Entry may keep "selecting".
	f.selectLeft(3)
	f.ed.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	f.key(fyne.KeyRight, 3)
	f.ed.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	f.sendLocal()
	f.remoteEdit(0, 0, "say ")
	if got := f.ed.SelectedText(); got != "" {
		t.Fatalf("phantom selection %q", got)
	}
	f.key(fyne.KeyLeft, 1)
	if got := f.ed.SelectedText(); got != "" {
		t.Fatalf("selection %q after moving the caret", got)
	}
	if got := caretContext(f.ed.Text, f.ed.CursorTextOffset()); got != "rl|d" {
		t.Fatalf("caret at %q", got)
	}
}

func TestLongTextWrapsAndKeepsCaret(t *testing.T) {
	f := newFixture(t, "")
	line := strings.Repeat("word ", 40) // wraps at 500 px
	clip := fyne.CurrentApp().Clipboard()
	clip.SetContent(strings.Repeat(line+"\n", 20))
	f.ed.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	f.check(strings.Repeat(line+"\n", 20))
	f.key(fyne.KeyUp, 7)
	caret := f.ed.CursorTextOffset()
	before := caretContext(f.ed.Text, caret)
	f.sendLocal()
	f.remoteEdit(0, 0, "新しい行\n")
	if got := f.ed.CursorTextOffset(); got != caret+5 {
		t.Fatalf("caret %d, want %d", got, caret+5)
	}
	if got := caretContext(f.ed.Text, f.ed.CursorTextOffset()); got != before {
		t.Fatalf("caret at %q, was at %q", got, before)
	}
}
