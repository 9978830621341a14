package app_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/app/editor"
	"github.com/pwg-team/pwg/crdt/minutes"
)

func newUI(t *testing.T) (*app.UI, *minutes.Workspace) {
	t.Helper()
	a := test.NewTempApp(t)
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Alice"})
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
	if ed.Value() != "XYabc" {
		t.Fatalf("editor shows %q", ed.Value())
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

func TestLongSectionGetsTheVisibleLinesEditor(t *testing.T) {
	u, ws := newUI(t)
	v := u.Current()
	if _, long := v.Section("topics").Editor().(*editor.LongEditor); long {
		t.Fatal("a short section starts with the long editor")
	}
	m, _ := ws.Meeting(v.Meeting().ID())
	long := strings.Repeat("長い議事録の行です。\n", 1000) // 11,000 characters
	if err := m.AppendNotes("topics", long); err != nil {
		t.Fatal(err)
	}
	secs, _ := m.Sections()
	for _, s := range secs {
		if s.Key == "topics" {
			v.Section("topics").Update(s)
		}
	}
	ed := v.Section("topics").Editor()
	if _, ok := ed.(*editor.LongEditor); !ok {
		t.Fatalf("section of %d characters edited with %T", len([]rune(long)), ed)
	}
	if ed.Value() != long {
		t.Fatal("long editor does not show the section's text")
	}
}
