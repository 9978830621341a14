package minutes_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// TestIdleDocumentsUnloadAndComeBack: a document nobody uses is unloaded
// once everything is saved, and comes back on its next use with nothing
// lost; pending edits, a watching window or a sync state keep it loaded.
func TestIdleDocumentsUnloadAndComeBack(t *testing.T) {
	dir := t.TempDir()
	ws, err := minutes.Open(dir, minutes.Options{Name: "t", IdleUnload: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ws.Close() }()
	if _, err := ws.Setup("SRE", time.Now()); err != nil {
		t.Fatal(err)
	}
	infos, _ := ws.Meetings()
	m, _ := ws.Meeting(infos[0].ID)
	h := m.Handle()
	if err := m.SpliceNotes("worklog", 0, 0, "typed, not yet committed"); err != nil {
		t.Fatal(err)
	}
	ws.UnloadIdle(0)
	if !h.Resident() {
		t.Fatal("unloaded with edits pending")
	}
	if err := h.Flush(); err != nil {
		t.Fatal(err)
	}
	stop := h.Watch()
	ws.UnloadIdle(0)
	if !h.Resident() {
		t.Fatal("unloaded while a window watches it")
	}
	stop()
	ss, err := h.NewSyncState(nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.UnloadIdle(0)
	if !h.Resident() {
		t.Fatal("unloaded while a sync state holds it")
	}
	_ = ss
	h.ReleaseSyncState()
	if ws.UnloadIdle(time.Hour) != 0 || !h.Resident() {
		t.Fatal("unloaded before it was idle long enough")
	}
	if ws.UnloadIdle(0) == 0 || h.Resident() {
		t.Fatal("an idle, saved document stayed loaded")
	}
	// Next use loads it again, with everything.
	notes, err := m.Notes("worklog")
	if err != nil || notes != "typed, not yet committed" {
		t.Fatalf("notes after reload %q, %v", notes, err)
	}
	if !h.Resident() {
		t.Fatal("not loaded again on use")
	}
	if err := m.SpliceNotes("worklog", 0, 0, "more "); err != nil {
		t.Fatal(err)
	}
	if err := h.Flush(); err != nil {
		t.Fatal(err)
	}
	ws.UnloadIdle(0)
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws, err = minutes.Open(dir, minutes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m2, err := ws.Meeting(m.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := m2.Notes("worklog"); got != "more typed, not yet committed" {
		t.Fatalf("after restart: %q", got)
	}
	if w := m2.Handle().Warnings(); len(w) > 0 {
		t.Fatalf("warnings after reload and restart: %v", strings.Join(w, "; "))
	}
}
