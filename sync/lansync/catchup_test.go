package lansync_test

import (
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
	"github.com/pwg-team/pwg/sync/presence"
)

// typeInto makes n one-character commits, like a person typing.
func typeInto(t testing.TB, d *memstore.Doc, n int, s string) {
	t.Helper()
	err := d.Read(func(doc *automerge.Doc) error {
		txt := doc.Path("notes").Text()
		for i := 0; i < n; i++ {
			if err := txt.Insert(txt.Len(), s); err != nil {
				return err
			}
			if _, err := doc.Commit("key"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func v1Size(t testing.TB, d *memstore.Doc) int {
	var n int
	_ = d.Read(func(doc *automerge.Doc) error {
		chs, err := doc.Changes()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range chs {
			n += len(c.Save())
		}
		return nil
	})
	return n
}

// TestEmptyPeerGetsSavedDocument: a peer with none of a long document gets
// the compacted document, not every change.
func TestEmptyPeerGetsSavedDocument(t *testing.T) {
	team := memstore.NewTeam()
	sa, sb := newStore(t, team), newStore(t, team)
	d := newTextDoc(t, sa, "")
	typeInto(t, d, 3000, "x")
	saved, changes := len(d.Save()), v1Size(t, d)
	a := startNode(t, sa, fastOpts(t))
	b := startNode(t, sb, fastOpts(t))
	_, cb, _, _ := link(a, b)
	waitFor(t, 10*time.Second, "catch-up", func() bool { return sameDocs(sa, sb) }, sa, sb)
	got := int(cb.n.Load())
	t.Logf("saved %d B, changes %d B, received %d B", saved, changes, got)
	// The first V1 message still carries a Bloom filter of every change
	// (about 10 bits each) and the exchange has a few framed messages
	// (about 1 KB, more with the origin and idempotency fields): the
	// changes themselves (100× more) must not cross.
	if limit := saved + 3000*10/8 + 2048; got > limit {
		t.Fatalf("empty peer received %d bytes; the saved document is %d (changes %d)", got, saved, changes)
	}
}

// TestReconnectSendsOnlyNew: the sync state kept from the last connection
// makes a reconnect cost a few hundred bytes, not a comparison of the whole
// history; a peer that forgot it costs more.
func TestReconnectSendsOnlyNew(t *testing.T) {
	team := memstore.NewTeam()
	sa, sb := newStore(t, team), newStore(t, team)
	d := newTextDoc(t, sa, "")
	typeInto(t, d, 2000, "y")
	first := func() (int64, int64) {
		a, _ := lansync.Start(t.Context(), sa, fastOpts(t))
		b, _ := lansync.Start(t.Context(), sb, fastOpts(t))
		defer a.Close()
		defer b.Close()
		ca, cb, _, _ := link(a, b)
		waitFor(t, 10*time.Second, "sync", func() bool { return sameDocs(sa, sb) }, sa, sb)
		n := ca.n.Load() + cb.n.Load()
		// A round trip each way settles both sides' shared heads.
		appendText(t, sb, d.ID(), "b")
		waitFor(t, 10*time.Second, "edit on B", func() bool { return sameDocs(sa, sb) }, sa, sb)
		appendText(t, sa, d.ID(), "a")
		waitFor(t, 10*time.Second, "edit on A", func() bool { return sameDocs(sa, sb) }, sa, sb)
		return n, 0
	}
	first()
	typeInto(t, d, 1, "z")
	inA, inB := first()
	withState := inA + inB
	t.Logf("reconnect with saved sync state: %d bytes", withState)

	// Forget the states on both sides and do it again.
	for _, st := range []*memstore.Store{sa, sb} {
		ids, _ := st.DocIDs()
		for _, id := range ids {
			for _, p := range []string{mustFP(t, sa), mustFP(t, sb)} {
				_ = st.SaveSyncState(p, id, nil)
			}
		}
	}
	typeInto(t, d, 1, "z")
	inA, inB = first()
	without := inA + inB
	t.Logf("reconnect without: %d bytes", without)
	if withState*2 > without {
		t.Fatalf("reconnect with state cost %d bytes, without %d", withState, without)
	}
}

func mustFP(t testing.TB, st lansync.Store) string {
	fp, err := lansync.Fingerprint(st)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

func TestPresence(t *testing.T) {
	team := memstore.NewTeam()
	sa, sb := newStore(t, team), newStore(t, team)
	meeting := newTextDoc(t, sa, "")
	a := startNode(t, sa, fastOpts(t))
	b := startNode(t, sb, fastOpts(t))
	events, stop := b.Subscribe()
	defer stop()
	a.SetPresence(presence.Presence{Name: "Aiko", Role: "facilitator", MeetingID: meeting.ID(), Section: "alerts", FacilitatorSection: "alerts"})
	ca, _, _, _ := link(a, b)
	next := func(kind lansync.EventKind) lansync.Event {
		t.Helper()
		for {
			select {
			case ev := <-events:
				if ev.Kind == kind {
					return ev
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("no %v event", kind)
			}
		}
	}
	if ev := next(lansync.PeerConnected); ev.Peer.Fingerprint != a.Fingerprint() {
		t.Fatalf("connected %+v", ev.Peer)
	}
	ev := next(lansync.PresenceChanged)
	if ev.Peer.Name != "Aiko" || ev.Peer.Presence.FacilitatorSection != "alerts" {
		t.Fatalf("presence %+v", ev.Peer)
	}
	a.SetPresence(presence.Presence{Name: "Aiko", Role: "facilitator", MeetingID: meeting.ID(), Section: "slo", FacilitatorSection: "slo"})
	if ev := next(lansync.PresenceChanged); ev.Peer.Presence.Section != "slo" {
		t.Fatalf("presence %+v", ev.Peer.Presence)
	}
	if ps := b.Peers(); len(ps) != 1 || !ps[0].Connected || ps[0].Presence.Section != "slo" {
		t.Fatalf("peers %+v", ps)
	}
	waitFor(t, 5*time.Second, "sync", func() bool { return sameDocs(sa, sb) }, sa, sb)
	ca.Close()
	if ev := next(lansync.PeerLost); ev.Peer.Presence != nil || ev.Peer.Connected {
		t.Fatalf("lost %+v", ev.Peer)
	}
	// Presence is never written into a document.
	d, _ := sb.Get(meeting.ID())
	_ = d.Read(func(doc *automerge.Doc) error {
		keys, _ := doc.RootMap().Keys()
		if len(keys) != 1 {
			t.Fatalf("document keys %v", keys)
		}
		return nil
	})
}
