package lansync_test

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
	"github.com/pwg-team/pwg/sync/protocol"
	"github.com/pwg-team/pwg/sync/transport"
)

// rogue is a device holding the team key that misbehaves: it does the
// handshake and join properly, then sends whatever a test wants.
type rogue struct {
	c     *transport.Conn
	id    string
	node  string
	ended chan error
	got   chan *protocol.Message // what the node sent (dropped when full)
}

func newRogue(t *testing.T, team lansync.Team, n *lansync.Node) *rogue {
	t.Helper()
	return newRogueMeta(t, team, n, &protocol.PeerMetadata{})
}

func newRogueMeta(t *testing.T, team lansync.Team, n *lansync.Node, meta *protocol.PeerMetadata) *rogue {
	t.Helper()
	pa, pb := net.Pipe()
	r := &rogue{ended: make(chan error, 1), node: n.Fingerprint(), got: make(chan *protocol.Message, 256)}
	go func() { r.ended <- n.Attach(pb, false, "rogue") }()
	idt, _ := transport.NewIdentity()
	c, err := transport.Handshake(pa, transport.Config{Identity: idt, TeamKey: team.Key}, true)
	if err != nil {
		t.Fatal(err)
	}
	r.c, r.id = c, idt.Fingerprint()
	r.send(t, &protocol.Message{Type: protocol.TypeJoin, SenderID: r.id, SupportedProtocolVersions: []string{"1"}, PeerMetadata: meta})
	b, err := c.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if m, err := protocol.Decode(b); err != nil || m.Type != protocol.TypePeer {
		t.Fatalf("join answer: %+v %v", m, err)
	}
	// Keep reading what the node sends so its writes never block.
	go func() {
		for {
			b, err := c.Recv()
			if err != nil {
				return
			}
			if m, err := protocol.Decode(b); err == nil {
				select {
				case r.got <- m:
				default:
				}
			}
		}
	}()
	return r
}

func (r *rogue) send(t *testing.T, m *protocol.Message) {
	t.Helper()
	b, err := protocol.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	r.sendRaw(b)
}

func (r *rogue) sendRaw(b []byte) { go func() { _ = r.c.Send(b) }() }

func (r *rogue) wantDropped(t *testing.T, reason string) {
	t.Helper()
	select {
	case err := <-r.ended:
		if err == nil || !strings.Contains(err.Error(), reason) {
			t.Fatalf("connection ended with %v, want a reason containing %q", err, reason)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("connection not dropped (want %q)", reason)
	}
}

// TestBadPeersDroppedOthersUnaffected: each kind of bad input drops only the
// connection it came on; a good peer keeps syncing and no document changes.
func TestBadPeersDroppedOthersUnaffected(t *testing.T) {
	team := memstore.NewTeam()
	sa, sb := newStore(t, team), newStore(t, team)
	doc := newTextDoc(t, sa, "minutes")
	opts := fastOpts(t)
	opts.MessageRate, opts.MessageBurst = 100, 200
	opts.IdleTimeout = 300 * time.Millisecond
	a := startNode(t, sa, opts)
	b := startNode(t, sb, fastOpts(t))
	link(a, b)
	waitFor(t, 5*time.Second, "first sync", func() bool { return sameDocs(sa, sb) }, sa, sb)
	headsBefore, _ := sa.Get(doc.ID())

	m := func(typ string) *protocol.Message {
		return &protocol.Message{Type: typ, DocumentID: doc.ID(), Data: []byte{0x42, 0xff, 0xff}}
	}
	cases := []struct {
		name, reason string
		act          func(r *rogue)
	}{
		{"not cbor", "undecodable message", func(r *rogue) { r.sendRaw([]byte{0xff, 0x13, 0x37}) }},
		{"unknown type", "unknown message type", func(r *rogue) {
			x := m("gossip")
			x.SenderID = r.id
			r.send(t, x)
		}},
		{"bad sync data", "does not apply", func(r *rogue) {
			x := m(protocol.TypeSync)
			x.SenderID, x.TargetID = r.id, r.node
			r.send(t, x)
		}},
		{"saved doc that does not load", "does not load", func(r *rogue) {
			x := m(protocol.TypeSavedDoc)
			x.SenderID, x.TargetID = r.id, r.node
			r.send(t, x)
		}},
		{"spoofed sender", "claims sender", func(r *rogue) {
			x := m(protocol.TypeLeave)
			x.SenderID = b.Fingerprint()
			r.send(t, x)
		}},
		{"second join", "unexpected join", func(r *rogue) {
			r.send(t, &protocol.Message{Type: protocol.TypeJoin, SenderID: r.id, SupportedProtocolVersions: []string{"1"}})
		}},
		{"flood", "flood", func(r *rogue) {
			go func() {
				for i := 0; i < 1000; i++ {
					b, _ := protocol.Encode(&protocol.Message{Type: protocol.TypeDocUnavailable, SenderID: r.id, TargetID: r.node, DocumentID: doc.ID()})
					if r.c.Send(b) != nil {
						return
					}
				}
			}()
		}},
		{"stall", "stalled", func(r *rogue) {}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRogue(t, team, a)
			c.act(r)
			r.wantDropped(t, c.reason)
			r.c.Close()
		})
	}
	after, _ := sa.Get(doc.ID())
	if !memstore.SameHeads(headsBefore.Heads(), after.Heads()) {
		t.Fatal("a bad peer changed the document")
	}
	appendText(t, sb, doc.ID(), " still syncing")
	waitFor(t, 5*time.Second, "good peer still syncing", func() bool { return textOf(sa, doc.ID()) == "minutes still syncing" }, sa)
}

// TestWrongTeamKey: a device of another team gets nothing and gives nothing.
func TestWrongTeamKey(t *testing.T) {
	sa := newStore(t, memstore.NewTeam())
	sb := newStore(t, memstore.NewTeam())
	newTextDoc(t, sa, "secret minutes")
	a := startNode(t, sa, fastOpts(t))
	b := startNode(t, sb, fastOpts(t))
	ca, cb, ea, eb := link(a, b)
	for _, ch := range []chan error{ea, eb} {
		if err := <-ch; !errors.Is(err, transport.ErrHandshake) {
			t.Fatalf("got %v, want ErrHandshake", err)
		}
	}
	if ids, _ := sb.DocIDs(); len(ids) != 0 {
		t.Fatal("documents crossed teams")
	}
	// Only the first handshake message crossed: e plus an empty
	// authenticated payload, 4+32+16 bytes.
	if n := cb.n.Load(); n > 52 {
		t.Fatalf("responder read %d bytes from an outsider", n)
	}
	if n := ca.n.Load(); n != 0 {
		t.Fatalf("outsider got %d bytes back", n)
	}
	if len(a.Peers()) != 0 || len(b.Peers()) != 0 {
		t.Fatal("outsider listed as a peer")
	}
}

// FuzzPeerMessage sends arbitrary bytes as a message from a device of the
// team: the node must drop or ignore it without failing, and keep syncing.
func FuzzPeerMessage(f *testing.F) {
	team := memstore.NewTeam()
	sa := memstore.New()
	_ = sa.JoinTeam(team)
	d, err := sa.Create(func(doc *automerge.Doc) error { return doc.RootMap().Set("notes", automerge.NewText("x")) })
	if err != nil {
		f.Fatal(err)
	}
	for _, m := range []*protocol.Message{
		{Type: protocol.TypeSync, DocumentID: d.ID(), Data: []byte{0x42, 0, 0, 1, 0}},
		{Type: protocol.TypeSavedDoc, DocumentID: d.ID(), Data: d.Save()},
		{Type: protocol.TypeEphemeral, DocumentID: d.ID(), SessionID: "s", Count: 1, Data: []byte{0xa1, 0x64, 'n', 'a', 'm', 'e', 0x61, 'x'}},
		{Type: protocol.TypeRequest, DocumentID: docid.New(), Data: []byte{0x42, 0, 0, 0, 0}},
	} {
		b, _ := protocol.Encode(m)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := lansync.Start(t.Context(), sa, fastOpts(t))
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		r := newRogue(t, team, a)
		// Claim to be the rogue, addressed to the node, whatever else.
		if m, err := protocol.Decode(b); err == nil {
			m.SenderID, m.TargetID = r.id, r.node
			b, _ = protocol.Encode(m)
		}
		r.sendRaw(b)
		r.send(t, &protocol.Message{Type: protocol.TypeLeave, SenderID: r.id})
		select {
		case <-r.ended:
		case <-time.After(5 * time.Second):
			t.Fatal("connection neither dropped nor closed by leave")
		}
		r.c.Close()
	})
}
