package docs_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/automerge/automerge-go"

	"github.com/pwg-team/pwg/crdt/docs"
)

// TestFailedReloadNeverOverwritesTheStore: a document unloaded while idle
// whose stored copy cannot be read when it is next used (a disk error; here
// its snapshot's checksum is broken) becomes an empty, read-only stand-in.
// A peer's changes are refused with ErrUnavailable instead of being merged
// into it, nothing is saved over the stored copy, and once the storage
// reads again the next use after it went idle loads the document whole.
func TestFailedReloadNeverOverwritesTheStore(t *testing.T) {
	r, st := openRuntime(t, "aa01")
	h, err := r.Create("note", "create", func(_ string, root *automerge.Map) error {
		return root.Set("body", automerge.NewText("minutes that must survive"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Flush(); err != nil {
		t.Fatal(err)
	}
	peer, err := automerge.Load(h.Save())
	if err != nil {
		t.Fatal(err)
	}
	if err := peer.Path("body").Text().Append(" and a peer's line"); err != nil {
		t.Fatal(err)
	}
	if _, err := peer.Commit("peer"); err != nil {
		t.Fatal(err)
	}
	h.Unload()
	if h.Resident() {
		t.Fatal("document not unloaded")
	}
	db := st.DB()
	var sum []byte
	if err := db.QueryRow(`SELECT snapshot_sum FROM docs WHERE id = ?`, h.ID()).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	var before []byte
	if err := db.QueryRow(`SELECT snapshot FROM docs WHERE id = ?`, h.ID()).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE docs SET snapshot_sum = ? WHERE id = ?`, []byte("broken"), h.ID()); err != nil {
		t.Fatal(err)
	}

	// The peer's whole document arrives while the store cannot be read.
	if err := h.MergeSaved(peer.Save(), "peer"); !errors.Is(err, docs.ErrUnavailable) {
		t.Fatalf("merge into a document that did not load again: %v, want ErrUnavailable", err)
	}
	if err := h.Flush(); err != nil {
		t.Fatal(err)
	}
	var after []byte
	if err := db.QueryRow(`SELECT snapshot FROM docs WHERE id = ?`, h.ID()).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("the stored snapshot was overwritten by the stand-in")
	}
	if ro := h.ReadOnly(); !errors.Is(ro, docs.ErrReadOnly) {
		t.Fatalf("stand-in not read-only: %v", ro)
	}

	// The storage reads again: the next use after going idle loads it whole.
	if _, err := db.Exec(`UPDATE docs SET snapshot_sum = ? WHERE id = ?`, sum, h.ID()); err != nil {
		t.Fatal(err)
	}
	h.Unload()
	if err := h.MergeSaved(peer.Save(), "peer"); err != nil {
		t.Fatal(err)
	}
	var body string
	if err := h.Read(func(d *automerge.Doc) error {
		v, err := d.Path("body").Text().Get()
		body = v
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if body != "minutes that must survive and a peer's line" {
		t.Fatalf("document after the storage came back: %q", body)
	}
	if h.ReadOnly() != nil {
		t.Fatalf("still read-only: %v", h.ReadOnly())
	}
}
