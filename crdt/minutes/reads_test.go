package minutes_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// TestReadsNeverWrite: listing meetings, opening one, reading its sections
// and heads and saving it to bytes leave the database file byte-identical,
// for a small and for a large meeting (each listing added an identical
// chunk to the team document; each read of a large meeting rewrote its
// snapshot: a loaded document counted nothing as saved).
func TestReadsNeverWrite(t *testing.T) {
	dir := t.TempDir()
	ws, m := setup(t, dir)
	id := m.ID()
	secs, err := m.Sections()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		if err := m.AppendNotes(secs[i%len(secs)].Key, strings.Repeat("ログ line ", 200)+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, minutes.DBFile)
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		ws := openWS(t, dir)
		infos, err := ws.Meetings()
		if err != nil || len(infos) != 1 {
			t.Fatalf("meetings: %v %v", infos, err)
		}
		m, err := ws.Meeting(id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Sections(); err != nil {
			t.Fatal(err)
		}
		_ = m.Handle().Heads()
		_ = m.Handle().Save()
		if s, err := ws.Series(); err != nil {
			t.Fatal(err)
		} else {
			_ = s.Handle().Heads()
		}
		if err := ws.Close(); err != nil {
			t.Fatal(err)
		}
	}
	after, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatalf("reading changed the database (%d → %d bytes)", len(before), len(after))
	}
}
