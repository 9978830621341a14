package app_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/crdt"
)

func newUI(t *testing.T) (*app.UI, *crdt.Workspace) {
	t.Helper()
	a := test.NewTempApp(t)
	ws, err := crdt.Open(t.TempDir(), crdt.Options{Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if _, err := ws.Setup("Web team", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	u := app.New(a, ws, app.Options{})
	u.Window().Resize(fyne.NewSize(1000, 700))
	return u, ws
}

func TestTypingLandsInAutomerge(t *testing.T) {
	u, ws := newUI(t)
	v := u.Current()
	if v == nil {
		t.Fatal("first meeting not opened")
	}
	ed := v.Section("topics").Editor()
	u.Window().Canvas().Focus(ed)
	test.Type(ed, "p99 悪化")
	m, err := ws.Meeting(v.Meeting().ID())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := m.Notes("topics")
	if got != "p99 悪化" {
		t.Fatalf("document holds %q", got)
	}
	// Persisted: a flush (the typing pause) writes it to the database.
	if err := ws.Flush(); err != nil {
		t.Fatal(err)
	}
}

func TestRemoteChangeReachesEditor(t *testing.T) {
	u, ws := newUI(t)
	v := u.Current()
	ed := v.Section("incidents").Editor()
	u.Window().Canvas().Focus(ed)
	test.Type(ed, "abc")
	m, _ := ws.Meeting(v.Meeting().ID())
	if err := m.SpliceNotes("incidents", 0, 0, "XY"); err != nil {
		t.Fatal(err)
	}
	if err := v.Section("incidents").Editor().Pull(); err != nil {
		t.Fatal(err)
	}
	if ed.Text != "XYabc" {
		t.Fatalf("editor shows %q", ed.Text)
	}
	if off := ed.CursorTextOffset(); off != 5 {
		t.Fatalf("caret at %d, want 5 (after abc)", off)
	}
}

func TestMarkdownPreviewToggle(t *testing.T) {
	u, _ := newUI(t)
	sv := u.Current().Section("changes")
	u.Window().Canvas().Focus(sv.Editor())
	test.Type(sv.Editor(), "**EOL** of MySQL 8.0")
	sv.SetPreview(true)
	if sv.Editor().Visible() {
		t.Fatal("editor still visible in preview")
	}
	sv.SetPreview(false)
	if !sv.Editor().Visible() {
		t.Fatal("editor hidden after preview off")
	}
}

func TestMainWindowLayout(t *testing.T) {
	u, _ := newUI(t)
	test.AssertRendersToMarkup(t, "main_window.xml", u.Window().Canvas())
}
