package app_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/crdt/docs"
)

// TestFacilitatorKeepsItsPane: the pane (fetched from Mackerel) is made
// again only when the section changes or on Reload, not on every change
// of the meeting; the current section's notes follow their changes.
func TestFacilitatorKeepsItsPane(t *testing.T) {
	u, ws := newUI(t)
	m := u.Current().Meeting()
	made := 0
	f := app.NewFacilitatorView(m, app.FacilitatorOptions{
		Panes: func(kind string) fyne.CanvasObject {
			made++
			return widget.NewLabel("pane of " + kind)
		},
	})
	w := test.NewWindow(f.Object())
	defer w.Close()
	events, stop := ws.Subscribe()
	defer stop()
	next := func() docs.Event {
		t.Helper()
		select {
		case ev := <-events:
			return ev
		case <-time.After(5 * time.Second):
			t.Fatal("no event")
		}
		return docs.Event{}
	}
	start := made
	cur := f.Current()
	other := "alerts"
	if cur == other {
		other = "worklog"
	}
	// Ten changes of another section: the pane stays.
	for i := 0; i < 10; i++ {
		if err := m.AppendNotes(other, "line"); err != nil {
			t.Fatal(err)
		}
		f.Apply(next())
	}
	// Typing in the current section: its notes follow, the pane stays.
	if err := m.SpliceNotes(cur, 0, 0, "live "); err != nil {
		t.Fatal(err)
	}
	f.Apply(next())
	if !strings.HasPrefix(f.NotesMarkdown(), "live ") {
		t.Fatalf("notes shown: %q", f.NotesMarkdown())
	}
	if made != start {
		t.Fatalf("pane made %d times for changes of notes", made-start)
	}
	f.Next()
	if made != start+1 {
		t.Fatalf("pane made %d times after moving on, want 1", made-start)
	}
	f.Reload()
	if made != start+2 {
		t.Fatalf("pane made %d times after Reload, want 2", made-start)
	}
}
