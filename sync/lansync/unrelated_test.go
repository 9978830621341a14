package lansync_test

import (
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/sync/memstore"
	"github.com/pwg-team/pwg/sync/protocol"
)

// TestUnrelatedSavedDocRefused: a pwg-saved-doc that shares no history with
// the local copy of its document (another document under the same id) is
// refused — not merged, answered doc-unavailable, the connection kept —
// while a copy that diverged from the local one still merges.
func TestUnrelatedSavedDocRefused(t *testing.T) {
	team := memstore.NewTeam()
	sa := newStore(t, team)
	doc := newTextDoc(t, sa, "minutes")
	a := startNode(t, sa, fastOpts(t))
	before, _ := sa.Get(doc.ID())
	heads := before.Heads()

	intruder := automerge.New()
	if err := intruder.RootMap().Set("notes", automerge.NewText("intruder")); err != nil {
		t.Fatal(err)
	}
	if _, err := intruder.Commit("other"); err != nil {
		t.Fatal(err)
	}
	r := newRogue(t, team, a)
	r.send(t, &protocol.Message{Type: protocol.TypeSavedDoc, SenderID: r.id, TargetID: r.node, DocumentID: doc.ID(), Data: intruder.Save()})
	waitMsg(t, r, protocol.TypeDocUnavailable, doc.ID())
	after, _ := sa.Get(doc.ID())
	if !memstore.SameHeads(heads, after.Heads()) || textOf(sa, doc.ID()) != "minutes" {
		t.Fatalf("unrelated document merged: %q", textOf(sa, doc.ID()))
	}
	select {
	case err := <-r.ended:
		t.Fatalf("connection dropped: %v", err)
	default:
	}

	// A diverged copy of the same document merges.
	var fork *automerge.Doc
	_ = before.Read(func(d *automerge.Doc) error {
		var err error
		fork, err = automerge.Load(d.Save())
		return err
	})
	txt := fork.Path("notes").Text()
	_ = txt.Insert(txt.Len(), " (theirs)")
	if _, err := fork.Commit("theirs"); err != nil {
		t.Fatal(err)
	}
	appendText(t, sa, doc.ID(), " (ours)")
	r2 := newRogue(t, team, a)
	r2.send(t, &protocol.Message{Type: protocol.TypeSavedDoc, SenderID: r2.id, TargetID: r2.node, DocumentID: doc.ID(), Data: fork.Save()})
	waitFor(t, 5*time.Second, "diverged copy merged", func() bool {
		s := textOf(sa, doc.ID())
		return contains(s, "(theirs)") && contains(s, "(ours)")
	}, sa)
}

// waitMsg waits for the node to send r a message of type typ for doc.
func waitMsg(t *testing.T, r *rogue, typ, doc string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case m := <-r.got:
			if m.Type == typ && m.DocumentID == doc {
				return
			}
		case err := <-r.ended:
			t.Fatalf("connection ended (%v) before %s for %s", err, typ, doc)
		case <-deadline:
			t.Fatalf("no %s for %s", typ, doc)
		}
	}
}
