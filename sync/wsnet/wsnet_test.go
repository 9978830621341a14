package wsnet_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/protocol"
	"github.com/pwg-team/pwg/sync/sharing"
	"github.com/pwg-team/pwg/sync/wsnet"
)

func testLogger() *slog.Logger {
	if os.Getenv("PWG_SYNC_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// device is one workspace with a running node.
type device struct {
	ws   *minutes.Workspace
	node *lansync.Node
}

// newTeam opens a workspace with a team and its first meeting; others join
// it by invitation (they get nothing until a sync).
func newDevices(t *testing.T, n int) []*device {
	t.Helper()
	out := make([]*device, n)
	var inv string
	for i := range out {
		ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "p", Logger: testLogger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		st := lansync.FromWorkspace(ws)
		if i == 0 {
			if _, err := ws.Setup("SRE", time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			if inv, err = lansync.Invite(st); err != nil {
				t.Fatal(err)
			}
		} else if err := lansync.Join(st, inv); err != nil {
			t.Fatal(err)
		}
		node, err := lansync.Start(context.Background(), st, lansync.Options{Logger: testLogger(), KeepaliveInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { node.Close() })
		out[i] = &device{ws: ws, node: node}
	}
	return out
}

// serveWS runs a WebSocket server of d's shared documents and returns its URL.
func serveWS(t *testing.T, d *device) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- wsnet.ListenAndServe(ctx, d.node, "127.0.0.1:0", d.ws.Settings(), testLogger(), func(a net.Addr) { addrc <- a })
	}()
	t.Cleanup(func() { cancel(); <-errc })
	select {
	case a := <-addrc:
		return "ws://" + a.String()
	case err := <-errc:
		t.Fatal(err)
	}
	return ""
}

func relay(t *testing.T, d *device, url string) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = wsnet.Relay(ctx, d.node, url, d.ws.Settings(), testLogger()) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitNotes waits until a section's notes on d contain text.
func waitNotes(t *testing.T, d *device, meeting, key, text string) {
	t.Helper()
	events, stop := d.ws.Subscribe()
	defer stop()
	// Generous: CI runs every package's tests at once under -race.
	deadline := time.After(30 * time.Second)
	for {
		if m, err := d.ws.Meeting(meeting); err == nil {
			if s, err := m.Notes(key); err == nil && strings.Contains(s, text) {
				return
			}
		}
		select {
		case <-events:
		case <-deadline:
			t.Fatalf("%q never reached the notes of %s", text, meeting)
		}
	}
}

func firstMeeting(t *testing.T, d *device) (*minutes.Meeting, string) {
	t.Helper()
	infos, err := d.ws.Meetings()
	if err != nil || len(infos) == 0 {
		t.Fatal(err)
	}
	m, err := d.ws.Meeting(infos[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := m.Sections()
	if err != nil {
		t.Fatal(err)
	}
	return m, secs[0].Key
}

// TestRelayBetweenDevices: B has no LAN path to A; it reaches A's WebSocket
// server as a relay client and fetches the meeting A shared, by id. Edits
// cross both ways; a meeting A did not share stays unavailable.
func TestRelayBetweenDevices(t *testing.T) {
	ds := newDevices(t, 2)
	a, b := ds[0], ds[1]
	m, key := firstMeeting(t, a)
	secret, err := a.ws.NewMeeting("private", "2026-12-07")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AppendNotes(key, "from A"); err != nil {
		t.Fatal(err)
	}
	if err := sharing.Share(a.ws.Settings(), m.ID()); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{m.ID(), secret.ID()} { // B asks for both
		if err := sharing.Share(b.ws.Settings(), id); err != nil {
			t.Fatal(err)
		}
	}
	if !sharing.IsShared(a.ws.Settings(), m.ID()) || sharing.IsShared(a.ws.Settings(), secret.ID()) {
		t.Fatal("IsShared does not reflect Share")
	}
	url := serveWS(t, a)
	relay(t, b, url)
	waitNotes(t, b, m.ID(), key, "from A")
	mb, err := b.ws.Meeting(m.ID())
	if err != nil {
		t.Fatal(err)
	}
	if err := mb.AppendNotes(key, " and from B"); err != nil {
		t.Fatal(err)
	}
	waitNotes(t, a, m.ID(), key, "and from B")
	if h, err := b.ws.Doc(secret.ID()); err == nil && !h.IsEmpty() {
		t.Fatal("a meeting A did not share reached B")
	}
	// The series (team roster) was not shared.
	s, _ := a.ws.Series()
	if h, err := b.ws.Doc(s.ID()); err == nil && !h.IsEmpty() {
		t.Fatal("the series document reached B through the relay")
	}
	// A's peers list shows the open connection as such.
	var open bool
	for _, p := range a.node.Peers() {
		open = open || (p.Open && p.Connected)
	}
	if !open {
		t.Fatalf("A's peers: %+v", a.node.Peers())
	}
}

// TestUnshareStopsSync: after Unshare on A, edits of that meeting no
// longer cross either way, while another shared meeting still syncs (it
// serves as the barrier: messages on one connection are handled in order).
func TestUnshareStopsSync(t *testing.T) {
	ds := newDevices(t, 2)
	a, b := ds[0], ds[1]
	m, key := firstMeeting(t, a)
	other, err := a.ws.NewMeeting("still shared", "2026-12-07")
	if err != nil {
		t.Fatal(err)
	}
	okey := key
	for _, d := range ds {
		for _, id := range []string{m.ID(), other.ID()} {
			if err := sharing.Share(d.ws.Settings(), id); err != nil {
				t.Fatal(err)
			}
		}
	}
	relay(t, b, serveWS(t, a))
	if err := m.AppendNotes(key, "one"); err != nil {
		t.Fatal(err)
	}
	waitNotes(t, b, m.ID(), key, "one")
	waitNotes(t, b, other.ID(), okey, "")
	if err := sharing.Unshare(a.ws.Settings(), m.ID()); err != nil {
		t.Fatal(err)
	}
	if sharing.IsShared(a.ws.Settings(), m.ID()) {
		t.Fatal("still shared")
	}
	mb, _ := b.ws.Meeting(m.ID())
	ob, _ := b.ws.Meeting(other.ID())
	// Each side edits the unshared meeting, then the shared one twice,
	// waiting for each barrier edit to arrive.
	barrier := func(from, to *device, fm, fo *minutes.Meeting, text string) {
		if err := fm.AppendNotes(key, " unshared-"+text); err != nil {
			t.Fatal(err)
		}
		for _, b := range []string{" b1-" + text, " b2-" + text} {
			if err := fo.AppendNotes(okey, b); err != nil {
				t.Fatal(err)
			}
			waitNotes(t, to, other.ID(), okey, b)
		}
	}
	barrier(a, b, m, other, "a")
	barrier(b, a, mb, ob, "b")
	if s, _ := m.Notes(key); strings.Contains(s, "unshared-b") {
		t.Fatal("B's edit of the unshared meeting reached A")
	}
	if s, _ := mb.Notes(key); strings.Contains(s, "unshared-a") {
		t.Fatal("A's edit of the unshared meeting reached B")
	}
}

// TestServerRefusesBadInput: a first message that is not a join, or bytes
// that are not CBOR, get an error message and the connection closes; a
// join with no version "1" is refused too.
func TestServerRefusesBadInput(t *testing.T) {
	d := newDevices(t, 1)[0]
	url := serveWS(t, d)
	docID := docid.Encode([16]byte{1, 2, 3, 4, 5, 6, 0x40, 8, 0x80})
	cases := map[string][]byte{
		"not cbor":    {0xff, 0x00, 0x13},
		"sync first":  mustEncode(t, &protocol.Message{Type: protocol.TypeSync, SenderID: "js", DocumentID: docID, Data: []byte{0x42}}),
		"version two": mustEncode(t, &protocol.Message{Type: protocol.TypeJoin, SenderID: "js", SupportedProtocolVersions: []string{"2"}}),
	}
	for name, frame := range cases {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			ws, _, err := websocket.Dial(ctx, url, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ws.CloseNow()
			if err := ws.Write(ctx, websocket.MessageBinary, frame); err != nil {
				t.Fatal(err)
			}
			_, b, err := ws.Read(ctx)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			m, err := protocol.Decode(b)
			if err != nil || m.Type != protocol.TypeError || m.ErrorMessage == "" {
				t.Fatalf("answer %+v, %v; want an error message", m, err)
			}
			if _, _, err := ws.Read(ctx); err == nil {
				t.Fatal("connection still open after the error")
			}
		})
	}
}

// TestServerJoinAndUnavailable speaks the protocol by hand as a JS client
// would: join, peer, then a request for an unknown id and for an unshared
// meeting, both doc-unavailable.
func TestServerJoinAndUnavailable(t *testing.T) {
	d := newDevices(t, 1)[0]
	m, _ := firstMeeting(t, d)
	url := serveWS(t, d)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	send := func(msg *protocol.Message) {
		if err := ws.Write(ctx, websocket.MessageBinary, mustEncode(t, msg)); err != nil {
			t.Fatal(err)
		}
	}
	recv := func() *protocol.Message {
		_, b, err := ws.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := protocol.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	send(&protocol.Message{Type: protocol.TypeJoin, SenderID: "js-peer", SupportedProtocolVersions: []string{"1"}, PeerMetadata: &protocol.PeerMetadata{IsEphemeral: true}})
	p := recv()
	if p.Type != protocol.TypePeer || p.TargetID != "js-peer" || p.SelectedProtocolVersion != "1" {
		t.Fatalf("answer to join: %+v", p)
	}
	if p.SenderID == d.node.Fingerprint() || !strings.HasPrefix(p.SenderID, "pwg-") {
		t.Fatalf("peer id on an open connection %q must not be the fingerprint", p.SenderID)
	}
	unknown := docid.Encode([16]byte{9, 9, 9, 9, 9, 9, 0x40, 9, 0x80})
	// An empty document's first sync message, as automerge writes it.
	emptySync := []byte{0x42, 0, 0, 1, 0, 0, 0}
	for _, id := range []string{unknown, m.ID()} {
		send(&protocol.Message{Type: protocol.TypeRequest, SenderID: "js-peer", TargetID: p.SenderID, DocumentID: id, Data: emptySync})
		got := recv()
		if got.Type != protocol.TypeDocUnavailable || got.DocumentID != id {
			t.Fatalf("request for %s: got %+v, want doc-unavailable", id, got)
		}
	}
}

func mustEncode(t *testing.T, m *protocol.Message) []byte {
	t.Helper()
	b, err := protocol.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestShareRejectsBadIDAndURL(t *testing.T) {
	d := newDevices(t, 1)[0]
	if err := sharing.Share(d.ws.Settings(), "not-an-id"); !errors.Is(err, docid.ErrBad) {
		t.Fatalf("Share(bad) = %v", err)
	}
	for _, u := range []string{"http://x", "ws://", "relay.example:3030"} {
		if err := sharing.SetRelayURL(d.ws.Settings(), u); !errors.Is(err, sharing.ErrBadURL) {
			t.Fatalf("SetRelayURL(%q) = %v", u, err)
		}
	}
	if err := sharing.SetRelayURL(d.ws.Settings(), "wss://u:secret@relay.example/"); err != nil {
		t.Fatal(err)
	}
	if u, _ := sharing.RelayURL(d.ws.Settings()); u != "wss://u:secret@relay.example/" {
		t.Fatalf("RelayURL = %q", u)
	}
}
