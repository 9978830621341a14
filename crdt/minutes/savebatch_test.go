package minutes_test

import (
	"testing"

	"github.com/pwg-team/pwg/crdt/minutes"
)

func chunkRows(t *testing.T, ws *minutes.Workspace, id string) int {
	t.Helper()
	var n int
	if err := ws.DB().QueryRow(`SELECT count(*) FROM doc_chunks WHERE doc_id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMergeSavesAreBatched: thirty keystrokes arriving from a peer one sync
// exchange each are saved together (one incremental save within the save
// delay, not one per message), and Flush puts them on disk at once.
func TestMergeSavesAreBatched(t *testing.T) {
	_, b, ma, mb := twoReplicas(t)
	ha, hb := ma.Handle(), mb.Handle()
	if err := hb.Flush(); err != nil {
		t.Fatal(err)
	}
	before := chunkRows(t, b, mb.ID())
	for i := 0; i < 30; i++ {
		if err := ma.SpliceNotes("worklog", i, 0, "k"); err != nil {
			t.Fatal(err)
		}
		syncOnce(t, ha, hb)
	}
	if got := chunkRows(t, b, mb.ID()) - before; got > 2 {
		t.Fatalf("%d saves for 30 merged keystrokes", got)
	}
	if err := hb.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := chunkRows(t, b, mb.ID()) - before; got < 1 {
		t.Fatal("nothing saved after Flush")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := minutes.Open(b.Dir(), minutes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	m2, err := b2.Meeting(mb.ID())
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := m2.Notes("worklog"); len(n) < 30 {
		t.Fatalf("reopened notes %q", n)
	}
}
