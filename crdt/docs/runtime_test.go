package docs_test

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/storage"
)

// A "note" document: an envelope and one text, "body", reported by key.
func noteTexts(d *automerge.Doc) ([]docs.Text, error) {
	v, err := d.RootMap().Get("body")
	if err != nil || v.Kind() != automerge.KindText {
		return nil, err
	}
	s, err := v.Text().Get()
	return []docs.Text{{Key: "body", Text: s}}, err
}

func envelope(d *automerge.Doc) (string, int64) {
	var kind string
	var schema int64
	if v, err := d.RootMap().Get("kind"); err == nil && v.Kind() == automerge.KindStr {
		kind = v.Str()
	}
	if v, err := d.RootMap().Get("schema"); err == nil && v.Kind() == automerge.KindInt64 {
		schema = v.Int64()
	}
	return kind, schema
}

func openRuntime(t *testing.T, actor string) (*docs.Runtime, *storage.Store) {
	t.Helper()
	st, err := storage.Open(filepath.Join(t.TempDir(), "pwg.db"))
	if err != nil {
		t.Fatal(err)
	}
	r := docs.New(st, docs.Options{Actor: actor, Author: docs.Author{PersonID: actor, Name: actor},
		Kinds: map[string]docs.Kind{"note": {Texts: noteTexts}}, Envelope: envelope})
	t.Cleanup(func() {
		r.Close()
		st.Close()
	})
	return r, st
}

func next(t *testing.T, ch <-chan docs.Event) docs.Event {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
	}
	return docs.Event{}
}

// TestChangeEventsAndStaleEdits: a change of a watched document names the
// texts it changed and its origin; a merge bumps the version, so an edit against the version
// read before it is refused with ErrStale and changes nothing.
func TestChangeEventsAndStaleEdits(t *testing.T) {
	a, _ := openRuntime(t, "aa01")
	b, _ := openRuntime(t, "bb02")
	h, err := a.Create("note", "create", func(_ string, root *automerge.Map) error {
		return root.Set("body", automerge.NewText("hello"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if h.Kind() != "note" {
		t.Fatalf("kind %q", h.Kind())
	}
	hb, err := b.EnsureDoc(h.ID())
	if err != nil {
		t.Fatal(err)
	}
	if err := hb.MergeSaved(h.Save(), "peer-a"); err != nil {
		t.Fatal(err)
	}
	if hb.Kind() != "note" {
		t.Fatalf("a document that arrived empty did not learn its kind: %q", hb.Kind())
	}

	defer h.Watch()() // a view shows it: events say what changed
	events, stop := a.Subscribe()
	defer stop()
	if err := h.Change("title", func(d *automerge.Doc) error { return d.RootMap().Set("title", "x") }); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, events); ev.Origin != docs.FromLocal || len(ev.Sections) != 0 || !ev.Meta {
		t.Fatalf("title change: %+v", ev)
	}

	version, err := h.ReadVersioned(func(*automerge.Doc) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := hb.Change("edit body", func(d *automerge.Doc) error {
		v, err := d.RootMap().Get("body")
		if err != nil {
			return err
		}
		return v.Text().Insert(5, ", world")
	}); err != nil {
		t.Fatal(err)
	}
	if err := h.MergeSaved(hb.Save(), "peer-b"); err != nil {
		t.Fatal(err)
	}
	ev := next(t, events)
	if ev.Origin != docs.FromPeer || ev.Peer != "peer-b" || !slices.Equal(ev.Sections, []string{"body"}) {
		t.Fatalf("merge: %+v", ev)
	}
	wrote := false
	err = h.EditIf(version, true, "type", func(*automerge.Doc) error { wrote = true; return nil })
	if !errors.Is(err, docs.ErrStale) || wrote {
		t.Fatalf("edit against the version before the merge: %v (ran: %v)", err, wrote)
	}
}

// TestDamagedChunkSetAside: a saved change whose bytes were damaged on disk
// is moved to quarantine and reported; the document loads its last good
// state.
func TestDamagedChunkSetAside(t *testing.T) {
	st, err := storage.Open(filepath.Join(t.TempDir(), "pwg.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := docs.New(st, docs.Options{Actor: "aa01", Kinds: map[string]docs.Kind{"note": {Texts: noteTexts}}, Envelope: envelope})
	h, err := r.Create("note", "create", func(_ string, root *automerge.Map) error {
		return root.Set("body", automerge.NewText("kept"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Change("more", func(d *automerge.Doc) error { return d.RootMap().Set("title", "lost") }); err != nil {
		t.Fatal(err)
	}
	id := h.ID()
	r.Close()
	if _, err := st.DB().Exec(`UPDATE doc_chunks SET data = x'00ff' WHERE doc_id = ?`, id); err != nil {
		t.Fatal(err)
	}

	r2 := docs.New(st, docs.Options{Actor: "aa01", Kinds: map[string]docs.Kind{"note": {Texts: noteTexts}}, Envelope: envelope})
	defer r2.Close()
	h2, err := r2.Doc(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(h2.Warnings()) != 1 {
		t.Fatalf("warnings %q", h2.Warnings())
	}
	var body string
	_ = h2.Read(func(d *automerge.Doc) error {
		texts, err := noteTexts(d)
		if len(texts) == 1 {
			body = texts[0].Text
		}
		return err
	})
	if body != "kept" {
		t.Fatalf("body %q", body)
	}
	var n int
	if err := st.DB().QueryRow(`SELECT COUNT(*) FROM quarantine WHERE doc_id = ?`, id).Scan(&n); err != nil || n != 1 {
		t.Fatalf("quarantined %d (%v)", n, err)
	}
}
