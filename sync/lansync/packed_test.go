package lansync_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
	"github.com/pwg-team/pwg/sync/protocol"
)

// typeOffline appends n characters to a document, one Edit (one change)
// per 64 of them, as the editor's batching commits them.
func typeOffline(t *testing.T, st *memstore.Store, id string, seed uint64, n int) {
	t.Helper()
	text := []rune(prose(seed, n))
	for i := 0; i < n; i += 64 {
		appendText(t, st, id, string(text[i:min(i+64, n)]))
	}
}

// changesSince returns the saved bytes of the changes of a document made
// after heads, concatenated.
func changesSince(t *testing.T, st *memstore.Store, id string, heads []automerge.ChangeHash) []byte {
	t.Helper()
	d, err := st.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	err = d.Read(func(doc *automerge.Doc) error {
		chs, err := doc.Changes(heads...)
		for _, c := range chs {
			out = append(out, c.Save()...)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOfflineMergePackedAgainstSharedHistory: two devices that share a
// document part, type offline and meet again. They converge, and what
// crosses the wire both ways is less than DEFLATE of the new changes alone
// (what was sent before packing), because the changes go packed against
// the history both hold.
func TestOfflineMergePackedAgainstSharedHistory(t *testing.T) {
	team := memstore.NewTeam()
	sa, sb := newStore(t, team), newStore(t, team)
	doc := newTextDoc(t, sa, "")
	typeOffline(t, sa, doc.ID(), 3, 6000)
	{
		a, b := startNode(t, sa, fastOpts(t)), startNode(t, sb, fastOpts(t))
		link(a, b)
		waitFor(t, 10*time.Second, "first sync", func() bool { return textOf(sa, doc.ID()) == textOf(sb, doc.ID()) }, sa, sb)
		a.Close()
		b.Close()
	}
	d, _ := sa.Get(doc.ID())
	parted := d.Heads()
	// Enough for a message over 16 KiB each way: shorter ones go DEFLATE-compressed.
	typeOffline(t, sa, doc.ID(), 1, 6000)
	typeOffline(t, sb, doc.ID(), 2, 6000)
	za, _ := protocol.Deflate(changesSince(t, sa, doc.ID(), parted))
	zb, _ := protocol.Deflate(changesSince(t, sb, doc.ID(), parted))

	a, b := startNode(t, sa, fastOpts(t)), startNode(t, sb, fastOpts(t))
	ca, cb, _, _ := link(a, b)
	waitFor(t, 10*time.Second, "merge", func() bool {
		return textOf(sa, doc.ID()) == textOf(sb, doc.ID()) && strings.Count(textOf(sa, doc.ID()), "") > 18000
	}, sa, sb)
	wire := ca.n.Load() + cb.n.Load()
	t.Logf("wire %d bytes both ways; DEFLATE of the new changes alone: %d", wire, len(za)+len(zb))
	if wire >= int64(len(za)+len(zb)) {
		t.Fatalf("the merge took %d bytes on the wire, not less than DEFLATE of the new changes (%d)", wire, len(za)+len(zb))
	}
}

// newRogueWith is newRogue announcing features.
func newRogueWith(t *testing.T, team lansync.Team, n *lansync.Node, features ...string) *rogue {
	t.Helper()
	return newRogueMeta(t, team, n, &protocol.PeerMetadata{Features: features})
}

// TestPackedFromPeerWithOtherHistory: a packed message whose dictionary
// names changes this device lacks is answered pwg-sync-unpackable and the
// connection stays; a damaged one ends the connection and changes nothing.
func TestPackedFromPeerWithOtherHistory(t *testing.T) {
	team := memstore.NewTeam()
	sa := newStore(t, team)
	doc := newTextDoc(t, sa, "minutes")
	a := startNode(t, sa, fastOpts(t))

	// A real packed message, from a document a does not share.
	other := automerge.New()
	if err := other.Path("notes").Set(automerge.NewText(strings.Repeat("x", 3000))); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Commit(""); err != nil {
		t.Fatal(err)
	}
	ss := automerge.NewSyncState(other)
	msg, _ := ss.GenerateMessage()
	var unknown automerge.ChangeHash
	copy(unknown[:], bytes.Repeat([]byte{7}, 32))
	packed, err := protocol.PackSync(msg.Bytes(), []automerge.ChangeHash{unknown}, &protocol.Dict{})
	if err != nil {
		t.Fatal(err)
	}

	r := newRogueWith(t, team, a, protocol.FeaturePacked)
	r.send(t, &protocol.Message{Type: protocol.TypeSyncPacked, SenderID: r.id, TargetID: r.node, DocumentID: doc.ID(), Data: packed})
	deadline := time.After(5 * time.Second)
	for answered := false; !answered; {
		select {
		case m := <-r.got:
			answered = m.Type == protocol.TypeSyncUnpackable && m.DocumentID == doc.ID()
		case err := <-r.ended:
			t.Fatalf("connection ended (%v); want pwg-sync-unpackable", err)
		case <-deadline:
			t.Fatal("no pwg-sync-unpackable answer")
		}
	}

	noDict, err := protocol.PackSync(msg.Bytes(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(noDict)
	bad[len(bad)/2] ^= 0xff
	r.send(t, &protocol.Message{Type: protocol.TypeSyncPacked, SenderID: r.id, TargetID: r.node, DocumentID: doc.ID(), Data: bad})
	r.wantDropped(t, "packed sync message")
	if got := textOf(sa, doc.ID()); got != "minutes" {
		t.Fatalf("document is %q after a damaged packed message", got)
	}
}

// TestUnpackableResentWithoutDictionary: a peer that cannot build the
// dictionary of a packed message says so, and gets the changes again
// without one; saying it twice does not end the connection.
func TestUnpackableResentWithoutDictionary(t *testing.T) {
	team := memstore.NewTeam()
	sa := newStore(t, team)
	doc := newTextDoc(t, sa, "minutes")
	a := startNode(t, sa, fastOpts(t))
	r := newRogueWith(t, team, a, protocol.FeaturePacked)

	// The rogue holds the document as it is, and says so.
	d, _ := sa.Get(doc.ID())
	var saved []byte
	_ = d.Read(func(doc *automerge.Doc) error { saved = doc.Save(); return nil })
	mine, err := automerge.Load(saved)
	if err != nil {
		t.Fatal(err)
	}
	rs := automerge.NewSyncState(mine)
	sync := func(data []byte) {
		r.send(t, &protocol.Message{Type: protocol.TypeSync, SenderID: r.id, TargetID: r.node, DocumentID: doc.ID(), Data: data})
	}
	hello, _ := rs.GenerateMessage()
	sync(hello.Bytes())
	next := func(what string) *protocol.Message {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for {
			select {
			case m := <-r.got:
				if m.DocumentID == doc.ID() && m.Type != protocol.TypeEphemeral {
					return m
				}
			case err := <-r.ended:
				t.Fatalf("connection ended (%v) waiting for %s", err, what)
			case <-deadline:
				t.Fatalf("no %s", what)
			}
		}
	}
	// a answers with its heads: both now share them.
	if m := next("answer to the rogue's heads"); m.Type != protocol.TypeSync {
		t.Fatalf("answer %s", m.Type)
	} else if _, err := rs.ReceiveMessage(m.Data); err != nil {
		t.Fatal(err)
	}
	appendText(t, sa, doc.ID(), prose(5, 20000)) // one change, long enough for a dictionary
	m := next("packed changes")
	for m.Type == protocol.TypeSync { // a message of heads may come first
		m = next("packed changes")
	}
	if m.Type != protocol.TypeSyncPacked {
		t.Fatalf("changes came as %s, want %s", m.Type, protocol.TypeSyncPacked)
	}
	if heads, err := protocol.DictHeads(m.Data); err != nil || len(heads) == 0 {
		t.Fatalf("packed without a dictionary (%v, %v): nothing to refuse", heads, err)
	}
	// Said twice, as for a second packed message that crossed the first
	// answer: the connection stays and the changes come once more.
	for i := 0; i < 2; i++ {
		r.send(t, &protocol.Message{Type: protocol.TypeSyncUnpackable, SenderID: r.id, TargetID: r.node, DocumentID: doc.ID()})
	}
	for {
		m = next("the changes again")
		data := m.Data
		switch m.Type {
		case protocol.TypeSyncPacked:
			if heads, _ := protocol.DictHeads(m.Data); len(heads) > 0 {
				t.Fatal("resent with a dictionary again")
			}
			if data, err = protocol.UnpackSync(m.Data, nil, 1<<24); err != nil {
				t.Fatal(err)
			}
		case protocol.TypeSyncDeflate:
			if data, err = protocol.Inflate(m.Data, 1<<24); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := rs.ReceiveMessage(data); err != nil {
			t.Fatal(err)
		}
		if got := mine.Path("notes").Text(); got != nil {
			if s, _ := got.Get(); s == textOf(sa, doc.ID()) {
				return // the rogue has every change now
			}
		}
		if reply, ok := rs.GenerateMessage(); ok {
			sync(reply.Bytes())
		}
	}
}
