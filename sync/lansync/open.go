package lansync

import (
	"context"
	"errors"
	"time"
)

// MessageConn carries whole messages of the message layer with no security
// of its own, as automerge-repo's WebSocket adapter does (package wsnet).
// Send may be called from one goroutine while Recv runs in another.
type MessageConn interface {
	// Send writes one message.
	Send(msg []byte) error
	// Recv returns the next message.
	Recv() ([]byte, error)
	// SendKeepalive proves this side alive without a message of the
	// protocol (a WebSocket ping); it must not wait for the answer.
	SendKeepalive() error
	// LastRecv returns when anything (a message, an answer to a keepalive)
	// last arrived.
	LastRecv() time.Time
	// Close ends the connection; a blocked Recv or Send returns.
	Close() error
}

// OpenPolicy says what an automerge-repo peer that nobody authenticated (a
// relay, a JS client) may sync. Only documents the user chose to share
// cross such a connection: the others are doc-unavailable to it, and what
// it sends about them is ignored.
type OpenPolicy struct {
	// Shared reports whether a document may be read and written by the
	// peer. A shared document absent here is created when the peer sends
	// it. It is asked on every message, so unsharing takes effect at once.
	Shared func(docID string) bool
	// Offer, if set, lists the documents to offer when the connection
	// starts, and on Node.Offer (the client of a relay: the relay serves a
	// document only to peers that ask for it by id, so both sides offer).
	// A shared document absent here is asked for. Nil: offer nothing and
	// answer what the peer asks (a server, like automerge-repo's sync
	// server).
	Offer func() []string
	// Name names the connection in PeerInfo (e.g. the relay's URL).
	Name string
}

// Open-connection limits.
const (
	maxOpenPeerID = 256
	// unavailableRetry: a shared document the relay did not have yet is
	// asked for again after this long (another device may have sent it
	// meanwhile; the relay does not tell).
	unavailableRetry = 2 * time.Second
)

// errOpenRefused is returned when an open peer's join is refused.
var errOpenRefused = errors.New("automerge-repo peer refused")

// AttachOpen runs one connection to an automerge-repo peer over c, with no
// Noise handshake and no team key: the plain join/peer exchange of
// automerge-repo's WebSocket adapter (as the client if initiator), then
// the documents of policy. It returns why the connection ended.
func (n *Node) AttachOpen(c MessageConn, initiator bool, addr string, policy OpenPolicy) error {
	if policy.Shared == nil {
		c.Close()
		return errors.New("open connection without a sharing policy")
	}
	stop := context.AfterFunc(n.ctx, func() { c.Close() })
	defer stop()
	peerID, meta, err := n.exchangeJoin(c, initiator, joinRules{self: n.openID, refused: errOpenRefused})
	if err != nil {
		c.Close()
		if n.ctx.Err() == nil {
			n.log.Warn("automerge-repo connection refused", "addr", addr, "reason", err)
		}
		return err
	}
	s := newSession(n, c, initiator, peerID, meta, addr)
	s.open = &policy
	s.selfID = n.openID
	s.token = ""
	s.stateKey = ""
	if initiator && meta != nil && meta.StorageID != "" && !meta.IsEphemeral {
		// A relay with storage: keep the sync states, as automerge-repo
		// does, so that a reconnect does not send a filter of everything.
		s.stateKey = "ws:" + meta.StorageID
	}
	s.key = "ws:" + peerID + "@" + addr
	if initiator {
		s.key = "relay:" + addr
	}
	if err := n.register(s); err != nil {
		c.Close()
		return err
	}
	s.start()
	s.run()
	s.wg.Wait()
	n.unregister(s)
	close(s.finished)
	return s.reason
}

// Offer asks every connection to sync a document now: a document just
// shared is offered to the relays (and a document just unshared is no
// longer synced with them, which needs no call).
func (n *Node) Offer(docID string) {
	n.mu.Lock()
	ss := n.liveSessions()
	n.mu.Unlock()
	for _, s := range ss {
		s.markDirty(docID)
	}
}

// openAllows reports whether the session may sync a document: always on a
// team connection, only shared documents on an open one.
func (s *session) openAllows(id string) bool {
	return s.open == nil || s.open.Shared(id)
}

// offersOpen reports whether an open session offers a document it has
// not synced yet: only a relay client, and only shared documents.
func (s *session) offersOpen(id string) bool {
	return s.open != nil && s.open.Offer != nil && s.open.Shared(id)
}

// announceOpen offers the shared documents to a relay; a server offers
// nothing and waits to be asked.
func (s *session) announceOpen() error {
	if s.open.Offer == nil {
		return nil
	}
	for _, id := range s.open.Offer() {
		if !s.open.Shared(id) {
			continue
		}
		ds, err := s.docFor(id, true)
		if err != nil || ds == nil {
			s.n.log.Warn("shared document not offered", "doc", id, "err", err)
			continue
		}
		if err := s.generate(ds); err != nil {
			return err
		}
	}
	return nil
}

// openUnavailable handles doc-unavailable from an open peer: a shared
// document still empty here is asked for again later, from a fresh sync
// state (the old one waits for an answer that will not come).
func (s *session) openUnavailable(id string) {
	ds, ok := s.docs[id]
	if !ok || s.open == nil || s.open.Offer == nil || !ds.doc.IsEmpty() {
		return
	}
	s.dropDoc(id)
	time.AfterFunc(unavailableRetry, func() {
		if !s.failed() {
			s.markDirty(id)
		}
	})
}
