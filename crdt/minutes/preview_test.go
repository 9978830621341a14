package minutes_test

import (
	"errors"
	"testing"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
)

// TestPreviewWithoutLoading: a meeting's plain-text view is kept with each
// save and read back after a restart without loading the document.
func TestPreviewWithoutLoading(t *testing.T) {
	dir := t.TempDir()
	ws, m := setup(t, dir)
	if err := m.AppendNotes("worklog", "証明書を更新した"); err != nil {
		t.Fatal(err)
	}
	if err := m.SpliceNotes("alerts", 0, 0, "CPU noisy"); err != nil {
		t.Fatal(err)
	}
	id := m.ID()
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws, err := minutes.Open(dir, minutes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	p, err := ws.Preview(id)
	if err != nil {
		t.Fatal(err)
	}
	if ws.Loaded(id) {
		t.Fatal("reading the preview loaded the document")
	}
	notes := map[string]string{}
	for _, s := range p.Sections {
		notes[s.Key] = s.Notes
	}
	if p.ID != id || p.Title == "" || notes["worklog"] != "証明書を更新した" || notes["alerts"] != "CPU noisy" {
		t.Fatalf("preview %+v", p)
	}
	if _, err := ws.Preview(docid.New()); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("preview of an unknown meeting: %v", err)
	}
}
