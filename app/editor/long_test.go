package editor_test

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app/editor"
	"github.com/pwg-team/pwg/crdt/textsync"
)

func TestLongTypingBecomesExactSplices(t *testing.T) {
	f := newLongFixture(t, "", fyne.NewSize(500, 300))
	test.Type(f.ed, "議事録: aa")
	f.check("議事録: aa")
	f.splices = nil
	f.key(fyne.KeyLeft, 1) // between the two a's
	test.Type(f.ed, "a")
	if len(f.splices) != 1 || f.splices[0] != (splice{6, 0, "a"}) {
		t.Fatalf("typing in a run gave %v", f.splices)
	}
	f.check("議事録: aaa")
	f.key(fyne.KeyBackspace, 1)
	f.check("議事録: aa")
	f.key(fyne.KeyHome, 1)
	f.key(fyne.KeyDelete, 1)
	f.check("事録: aa")
	f.key(fyne.KeyEnd, 1)
	f.key(fyne.KeyReturn, 1)
	f.key(fyne.KeyTab, 1)
	test.Type(f.ed, "😀👍🏼 e\u0301")
	f.check("事録: aa\n\t😀👍🏼 e\u0301")

	clip := fyne.CurrentApp().Clipboard()
	clip.SetContent("貼り付け")
	f.ed.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	f.check("事録: aa\n\t😀👍🏼 e\u0301貼り付け")

	f.shiftKey(fyne.KeyLeft, 4)
	if got := f.ed.SelectedText(); got != "貼り付け" {
		t.Fatalf("selected %q", got)
	}
	f.ed.TypedShortcut(&fyne.ShortcutCut{Clipboard: clip})
	f.check("事録: aa\n\t😀👍🏼 e\u0301")
	if clip.Content() != "貼り付け" {
		t.Fatalf("cut %q", clip.Content())
	}

	f.splices = nil
	f.ed.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyBackspace, Modifier: fyne.KeyModifierShortcutDefault})
	f.check("事録: aa\n\t😀👍🏼 ")
	if len(f.splices) != 1 || f.splices[0] != (splice{12, 2, ""}) {
		t.Fatalf("ctrl+backspace gave %v", f.splices)
	}
	f.sendLocal()
	if s, _ := f.remote.Text(); s != f.ed.Value() {
		t.Fatalf("peer has %q", s)
	}
}

func TestLongTypingAtStartMiddleEnd(t *testing.T) {
	text := minutesText(9000)
	f := newLongFixture(t, text, fyne.NewSize(500, 300))
	n := len([]rune(text))
	want := []rune(text)
	for _, at := range []int{0, n / 2, n + 1} {
		f.splices = nil
		f.ed.Select(at, at)
		test.Type(f.ed, "語x")
		at = min(at, len(want))
		if len(f.splices) != 2 || f.splices[0] != (splice{at, 0, "語"}) || f.splices[1] != (splice{at + 1, 0, "x"}) {
			t.Fatalf("typing at %d gave %v", at, f.splices)
		}
		want = append(want[:at], append([]rune("語x"), want[at:]...)...)
		f.check(string(want))
	}
	// Enter splits a line in the middle, backspace joins it again.
	f.ed.Select(100, 100)
	f.key(fyne.KeyReturn, 1)
	if f.splices[len(f.splices)-1] != (splice{100, 0, "\n"}) {
		t.Fatalf("enter gave %v", f.splices[len(f.splices)-1])
	}
	f.key(fyne.KeyBackspace, 1)
	f.check(string(want))
}

func TestLongInsertAtCaret(t *testing.T) {
	f := newLongFixture(t, "before after", fyne.NewSize(400, 200))
	f.ed.Select(7, 7)
	if err := f.ed.InsertAtCaret("![graph](pwg-blob:abc) "); err != nil {
		t.Fatal(err)
	}
	f.check("before ![graph](pwg-blob:abc) after")
	if f.ed.CursorTextOffset() != len([]rune("before ![graph](pwg-blob:abc) ")) {
		t.Fatalf("caret at %d", f.ed.CursorTextOffset())
	}
}

// numbered returns n lines "line 001" ...
func numbered(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "line %03d", i)
	}
	return b.String()
}

// drawnTexts returns the visible canvas.Text objects of w's renderers (the
// ones the window draws), in their order.
func drawnTexts(w fyne.Widget) []*canvas.Text {
	var out []*canvas.Text
	for _, o := range test.WidgetRenderer(w).Objects() {
		switch o := o.(type) {
		case *canvas.Text:
			if o.Visible() {
				out = append(out, o)
			}
		case fyne.Widget:
			out = append(out, drawnTexts(o)...)
		}
	}
	return out
}

// shownRows returns the texts of the rows drawn, top to bottom.
func shownRows(ed fyne.Widget) []string {
	var rows []string
	for _, t := range drawnTexts(ed) {
		rows = append(rows, t.Text)
	}
	return rows
}

func TestLongScrollingShowsTheRightRows(t *testing.T) {
	f := newLongFixture(t, numbered(1000), fyne.NewSize(200, 120))
	rows := shownRows(f.ed)
	if len(rows) == 0 || len(rows) > 8 || rows[0] != "line 001" {
		t.Fatalf("rows drawn at the top: %q", rows)
	}
	test.AssertRendersToMarkup(t, "long_top.xml", f.win.Canvas())

	// Scroll down by 50 rows and the top padding: line 051 is at the top.
	rowH := fyne.MeasureText("M", 14, fyne.TextStyle{}).Height
	test.Scroll(f.win.Canvas(), fyne.NewPos(50, 50), 0, -50*rowH-8)
	rows = shownRows(f.ed)
	if len(rows) > 8 || rows[0] != "line 051" {
		t.Fatalf("rows drawn after scrolling: %q", rows)
	}
	test.AssertRendersToMarkup(t, "long_scrolled.xml", f.win.Canvas())

	// A peer adds lines above the view: the same rows stay in view.
	f.sendLocal()
	f.remoteEdit(0, 0, "新\n新\n新\n")
	if rows = shownRows(f.ed); rows[0] != "line 051" {
		t.Fatalf("rows drawn after a remote edit above: %q", rows)
	}

	// The caret (still at the start) is scrolled into view by typing.
	test.Type(f.ed, "x")
	if rows = shownRows(f.ed); rows[0] != "x新" {
		t.Fatalf("rows drawn after typing at the start: %q", rows)
	}
	// Page down and ctrl+end move the caret and the view with it.
	f.key(fyne.KeyPageDown, 1)
	if rows = shownRows(f.ed); rows[0] == "x新" {
		t.Fatalf("page down did not scroll: %q", rows)
	}
	f.ed.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnd, Modifier: fyne.KeyModifierShortcutDefault})
	if rows = shownRows(f.ed); rows[len(rows)-1] != "line 1000" {
		t.Fatalf("rows drawn at the end: %q", rows)
	}
	if f.ed.CursorTextOffset() != len([]rune(f.ed.Value())) {
		t.Fatalf("caret at %d after ctrl+end", f.ed.CursorTextOffset())
	}
}

func TestLongWrapAndVerticalMoves(t *testing.T) {
	line := strings.Repeat("word ", 40) // wraps at 300 px
	f := newLongFixture(t, line+"\n"+line, fyne.NewSize(300, 300))
	rows := shownRows(f.ed)
	if len(rows) < 4 {
		t.Fatalf("two long lines drawn as %d rows: %q", len(rows), rows)
	}
	first := len([]rune(rows[0]))
	if rows[0] != strings.Repeat("word ", first/5) {
		t.Fatalf("row not broken after a word: %q", rows[0])
	}
	// End goes to the end of the visual row, Down keeps the column.
	f.key(fyne.KeyRight, 2)
	f.key(fyne.KeyDown, 1)
	if got := f.ed.CursorTextOffset(); got != first+2 {
		t.Fatalf("down moved the caret to %d, want %d", got, first+2)
	}
	f.key(fyne.KeyHome, 1)
	if got := f.ed.CursorTextOffset(); got != first {
		t.Fatalf("home moved the caret to %d, want %d", got, first)
	}
	f.key(fyne.KeyUp, 1)
	f.key(fyne.KeyEnd, 1)
	if got := f.ed.CursorTextOffset(); got != first {
		t.Fatalf("end moved the caret to %d, want %d", got, first)
	}
	// Typing at the end of a wrapped row goes where the caret is.
	test.Type(f.ed, "X")
	if got := []rune(f.docText())[first]; got != 'X' {
		t.Fatalf("typed at the wrong place: %q", f.docText())
	}
	// Shift+down selects a row's worth.
	f.ed.Select(0, 0)
	f.shiftKey(fyne.KeyDown, 1)
	if a, c := f.ed.Selection(); a != 0 || c < first-1 || c > first+1 {
		t.Fatalf("shift+down selected %d..%d", a, c)
	}
}

func TestLongMouse(t *testing.T) {
	f := newLongFixture(t, numbered(20), fyne.NewSize(300, 200))
	rowH := fyne.MeasureText("M", 14, fyne.TextStyle{}).Height
	pad := float32(8 + 2) // inner padding and border of the test theme
	// A tap on the third row, left of its text, puts the caret at its start.
	test.TapAt(f.ed, fyne.NewPos(pad-4, pad+2.5*rowH))
	if got := f.caret(); got != "2\n|li" {
		t.Fatalf("tap put the caret at %q", got)
	}
	// A tap right of the text puts the caret at the end of the row.
	test.TapAt(f.ed, fyne.NewPos(280, pad+0.5*rowH))
	if got := f.ed.CursorTextOffset(); got != 8 {
		t.Fatalf("tap right of row 1 put the caret at %d", got)
	}
	// Press on row 2 and drag to row 4: rows 2 and 3 are selected.
	f.ed.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(pad-4, pad+1.5*rowH)}, Button: desktop.MouseButtonPrimary})
	f.ed.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(pad-4, pad+3.5*rowH)}, Dragged: fyne.NewDelta(0, 2*rowH)})
	f.ed.DragEnd()
	f.ed.MouseUp(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary})
	if got := f.ed.SelectedText(); got != "line 002\nline 003\n" {
		t.Fatalf("drag selected %q", got)
	}
	// Double tap selects the word at the caret.
	f.ed.Select(15, 15)
	f.ed.DoubleTapped(&fyne.PointEvent{})
	if got := f.ed.SelectedText(); got != "002" {
		t.Fatalf("double tap selected %q", got)
	}
}

func TestNewForPicksByLength(t *testing.T) {
	test.NewTempApp(t)
	short, _ := replicas(t, "short notes")
	n, err := editor.NewFor(short, textsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := n.(*editor.Editor); !ok || n.Value() != "short notes" {
		t.Fatalf("short notes got %T showing %q", n, n.Value())
	}
	text := minutesText(editor.LongThreshold)
	long, _ := replicas(t, text)
	if n, err = editor.NewFor(long, textsync.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, ok := n.(*editor.LongEditor); !ok || n.Value() != text {
		t.Fatalf("long notes got %T", n)
	}
}

func TestLongRewrapsOnResize(t *testing.T) {
	f := newLongFixture(t, strings.Repeat("word ", 60), fyne.NewSize(600, 300))
	wide := len(shownRows(f.ed))
	f.win.Resize(fyne.NewSize(300, 300))
	narrow := len(shownRows(f.ed))
	if narrow <= wide {
		t.Fatalf("%d rows at 600 px, %d at 300 px", wide, narrow)
	}
	// Every row but the last is full words and ends before the width.
	for _, r := range shownRows(f.ed)[:narrow-1] {
		if !strings.HasSuffix(r, "word ") {
			t.Fatalf("row %q not broken after a word", r)
		}
		if w := fyne.MeasureText(strings.TrimRight(r, " "), 14, fyne.TextStyle{}).Width; w > 300-2*10 {
			t.Fatalf("row %q is %v px wide", r, w)
		}
	}
}

func TestLongScrollBarDrag(t *testing.T) {
	f := newLongFixture(t, numbered(1000), fyne.NewSize(200, 120))
	w := f.ed.Size().Width
	// Dragging the bar down by the view's height scrolls to the end.
	f.ed.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(w-3, 110)}, Dragged: fyne.NewDelta(0, 108)})
	f.ed.DragEnd()
	if rows := shownRows(f.ed); rows[len(rows)-1] != "line 1000" {
		t.Fatalf("rows after dragging the bar: %q", rows)
	}
	if f.ed.CursorTextOffset() != 0 {
		t.Fatal("dragging the bar moved the caret")
	}
}

func TestLongSelectionRendering(t *testing.T) {
	f := newLongFixture(t, "first line\nsecond line\nthird", fyne.NewSize(200, 120))
	// From "line" on row 1 to "sec|ond" on row 2, made leftwards.
	f.ed.Select(14, 6)
	test.AssertRendersToMarkup(t, "long_selection.xml", f.win.Canvas())
	if got := f.ed.SelectedText(); got != "line\nsec" {
		t.Fatalf("selected %q", got)
	}
}

// rowObjects returns the canvas.Text drawing each row text in view.
func rowObjects(ed fyne.Widget) map[string]*canvas.Text {
	out := map[string]*canvas.Text{}
	for _, t := range drawnTexts(ed) {
		out[t.Text] = t
	}
	return out
}

func TestLongScrollKeepsRowObjects(t *testing.T) {
	f := newLongFixture(t, numbered(100), fyne.NewSize(200, 120))
	before := rowObjects(f.ed)
	rowH := fyne.MeasureText("M", 14, fyne.TextStyle{}).Height
	f.ed.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -2*rowH)})
	after := rowObjects(f.ed)
	if _, ok := after["line 001"]; ok {
		t.Fatalf("line 001 still drawn after scrolling two rows: %v", shownRows(f.ed))
	}
	kept := 0
	for s, o := range after {
		if before[s] == o {
			kept++
		}
	}
	if kept < 3 {
		t.Fatalf("only %d of %d rows kept their text object", kept, len(after))
	}
	// Enter at the top moves every row down: they keep their objects too.
	f.ed.Select(0, 0)
	before = rowObjects(f.ed)
	f.key(fyne.KeyReturn, 1)
	after = rowObjects(f.ed)
	for _, s := range []string{"line 002", "line 003"} {
		if after[s] == nil || after[s] != before[s] {
			t.Fatalf("row %q drawn by a new object after enter above it", s)
		}
	}
}

func TestPromoteKeepsBindingAndSelection(t *testing.T) {
	test.NewTempApp(t)
	text := minutesText(editor.LongThreshold - 1)
	local, _ := replicas(t, text)
	n, err := editor.NewFor(local, textsync.Options{BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	ed := n.(*editor.Editor)
	w := test.NewWindow(ed)
	w.Resize(fyne.NewSize(500, 300))
	w.Canvas().Focus(ed)
	if _, ok := editor.Promote(n); ok {
		t.Fatal("promoted below the threshold")
	}
	test.Type(ed, "ab")
	ed.SetReadOnly(true)
	p, ok := editor.Promote(n)
	if !ok {
		t.Fatal("not promoted at the threshold")
	}
	l := p.(*editor.LongEditor)
	if l.Value() != ed.Text || !l.ReadOnly() || l.CursorTextOffset() != ed.CursorTextOffset() {
		t.Fatalf("promoted editor: caret %d, read-only %v", l.CursorTextOffset(), l.ReadOnly())
	}
	l.SetReadOnly(false)
	w.SetContent(l)
	w.Canvas().Focus(l)
	l.Undo() // the history came along: "ab" goes
	if got, _ := local.Text(); got != text {
		t.Fatalf("undo after promotion left %q", []rune(got)[:4])
	}
}

// TestLongJapaneseRendersGlyphs draws Japanese rows: different words must
// give different pictures, unlike missing glyphs (which all draw as boxes).
func TestLongJapaneseRendersGlyphs(t *testing.T) {
	capture := func(s string) []byte {
		f := newLongFixture(t, s, fyne.NewSize(200, 80))
		f.win.Canvas().Unfocus()
		img := f.win.Canvas().Capture()
		var px []byte
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				px = append(px, byte(r>>8), byte(g>>8), byte(bl>>8))
			}
		}
		return px
	}
	a, b, tofu := capture("障害"), capture("雑談"), capture("\ue000\ue001")
	if string(a) == string(b) {
		t.Fatal("two different Japanese words render identically: glyphs are boxes")
	}
	if string(a) == string(tofu) {
		t.Fatal("Japanese renders like missing glyphs")
	}
}
