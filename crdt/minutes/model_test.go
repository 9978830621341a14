package minutes_test

import (
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// twoReplicas opens two workspaces holding the same team and meeting, as
// after a sync: B starts from A's saved documents.
func twoReplicas(t *testing.T) (a, b *minutes.Workspace, ma, mb *minutes.Meeting) {
	t.Helper()
	a, ma = setup(t, t.TempDir())
	t.Cleanup(func() { a.Close() })
	var err error
	b, err = minutes.Open(t.TempDir(), minutes.Options{Name: "Bob"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	sa, _ := a.Series()
	copyDoc(t, a, b, sa.ID())
	copyDoc(t, a, b, ma.ID())
	if err := b.Settings().SetCurrentTeam(sa.ID()); err != nil {
		t.Fatal(err)
	}
	mb, err = b.Meeting(ma.ID())
	if err != nil {
		t.Fatal(err)
	}
	return a, b, ma, mb
}

// copyDoc merges document id of from into to.
func copyDoc(t *testing.T, from, to *minutes.Workspace, id string) {
	t.Helper()
	src, err := from.Doc(id)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := to.EnsureDoc(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := dst.MergeSaved(src.Save(), ""); err != nil {
		t.Fatal(err)
	}
}

func keys(t *testing.T, m *minutes.Meeting) []string {
	t.Helper()
	secs, err := m.Sections()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(secs))
	for i, s := range secs {
		out[i] = s.Key
	}
	return out
}

func TestConcurrentAgendaEditsConverge(t *testing.T) {
	a, b, ma, mb := twoReplicas(t)
	// A moves "topics" to the top and removes "cost"; B moves "alerts" to the
	// top, also moves "topics" (elsewhere), renames "cost" and adds a section.
	if err := ma.Agenda().Move("topics", 0); err != nil {
		t.Fatal(err)
	}
	if err := ma.Agenda().Remove("cost"); err != nil {
		t.Fatal(err)
	}
	if err := mb.Agenda().Move("alerts", 0); err != nil {
		t.Fatal(err)
	}
	if err := mb.Agenda().Move("topics", 3); err != nil {
		t.Fatal(err)
	}
	if err := mb.Agenda().Rename("cost", "コスト (AWS)"); err != nil {
		t.Fatal(err)
	}
	if _, err := mb.Agenda().Add("リリース計画", "", 5); err != nil {
		t.Fatal(err)
	}
	copyDoc(t, a, b, ma.ID())
	copyDoc(t, b, a, ma.ID())
	ka, kb := keys(t, ma), keys(t, mb)
	if len(ka) != len(kb) {
		t.Fatalf("replicas disagree: %v vs %v", ka, kb)
	}
	seen := map[string]bool{}
	for i := range ka {
		if ka[i] != kb[i] {
			t.Fatalf("order differs at %d: %v vs %v", i, ka, kb)
		}
		if seen[ka[i]] {
			t.Fatalf("section %s duplicated: %v", ka[i], ka)
		}
		seen[ka[i]] = true
	}
	// 11 template sections - cost + the new one.
	if len(ka) != 11 || seen["cost"] || !seen["topics"] || !seen["alerts"] {
		t.Fatalf("sections after merge: %v", ka)
	}
	// The removal kept the renamed section's data: restoring brings it back renamed.
	if err := ma.Agenda().Restore("cost"); err != nil {
		t.Fatal(err)
	}
	secs, _ := ma.Sections()
	found := false
	for _, s := range secs {
		if s.Key == "cost" && s.Title == "コスト (AWS)" {
			found = true
		}
	}
	if !found {
		t.Fatal("restored section lost the concurrent rename")
	}
}

func TestMergeReportsChangedSections(t *testing.T) {
	a, b, ma, mb := twoReplicas(t)
	defer ma.Handle().Watch()()
	events, stop := a.Subscribe()
	defer stop()
	if err := mb.AppendNotes("worklog", "手作業で証明書更新"); err != nil {
		t.Fatal(err)
	}
	copyDoc(t, b, a, ma.ID())
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.DocID != ma.ID() || ev.Local() {
				continue
			}
			if len(ev.Sections) != 1 || ev.Sections[0] != "worklog" {
				t.Fatalf("merge event sections = %v, want [worklog]", ev.Sections)
			}
			got, _ := ma.Notes("worklog")
			if got != "手作業で証明書更新" {
				t.Fatalf("notes after merge = %q", got)
			}
			return
		case <-deadline:
			t.Fatal("no event after merge")
		}
	}
}

func TestActionItemsCarryOverAndCloseForTeam(t *testing.T) {
	ws, m1 := setup(t, t.TempDir())
	defer ws.Close()
	s, _ := ws.Series()
	if _, err := s.PutMember(minutes.Member{Name: "Sato", Role: "SRE", Required: true}); err != nil {
		t.Fatal(err)
	}
	a1, err := m1.AddActionItem(minutes.ActionItem{Title: "コネクションプール上限見直し", Owner: "Sato", TargetDate: "2026-12-15", DoneCriteria: "p99 < 200ms"})
	if err != nil {
		t.Fatal(err)
	}
	a2, err := m1.AddActionItem(minutes.ActionItem{Title: "証明書更新の自動化", Owner: "Tanaka"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetActionStatus(a2.ID, minutes.ActionDone); err != nil {
		t.Fatal(err)
	}
	m2, err := ws.NewMeeting("PWG 12月", "2026-12-22")
	if err != nil {
		t.Fatal(err)
	}
	carried, raised, err := m2.ActionItems()
	if err != nil {
		t.Fatal(err)
	}
	if len(raised) != 0 || len(carried) != 1 || carried[0].ID != a1.ID {
		t.Fatalf("carried=%v raised=%v, want only the open item", carried, raised)
	}
	// Closing it in the new meeting closes it for the team.
	if err := s.SetActionStatus(carried[0].ID, minutes.ActionDone); err != nil {
		t.Fatal(err)
	}
	m3, _ := ws.NewMeeting("PWG 1月", "2027-01-26")
	if c, _, _ := m3.ActionItems(); len(c) != 0 {
		t.Fatalf("closed item carried again: %v", c)
	}
	// Attendance: the required SRE is missing until marked present.
	missing, _ := m3.MissingRequired()
	if len(missing) != 1 || missing[0].Name != "Sato" {
		t.Fatalf("missing = %v", missing)
	}
	if err := m3.SetAttendee(minutes.Attendee{MemberID: missing[0].ID, Name: "Sato", Present: true, Role: minutes.RoleFacilitator}); err != nil {
		t.Fatal(err)
	}
	if missing, _ := m3.MissingRequired(); len(missing) != 0 {
		t.Fatalf("still missing %v", missing)
	}
	if _, err := s.PutActionItem(minutes.ActionItem{Title: "x", TargetDate: "next week"}); err == nil {
		t.Fatal("bad target date accepted")
	}
}

func TestSectionHistory(t *testing.T) {
	a, b, ma, mb := twoReplicas(t)
	if err := ma.AppendNotes("topics", "Alice's topic"); err != nil {
		t.Fatal(err)
	}
	copyDoc(t, a, b, ma.ID())
	if err := mb.SpliceNotes("topics", 0, 8, "Our "); err != nil {
		t.Fatal(err)
	}
	mb.Handle().Flush()
	copyDoc(t, b, a, ma.ID())
	h, err := ma.History("topics", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 {
		t.Fatalf("history has %d entries: %+v", len(h), h)
	}
	if h[0].Author.Name != "Bob" || h[0].Added != "Our" || h[0].Removed != "Alice's" {
		t.Errorf("newest entry = %+v", h[0])
	}
	if h[1].Author.Name != "Alice" || h[1].Added != "Alice's topic" {
		t.Errorf("oldest entry = %+v", h[1])
	}
	then, err := ma.NotesAt("topics", h[1].Hash)
	if err != nil || then != "Alice's topic" {
		t.Fatalf("NotesAt = %q, %v", then, err)
	}
	if now, _ := ma.Notes("topics"); now != "Our topic" {
		t.Fatalf("now = %q", now)
	}
}

func TestAttachmentBytesTravelWithTheMeeting(t *testing.T) {
	a, b, ma, mb := twoReplicas(t)
	png := []byte("\x89PNG\r\n\x1a\n pretend graph")
	att, err := ma.AddAttachment(minutes.Attachment{Name: "latency.png", Mime: "image/png", Caption: "p95"}, png)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Blob(att.Hash); err == nil {
		t.Fatal("B has the blob before any sync")
	}
	copyDoc(t, a, b, ma.ID())
	mime, data, err := b.Blob(att.Hash)
	if err != nil || mime != "image/png" || string(data) != string(png) {
		t.Fatalf("blob on B after sync: %q %q %v", mime, data, err)
	}
	list, _ := mb.Attachments()
	if len(list) != 1 || list[0].Caption != "p95" {
		t.Fatalf("attachments on B: %+v", list)
	}
}

func TestMeetingWithoutItsSeriesIsListed(t *testing.T) {
	a, ma := setup(t, t.TempDir())
	defer a.Close()
	remote, err := minutes.Open(t.TempDir(), minutes.Options{Name: "remote attendee"})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	copyDoc(t, a, remote, ma.ID()) // the meeting only, as a relay would share it
	infos, err := remote.Meetings()
	if err != nil || len(infos) != 1 || infos[0].ID != ma.ID() || infos[0].Title != ma.Title() {
		t.Fatalf("meetings of a remote attendee: %+v %v", infos, err)
	}
}
