package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/sharing"
)

func TestActionTableAddEditClose(t *testing.T) {
	u, ws := newUI(t)
	v := u.Current()
	tbl := v.Section("todos").Actions()
	if tbl == nil {
		t.Fatal("TODO section has no action table")
	}
	if err := tbl.Save(minutes.ActionItem{Title: "証明書更新の自動化", Owner: "Sato", TargetDate: "2026-12-15", DoneCriteria: "手作業ゼロ"}); err != nil {
		t.Fatal(err)
	}
	if n := len(tbl.Items()); n != 1 {
		t.Fatalf("table has %d rows", n)
	}
	s, _ := ws.Series()
	items, _ := s.ActionItems()
	if len(items) != 1 || items[0].Owner != "Sato" || items[0].OriginMeeting != v.Meeting().ID() {
		t.Fatalf("series holds %+v", items)
	}
	a := tbl.Items()[0]
	a.Status = minutes.ActionDone
	a.Owner = "Tanaka"
	if err := tbl.Save(a); err != nil {
		t.Fatal(err)
	}
	items, _ = s.ActionItems()
	if items[0].Status != minutes.ActionDone || items[0].Owner != "Tanaka" {
		t.Fatalf("after edit: %+v", items[0])
	}
	if err := tbl.Save(minutes.ActionItem{Title: "bad", TargetDate: "someday"}); err == nil {
		t.Fatal("bad date accepted")
	}
	// The next meeting reviews only open items.
	m2, _ := ws.NewMeeting("next", "2026-12-22")
	if c, _, _ := m2.ActionItems(); len(c) != 0 {
		t.Fatalf("done item carried: %v", c)
	}
}

func TestHistoryLinesSayWhoAndWhat(t *testing.T) {
	_, ws := newUI(t)
	infos, _ := ws.Meetings()
	m, _ := ws.Meeting(infos[0].ID)
	m.AppendNotes("topics", "first line")
	m.AppendNotes("topics", "second")
	h, err := m.History("topics", 10)
	if err != nil {
		t.Fatal(err)
	}
	lines := app.HistoryLines(h)
	if len(lines) == 0 || !strings.Contains(lines[0], "Alice") || !strings.Contains(lines[0], "first line") {
		t.Fatalf("history lines %q", lines)
	}
}

func TestDroppedImageBecomesAttachmentAtCaret(t *testing.T) {
	u, ws := newUI(t)
	v := u.Current()
	ed := v.Section("incidents").Editor()
	u.Window().Canvas().Focus(ed)
	test.Type(ed, "before ")
	dir := t.TempDir()
	png := filepath.Join(dir, "latency.png")
	// A 1×1 PNG.
	raw := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
	if err := os.WriteFile(png, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := u.AttachImage("incidents", storage.NewFileURI(png)); err != nil {
		t.Fatal(err)
	}
	notes, _ := v.Meeting().Notes("incidents")
	if !strings.HasPrefix(notes, "before ![latency](pwg-blob:") {
		t.Fatalf("notes = %q", notes)
	}
	atts, _ := v.Meeting().Attachments()
	if len(atts) != 1 || atts[0].Mime != "image/png" {
		t.Fatalf("attachments %+v", atts)
	}
	if _, data, err := ws.Blob(atts[0].Hash); err != nil || len(data) != len(raw) {
		t.Fatalf("blob: %v", err)
	}
	txt := filepath.Join(dir, "notes.txt")
	os.WriteFile(txt, []byte("not an image"), 0o600)
	if err := u.AttachImage("incidents", storage.NewFileURI(txt)); err == nil {
		t.Fatal("a text file was attached as an image")
	}
}

func TestAgendaEditorMovesRenamesRemovesAdds(t *testing.T) {
	u, _ := newUI(t)
	v := u.Current()
	changed := 0
	e := app.NewAgendaEditor(v.Meeting().Agenda(), func(err error) { t.Fatal(err) }, func() { changed++ })
	w := test.NewWindow(e.Object())
	defer w.Close()
	ag := v.Meeting().Agenda()
	if err := ag.Move("alerts", 0); err != nil {
		t.Fatal(err)
	}
	if err := ag.Rename("cost", "コスト (AWS)"); err != nil {
		t.Fatal(err)
	}
	if err := ag.Remove("impressions"); err != nil {
		t.Fatal(err)
	}
	if _, err := ag.Add("リリース計画", "", 5); err != nil {
		t.Fatal(err)
	}
	e.Refresh()
	secs, _ := v.Meeting().Sections()
	if secs[0].Key != "alerts" || secs[len(secs)-1].Title != "リリース計画" || len(secs) != 11 {
		t.Fatalf("agenda %+v", secs)
	}
	for _, s := range secs {
		if s.Key == "impressions" {
			t.Fatal("removed section still listed")
		}
	}
}

func TestSLOTable(t *testing.T) {
	u, _ := newUI(t)
	tbl := u.Current().Section("slo").SLOs()
	if tbl == nil {
		t.Fatal("SLO section has no table")
	}
	if err := tbl.Save(minutes.SLORow{Name: "API availability", Objective: "99.9%", Actual: "99.95%", Met: true, RevisitDate: "2027-03-01"}); err != nil {
		t.Fatal(err)
	}
	if err := tbl.Save(minutes.SLORow{Name: "bad", RevisitDate: "soon"}); err == nil {
		t.Fatal("bad revisit date accepted")
	}
	rows := tbl.Rows()
	if len(rows) != 1 || rows[0].Name != "API availability" || !rows[0].Met {
		t.Fatalf("rows %+v", rows)
	}
}

func TestRelayMarkOnSharedMeeting(t *testing.T) {
	u, ws := newUI(t)
	v := u.Current()
	if strings.Contains(v.HeaderText(), "⇅") {
		t.Fatal("unshared meeting marked as shared")
	}
	if err := sharing.SetRelayURL(ws.Settings(), "ws://127.0.0.1:3030"); err != nil {
		t.Fatal(err)
	}
	if err := sharing.Share(ws.Settings(), v.Meeting().ID()); err != nil {
		t.Fatal(err)
	}
	u.SelectMeeting(v.Meeting().ID())
	v.Refresh()
	if h := v.HeaderText(); !strings.Contains(h, "⇅") || !strings.Contains(h, "127.0.0.1:3030") {
		t.Fatalf("header of a shared meeting: %q", h)
	}
}
