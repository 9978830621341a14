package editor_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/app/editor"
	"github.com/pwg-team/pwg/crdt/textsync"
	"github.com/pwg-team/pwg/crdt/textsync/amtext"
)

func TestInsertAtCaret(t *testing.T) {
	test.NewTempApp(t)
	doc := automerge.New()
	tg, err := amtext.New(doc, "notes")
	if err != nil {
		t.Fatal(err)
	}
	ed, err := editor.New(tg, textsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewWindow(ed)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 200))
	w.Canvas().Focus(ed)
	test.Type(ed, "before after")
	ed.CursorRow, ed.CursorColumn = 0, 7
	ed.Refresh()
	if err := ed.InsertAtCaret("![graph](pwg-blob:abc) "); err != nil {
		t.Fatal(err)
	}
	got, _ := tg.Text()
	if got != "before ![graph](pwg-blob:abc) after" {
		t.Fatalf("document holds %q", got)
	}
	if ed.CursorTextOffset() != len([]rune("before ![graph](pwg-blob:abc) ")) {
		t.Fatalf("caret at %d", ed.CursorTextOffset())
	}
	ed.SetReadOnly(true)
	if err := ed.InsertAtCaret("x"); err == nil {
		t.Fatal("insert into read-only notes accepted")
	}
}
