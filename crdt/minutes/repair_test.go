package minutes_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// TestHostilePeerCannotLockOutAMeeting: what an automerge-repo peer that
// knows a meeting's id writes into it — "kind" set to "series", "schema" to
// 999, a number for the title, another document's fields for the agenda —
// never locks pwg out: the meeting still opens (also after a restart), a
// schema set back makes it writable again, the malformed fields are named,
// and Repair restores them from the document's own history as a new change.
func TestHostilePeerCannotLockOutAMeeting(t *testing.T) {
	dir := t.TempDir()
	ws, m := setup(t, dir)
	id, title := m.ID(), m.Title()
	secs, err := m.Sections()
	if err != nil {
		t.Fatal(err)
	}
	key := secs[0].Key
	if err := m.AppendNotes(key, "keep me"); err != nil {
		t.Fatal(err)
	}
	peer := func(m *minutes.Meeting, edit func(r *automerge.Map) error) {
		t.Helper()
		d, err := automerge.Load(m.Handle().Save())
		if err != nil {
			t.Fatal(err)
		}
		if err := d.SetActorID(strings.Repeat("ee", 16)); err != nil {
			t.Fatal(err)
		}
		if err := edit(d.RootMap()); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Commit("peer"); err != nil {
			t.Fatal(err)
		}
		if err := m.Handle().MergeSaved(d.Save(), "js-peer"); err != nil {
			t.Fatal(err)
		}
	}
	set := func(k string, v any) func(r *automerge.Map) error {
		return func(r *automerge.Map) error { return r.Set(k, v) }
	}

	peer(m, set("kind", "series"))
	peer(m, set("title", 42))
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws = openWS(t, dir)
	defer func() { ws.Close() }()
	m, err = ws.Meeting(id)
	if err != nil {
		t.Fatalf("a meeting pwg listed does not open after a peer set its kind: %v", err)
	}
	if p := strings.Join(m.Problems(), "; "); !strings.Contains(p, "kind is the text \"series\"") || !strings.Contains(p, "title is the number 42, not text") {
		t.Fatalf("problems %q", p)
	}

	// A newer schema makes it read-only; set back, it is writable again.
	peer(m, set("schema", 999))
	if err := m.AppendNotes(key, " x"); !errors.Is(err, docs.ErrReadOnly) {
		t.Fatalf("append to schema 999: %v, want read-only", err)
	}
	peer(m, set("schema", 1))
	if err := m.AppendNotes(key, "!"); err != nil {
		t.Fatalf("schema set back, still: %v", err)
	}

	// Another document's fields under the id, read-only again: repair.
	notes, _ := m.Notes(key)
	peer(m, set("schema", 999))
	peer(m, set("sections", "not an agenda"))
	if s, _ := m.Sections(); len(s) != 0 {
		t.Fatalf("sections %v", s)
	}
	restored, err := m.Repair()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"kind", "schema", "sections", "title"}
	if !slices.Equal(restored, want) {
		t.Fatalf("restored %v, want %v", restored, want)
	}
	if p := m.Problems(); len(p) != 0 || m.Title() != title || m.Handle().ReadOnly() != nil {
		t.Fatalf("after repair: problems %v, title %q, read-only %v", p, m.Title(), m.Handle().ReadOnly())
	}
	if n, _ := m.Notes(key); n != notes || !strings.Contains(n, "keep me") || !strings.Contains(n, "!") {
		t.Fatalf("notes after repair %q, want %q", n, notes)
	}
	if err := m.AppendNotes(key, " more"); err != nil {
		t.Fatal(err)
	}
	chs, err := m.Handle().ChangesSince()
	if err != nil || !slices.ContainsFunc(chs, func(c docs.ChangeInfo) bool { return c.What == "repair malformed fields" }) {
		t.Fatalf("no repair change in the history: %v", err)
	}
	// The repair is a change like any other: a copy elsewhere gets it.
	other, err := automerge.Load(m.Handle().Save())
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := other.Path("title").Get(); v.Kind() != automerge.KindStr || v.Str() != title {
		t.Fatalf("title in a saved copy: %v", v)
	}
	if again, err := m.Repair(); err != nil || len(again) != 0 {
		t.Fatalf("second repair: %v %v", again, err)
	}
}
