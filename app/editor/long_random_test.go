package editor_test

import (
	"math/rand/v2"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// TestLongRandomEditing runs random keystrokes, mouse-free moves, clipboard
// use, undo/redo and remote edits, and checks after each step that the
// editor shows exactly the binding's view, and after each pull exactly the
// document, with the caret inside the text.
func TestLongRandomEditing(t *testing.T) {
	f := newLongFixture(t, numbered(40), fyne.NewSize(300, 200))
	rnd := rand.New(rand.NewPCG(7, 11))
	clip := fyne.CurrentApp().Clipboard()
	runes := []rune("ab 日本\n😀")
	keys := []fyne.KeyName{fyne.KeyLeft, fyne.KeyRight, fyne.KeyUp, fyne.KeyDown, fyne.KeyHome, fyne.KeyEnd,
		fyne.KeyPageUp, fyne.KeyPageDown, fyne.KeyBackspace, fyne.KeyDelete, fyne.KeyReturn, fyne.KeyTab}
	for step := 0; step < 2000; step++ {
		switch op := rnd.IntN(20); {
		case op < 7:
			f.ed.TypedRune(runes[rnd.IntN(len(runes))])
		case op < 12:
			f.ed.TypedKey(&fyne.KeyEvent{Name: keys[rnd.IntN(len(keys))]})
		case op < 13:
			f.shiftKey(keys[rnd.IntN(8)], 1+rnd.IntN(3))
		case op < 14:
			f.ed.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyBackspace, Modifier: fyne.KeyModifierShortcutDefault})
		case op < 15:
			clip.SetContent("貼り\n付け")
			f.ed.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
		case op < 16:
			f.ed.TypedShortcut(&fyne.ShortcutCut{Clipboard: clip})
		case op < 17:
			f.ed.TypedShortcut(&fyne.ShortcutUndo{})
		case op < 18:
			f.ed.TypedShortcut(&fyne.ShortcutRedo{})
		default:
			f.sendLocal()
			n := len([]rune(f.docText()))
			pos := rnd.IntN(n + 1)
			del := rnd.IntN(min(n-pos, 12) + 1)
			f.remoteEdit(pos, del, string(runes[rnd.IntN(len(runes))])+"\n")
			if got := f.ed.Value(); got != f.docText() {
				t.Fatalf("step %d: editor shows %q, document holds %q", step, got, f.docText())
			}
		}
		if got, want := f.ed.Value(), f.ed.Binding().Text(); got != want {
			t.Fatalf("step %d: editor shows %q, binding's view is %q", step, got, want)
		}
		if a, c := f.ed.Selection(); a < 0 || c < 0 || a > len([]rune(f.ed.Value())) || c > len([]rune(f.ed.Value())) {
			t.Fatalf("step %d: selection %d..%d outside the text", step, a, c)
		}
	}
	f.sendLocal()
	if s, _ := f.remote.Text(); s != f.ed.Value() {
		t.Fatalf("peer holds %q, editor shows %q", s, f.ed.Value())
	}
}
