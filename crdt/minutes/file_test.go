package minutes_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// diskState is what the workspace holds: every document and its stamp.
func diskState(t *testing.T, ws *minutes.Workspace) map[string]string {
	t.Helper()
	ids, err := ws.DocIDs()
	if err != nil {
		t.Fatal(err)
	}
	st, err := ws.MeetingStamps()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, id := range ids {
		out[id] = st[id]
	}
	return out
}

func notes(t *testing.T, m *minutes.Meeting, key string) string {
	t.Helper()
	s, err := m.Notes(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustImport(t *testing.T, ws *minutes.Workspace, data []byte) minutes.Imported {
	t.Helper()
	res, err := ws.ImportMeeting(data)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func TestMeetingFileRoundTripIntoAnotherTeam(t *testing.T) {
	a, ma := setup(t, t.TempDir())
	defer a.Close()
	if err := ma.AppendNotes("worklog", "- 証明書を手動で更新した"); err != nil {
		t.Fatal(err)
	}
	file := ma.SaveFile()

	b := openWS(t, t.TempDir())
	defer b.Close()
	if _, err := b.Setup("Other team", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	before, _ := b.Meetings()
	res := mustImport(t, b, file)
	if !res.New || !res.Changed || res.MeetingID != ma.ID() || res.Title != ma.Title() {
		t.Errorf("first import = %+v", res)
	}
	mb, err := b.Meeting(res.MeetingID)
	if err != nil {
		t.Fatal(err)
	}
	if got := notes(t, mb, "worklog"); got != "- 証明書を手動で更新した" {
		t.Errorf("notes after import = %q", got)
	}
	team, _ := b.Series()
	if mb.SeriesID() != team.ID() {
		t.Errorf("imported meeting belongs to %s, want this team %s", mb.SeriesID(), team.ID())
	}
	after, _ := b.Meetings()
	if len(after) != len(before)+1 || !slices.ContainsFunc(after, func(i minutes.MeetingInfo) bool { return i.ID == ma.ID() }) {
		t.Errorf("meetings after import: %+v", after)
	}

	// Importing the same file again changes nothing at all.
	disk := diskState(t, b)
	heads := mb.Handle().Heads()
	res = mustImport(t, b, file)
	if res.New || res.Changed {
		t.Errorf("second import = %+v, want neither new nor changed", res)
	}
	if !maps.Equal(disk, diskState(t, b)) || !slices.Equal(heads, mb.Handle().Heads()) {
		t.Error("second import changed the workspace")
	}
	if again, _ := b.Meetings(); len(again) != len(after) {
		t.Errorf("second import listed a duplicate: %+v", again)
	}
}

// A laptop without network sends its copy by mail: the file merges into
// the same meeting, both sides' edits kept.
func TestMeetingFileMergesIntoTheSameMeeting(t *testing.T) {
	a, ma := setup(t, t.TempDir())
	defer a.Close()
	b := openWS(t, t.TempDir())
	defer b.Close()
	if _, err := b.Setup("Laptop", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	mustImport(t, b, ma.SaveFile())
	mb, _ := b.Meeting(ma.ID())
	// Both write offline.
	if err := ma.AppendNotes("topics", "- Alice: キャンペーンの準備"); err != nil {
		t.Fatal(err)
	}
	if err := mb.AppendNotes("topics", "- Bob: DBの移行について"); err != nil {
		t.Fatal(err)
	}
	meetings, _ := a.Meetings()
	res := mustImport(t, a, mb.SaveFile())
	if res.New || !res.Changed || res.MeetingID != ma.ID() {
		t.Errorf("import into the same meeting = %+v", res)
	}
	got := notes(t, ma, "topics")
	if !strings.Contains(got, "Alice: キャンペーンの準備") || !strings.Contains(got, "Bob: DBの移行について") {
		t.Errorf("merged notes = %q, want both lines", got)
	}
	if now, _ := a.Meetings(); len(now) != len(meetings) {
		t.Errorf("meetings %d → %d: a duplicate", len(meetings), len(now))
	}
	// The team it belongs to stays the original's.
	team, _ := a.Series()
	if ma.SeriesID() != team.ID() {
		t.Errorf("meeting moved to team %s", ma.SeriesID())
	}
	// An older copy of one's own meeting changes nothing.
	res = mustImport(t, a, ma.SaveFile())
	if res.Changed {
		t.Errorf("re-import of own current state: %+v", res)
	}
}

func TestBadMeetingFilesChangeNothing(t *testing.T) {
	ws, m := setup(t, t.TempDir())
	defer ws.Close()
	if err := m.AppendNotes("worklog", "line"); err != nil {
		t.Fatal(err)
	}
	good := m.SaveFile()
	s, _ := ws.Series()
	other := automerge.New()
	if err := other.RootMap().Set("hello", "world"); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Commit("x"); err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte{}, good...)
	flipped[len(flipped)/2] ^= 0x40
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, minutes.ErrNotAutomerge},
		{"text", []byte("# PWG 2026-11\n- notes in Markdown\n"), minutes.ErrNotAutomerge},
		{"truncated", good[:len(good)-7], minutes.ErrNotAutomerge},
		{"bit flipped", flipped, minutes.ErrNotAutomerge},
		{"magic only", good[:4], minutes.ErrNotAutomerge},
		{"another Automerge document", other.Save(), minutes.ErrNotMeeting},
		{"the team's document", s.Handle().Save(), minutes.ErrNotMeeting},
	}
	disk := diskState(t, ws)
	meetings, _ := ws.Meetings()
	for _, c := range cases {
		_, err := ws.ImportMeeting(c.data)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	if !maps.Equal(disk, diskState(t, ws)) {
		t.Error("a refused file changed the workspace")
	}
	if now, _ := ws.Meetings(); len(now) != len(meetings) {
		t.Errorf("meetings %d → %d", len(meetings), len(now))
	}
}

// A meeting made by another Automerge tool carries no pwg id: every import
// of it (and of its later versions) lands in the same meeting.
func TestMeetingWithoutIDImportsOnce(t *testing.T) {
	ws, _ := setup(t, t.TempDir())
	defer ws.Close()
	d := automerge.New()
	r := d.RootMap()
	for k, v := range map[string]any{"schema": int64(1), "kind": "meeting", "title": "Tool-made PWG", "date": "2026-10-01"} {
		if err := r.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Set("sections", automerge.NewMap()); err != nil {
		t.Fatal(err)
	}
	secs, _ := r.Get("sections")
	if err := secs.Map().Set("worklog", automerge.NewMap()); err != nil {
		t.Fatal(err)
	}
	wl, _ := secs.Map().Get("worklog")
	for k, v := range map[string]any{"title": "作業ログ", "kind": "notes", "order": 1.0} {
		if err := wl.Map().Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := wl.Map().Set("notes", automerge.NewText("- first\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Commit("tool"); err != nil {
		t.Fatal(err)
	}
	first := mustImport(t, ws, d.Save())
	if !first.New {
		t.Errorf("first import = %+v", first)
	}
	n, _ := wl.Map().Get("notes")
	if err := n.Text().Append("- second\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Commit("tool"); err != nil {
		t.Fatal(err)
	}
	second := mustImport(t, ws, d.Save())
	if second.New || second.MeetingID != first.MeetingID || !second.Changed {
		t.Errorf("second import = %+v, first %+v", second, first)
	}
	m, err := ws.Meeting(first.MeetingID)
	if err != nil {
		t.Fatal(err)
	}
	if got := notes(t, m, "worklog"); got != "- first\n- second\n" {
		t.Errorf("notes = %q", got)
	}
}
