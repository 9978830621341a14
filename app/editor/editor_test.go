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

func TestTypingReplacesSelection(t *testing.T) {
	f := newFixture(t, "abc def")
	f.key(fyne.KeyEnd, 1)
	f.selectLeft(3)
	test.Type(f.ed, "X")
	f.check("abc X")
}

func TestRemoteEditsKeepTheCaret(t *testing.T) {
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
			f := newFixture(t, "")
			test.Type(f.ed, "日本語で書く")
			f.key(fyne.KeyLeft, 2) // 日本語で|書く
			f.sendLocal()
			f.remoteEdit(c.pos, c.del, c.ins)
			if got := caretContext(f.ed.Text, f.ed.CursorTextOffset()); got != c.want {
				t.Fatalf("caret at %q, want %q (text %q)", got, c.want, f.ed.Text)
			}
			f.check(f.docText())
			// Typing goes where the caret is shown, in the document too.
			caret := f.ed.CursorTextOffset()
			test.Type(f.ed, "!")
			if got := []rune(f.docText())[caret]; got != '!' {
				t.Fatalf("typed at the wrong place: %q", f.docText())
			}
			f.check(f.ed.Text)
		})
	}
}

func TestRemoteEditsKeepTheSelection(t *testing.T) {
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
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, "")
			test.Type(f.ed, "アラート CPU 使用率 が高い")
			f.key(fyne.KeyLeft, 4) // after 率
			f.selectLeft(7)
			if got := f.ed.SelectedText(); got != "CPU 使用率" {
				t.Fatalf("setup selected %q", got)
			}
			f.sendLocal()
			f.remoteEdit(c.pos, c.del, c.ins)
			if got := f.ed.SelectedText(); got != c.want {
				t.Fatalf("selected %q, want %q (text %q)", got, c.want, f.ed.Text)
			}
			// Selected leftwards: the caret is still at the start.
			a, k := f.ed.Selection()
			if k > a || []rune(f.ed.Text)[k] != []rune(c.want)[0] {
				t.Fatalf("selection direction lost: anchor %d caret %d", a, k)
			}
			// Typing replaces the selection, in the document too.
			test.Type(f.ed, "X")
			if want := strings.Replace(f.docText(), "X", "", 1); strings.Contains(want, c.want) {
				t.Fatalf("selection not replaced: %q", f.docText())
			}
			f.check(f.ed.Text)
		})
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

func TestUndoRevertsOnlyOwnEdits(t *testing.T) {
	f := newFixture(t, "")
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
	if got := caretContext(f.ed.Text, f.ed.CursorTextOffset()); got != "xt| (" {
		t.Fatalf("caret after redo at %q", got)
	}
}

func TestReadOnly(t *testing.T) {
	f := newFixture(t, "fixed")
	f.ed.SetReadOnly(true)
	f.key(fyne.KeyEnd, 1)
	test.Type(f.ed, "x")
	f.key(fyne.KeyBackspace, 1)
	clip := fyne.CurrentApp().Clipboard()
	clip.SetContent("pasted")
	f.ed.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	f.check("fixed")
	f.selectLeft(2)
	f.ed.TypedShortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if got := clip.Content(); got != "ed" {
		t.Fatalf("copied %q", got)
	}
	f.remoteEdit(0, 0, "un")
	f.check("unfixed")
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
