package app_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// threeMeetings adds three meetings whose work logs mention the same chore.
func threeMeetings(t *testing.T, ws *minutes.Workspace) []*minutes.Meeting {
	t.Helper()
	var out []*minutes.Meeting
	oneOff := []string{"新しいダッシュボードを作った", "Redis をアップグレードした", "CDN の設定を見直した"}
	for i, date := range []string{"2026-08-20", "2026-09-17", "2026-10-15"} {
		m, err := ws.NewMeeting("PWG "+date[:7], date)
		if err != nil {
			t.Fatal(err)
		}
		lines := "- 手動でログを削除した (disk 9" + string(rune('0'+i)) + "%)\n- " + oneOff[i]
		if err := m.AppendNotes("worklog", lines); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// openSearch shows the last of threeMeetings, the second holding a line
// about CPU alerts, and opens the search box with Ctrl+K, the caret in an
// editor.
func openSearch(t *testing.T) (*app.UI, []*minutes.Meeting, *app.SearchBox) {
	t.Helper()
	u, ws := newUI(t)
	ms := threeMeetings(t, ws)
	if err := ms[1].AppendNotes("alerts", "first line\nCPUアラートの閾値を上げた\nlast line"); err != nil {
		t.Fatal(err)
	}
	u.ShowMeeting(ms[2].ID())
	c := u.Window().Canvas()
	c.Focus(u.Current().Section("topics").Editor())
	typeShortcut(c, fyne.KeyK, fyne.KeyModifierShortcutDefault)
	b := u.Search()
	if b == nil {
		t.Fatal("Ctrl+K opened no search box")
	}
	return u, ms, b
}

func TestSearchBoxOpensTheMeetingAtTheHit(t *testing.T) {
	u, ms, b := openSearch(t)
	searchFor(t, b, "閾値")
	hits := b.Hits()
	if len(hits) != 1 || hits[0].MeetingID != ms[1].ID() || hits[0].Section != "alerts" || b.Status() != "1 line" {
		t.Fatalf("hits = %+v (%s)", hits, b.Status())
	}
	b.Open(0)
	v := u.Current()
	if v == nil || v.Meeting().ID() != ms[1].ID() {
		t.Fatalf("the hit's meeting is not open")
	}
	if v.Focused() != "alerts" {
		t.Errorf("focused section %q, want alerts", v.Focused())
	}
	ed := v.Section("alerts").Editor()
	if got := ed.CursorTextOffset(); got != len([]rune("first line\n")) {
		t.Errorf("caret at %d, want the start of the hit's line (%d)", got, len([]rune("first line\n")))
	}
	if u.Window().Canvas().Focused() != ed.(fyne.Focusable) {
		t.Error("the editor of the hit is not focused")
	}
	searchFor(t, b, "ない言葉")
	if len(b.Hits()) != 0 || !strings.Contains(b.Status(), "No meeting mentions") {
		t.Errorf("no hit: %+v %q", b.Hits(), b.Status())
	}
}

func TestSaveACopyAndOpenItElsewhere(t *testing.T) {
	u, _ := newUI(t)
	m := u.Current().Meeting()
	if err := m.AppendNotes("topics", "- オフラインで書いたメモ"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), m.FileName())
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := u.SaveCopy(m, w); err != nil {
		t.Fatal(err)
	}

	u2, ws2 := newUI(t)
	before, _ := ws2.Meetings()
	res, err := u2.ImportFile(storage.NewFileURI(path))
	if err != nil || !res.New || res.MeetingID != m.ID() {
		t.Fatalf("open in another workspace: %+v %v", res, err)
	}
	m2, err := ws2.Meeting(m.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := m2.Notes("topics"); got != "- オフラインで書いたメモ" {
		t.Errorf("notes = %q", got)
	}
	if again, err := u2.ImportFile(storage.NewFileURI(path)); err != nil || again.Changed || again.New {
		t.Errorf("second open: %+v %v", again, err)
	}
	if now, _ := ws2.Meetings(); len(now) != len(before)+1 {
		t.Errorf("meetings %d → %d, want one more", len(before), len(now))
	}
	// Not minutes: refused, with the file's name, nothing changed.
	bad := filepath.Join(t.TempDir(), "photo.automerge")
	if err := os.WriteFile(bad, []byte("\x89PNG not minutes"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = u2.ImportFile(storage.NewFileURI(bad))
	if !errors.Is(err, minutes.ErrNotAutomerge) || !strings.Contains(err.Error(), "photo.automerge") || !strings.Contains(err.Error(), "Nothing was changed") {
		t.Errorf("bad file: %v", err)
	}
	if now, _ := ws2.Meetings(); len(now) != len(before)+1 {
		t.Errorf("a refused file changed the meetings")
	}

	// Dropped on a third window: merged and shown.
	u3, ws3 := newUI(t)
	u3.DropFiles(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(path)})
	if v := u3.Current(); v == nil || v.Meeting().ID() != m.ID() {
		t.Errorf("the dropped meeting is not shown")
	}
	if _, err := ws3.Meeting(m.ID()); err != nil {
		t.Errorf("dropped file not merged: %v", err)
	}
}

func TestToilCandidateBecomesAnActionItem(t *testing.T) {
	u, ws := newUI(t)
	ms := threeMeetings(t, ws)
	u.ShowMeeting(ms[2].ID())
	lst, err := u.NewToilList()
	if err != nil {
		t.Fatal(err)
	}
	cands := lst.Candidates()
	if len(cands) != 1 || cands[0].Meetings != 3 || len(cands[0].Seen) != 3 || cands[0].Covered {
		t.Fatalf("candidates = %+v", cands)
	}
	if err := lst.Act(0); err != nil {
		t.Fatal(err)
	}
	_, raised, err := ms[2].ActionItems()
	if err != nil {
		t.Fatal(err)
	}
	if len(raised) != 1 || !strings.Contains(raised[0].Title, "手動でログを削除した") || raised[0].OriginSection != "worklog" {
		t.Errorf("action items of the current meeting: %+v", raised)
	}
	if c := lst.Candidates(); len(c) != 1 || !c[0].Covered {
		t.Errorf("after acting: %+v, want covered", c)
	}
}
