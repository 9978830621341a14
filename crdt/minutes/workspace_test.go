package minutes_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
)

func openWS(t *testing.T, dir string) *minutes.Workspace {
	t.Helper()
	ws, err := minutes.Open(dir, minutes.Options{Name: "Alice"})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return ws
}

func setup(t *testing.T, dir string) (*minutes.Workspace, *minutes.Meeting) {
	t.Helper()
	ws := openWS(t, dir)
	if _, err := ws.Setup("Web team", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("setup: %v", err)
	}
	infos, err := ws.Meetings()
	if err != nil || len(infos) != 1 {
		t.Fatalf("meetings after setup: %v %v", infos, err)
	}
	m, err := ws.Meeting(infos[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return ws, m
}

func TestSetupCreatesPWGAgenda(t *testing.T) {
	ws, m := setup(t, t.TempDir())
	defer ws.Close()
	secs, err := m.Sections()
	if err != nil {
		t.Fatal(err)
	}
	want := minutes.PWGTemplate()
	if len(secs) != len(want) {
		t.Fatalf("got %d sections, want %d", len(secs), len(want))
	}
	for i := range want {
		if secs[i].Key != want[i].Key || secs[i].Title != want[i].Title {
			t.Errorf("section %d = %s %q, want %s %q", i, secs[i].Key, secs[i].Title, want[i].Key, want[i].Title)
		}
	}
	if m.Date() != "2026-11-24" {
		t.Errorf("date = %q", m.Date())
	}
	again, err := ws.Setup("Other", time.Now())
	if err != nil || again {
		t.Errorf("second Setup created=%v err=%v, want nothing created", again, err)
	}
}

func TestWriteCloseReopen(t *testing.T) {
	dir := t.TempDir()
	ws, m := setup(t, dir)
	id := m.ID()
	if err := m.SpliceNotes("topics", 0, 0, "レイテンシ悪化 🚀"); err != nil {
		t.Fatal(err)
	}
	if err := m.SpliceNotes("topics", 2, 1, "X"); err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws = openWS(t, dir)
	defer ws.Close()
	m, err := ws.Meeting(id)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := m.Notes("topics")
	if got != "レイXンシ悪化 🚀" {
		t.Fatalf("after reopen notes = %q", got)
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir)
	defer ws.Close()
	_, err := minutes.Open(dir, minutes.Options{})
	if !errors.Is(err, storage.ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "another pwg") {
		t.Errorf("message %q does not say why", err)
	}
}

func TestChunksThenCompactionGiveSameDocument(t *testing.T) {
	dir := t.TempDir()
	ws, m := setup(t, dir)
	id := m.ID()
	var want strings.Builder
	// Enough committed edits that chunks outgrow the snapshot several times.
	for i := 0; i < 400; i++ {
		line := strings.Repeat("x", 50) + "\n"
		if err := m.AppendNotes("worklog", line); err != nil {
			t.Fatal(err)
		}
		want.WriteString(line)
	}
	heads := m.Handle().Heads()
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws = openWS(t, dir)
	defer ws.Close()
	m2, err := ws.Meeting(id)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := m2.Notes("worklog")
	if got != want.String() {
		t.Fatalf("text differs after compaction: %d vs %d chars", len(got), want.Len())
	}
	if !sameHeads(heads, m2.Handle().Heads()) {
		t.Fatal("heads differ after reopen")
	}
	var chunks, quarantined int
	ws.DB().QueryRow(`SELECT COUNT(*) FROM doc_chunks WHERE doc_id = ?`, id).Scan(&chunks)
	ws.DB().QueryRow(`SELECT COUNT(*) FROM quarantine`).Scan(&quarantined)
	if chunks >= 400 || quarantined != 0 {
		t.Fatalf("chunks=%d quarantined=%d: compaction did not run", chunks, quarantined)
	}
}

func sameHeads(a, b []automerge.ChangeHash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGarbageAtEndOfChunkLoadsLastGoodState(t *testing.T) {
	dir := t.TempDir()
	ws, m := setup(t, dir)
	id := m.ID()
	if err := m.AppendNotes("incidents", "first"); err != nil {
		t.Fatal(err)
	}
	if err := m.AppendNotes("incidents", "second"); err != nil {
		t.Fatal(err)
	}
	// Garbage at the end of the newest chunk.
	res, err := ws.DB().Exec(`UPDATE doc_chunks SET data = data || x'deadbeef00ff' WHERE doc_id = ? AND seq = (SELECT MAX(seq) FROM doc_chunks WHERE doc_id = ?)`, id, id)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("corrupting chunk: %v (rows %d)", err, n)
	}
	ws.Close()

	ws = openWS(t, dir)
	defer ws.Close()
	m2, err := ws.Meeting(id)
	if err != nil {
		t.Fatalf("damaged chunk made the meeting unloadable: %v", err)
	}
	got, _ := m2.Notes("incidents")
	if got != "first" {
		t.Fatalf("notes = %q, want the last good state %q", got, "first")
	}
	w := m2.Handle().Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "damaged") {
		t.Fatalf("warnings = %q", w)
	}
	var kept int
	ws.DB().QueryRow(`SELECT COUNT(*) FROM quarantine WHERE doc_id = ?`, id).Scan(&kept)
	if kept != 1 {
		t.Fatalf("damaged chunk not kept aside: %d", kept)
	}
	// Still editable, and edits persist.
	if err := m2.AppendNotes("incidents", "third"); err != nil {
		t.Fatal(err)
	}
}

func TestTruncatedDatabaseIsReportedAndLeftIntact(t *testing.T) {
	dir := t.TempDir()
	ws, m := setup(t, dir)
	for i := 0; i < 50; i++ {
		m.AppendNotes("topics", strings.Repeat("長い議事録 ", 40))
	}
	ws.Close()
	path := filepath.Join(dir, minutes.DBFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cut := b[:len(b)*2/3]
	if err := os.WriteFile(path, cut, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = minutes.Open(dir, minutes.Options{})
	if !errors.Is(err, storage.ErrCorrupt) {
		t.Fatalf("open of truncated db: %v, want storage.ErrCorrupt", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(after, cut) {
		t.Fatal("opening a damaged database changed the file")
	}
}

func TestNewerSchemaOpensReadOnly(t *testing.T) {
	dir := t.TempDir()
	ws, m := setup(t, dir)
	id := m.ID()
	if err := m.Handle().Change("future", func(d *automerge.Doc) error {
		return d.RootMap().Set("schema", int64(docs.SchemaVersion+1))
	}); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	ws = openWS(t, dir)
	defer ws.Close()
	m2, err := ws.Meeting(id)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(m2.Handle().ReadOnly(), storage.ErrNewerSchema) {
		t.Fatalf("ReadOnly = %v", m2.Handle().ReadOnly())
	}
	if err := m2.AppendNotes("topics", "x"); !errors.Is(err, docs.ErrReadOnly) {
		t.Fatalf("write to newer document: %v, want ErrReadOnly", err)
	}
	if secs, err := m2.Sections(); err != nil || len(secs) == 0 {
		t.Fatalf("newer document not readable: %v", err)
	}
}

func TestUnsubscribeAfterClose(t *testing.T) {
	ws := openWS(t, t.TempDir())
	_, stop := ws.Subscribe()
	ws.Close()
	stop() // must not panic (a sync node may outlive its workspace)
	stop()
}
