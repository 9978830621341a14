package lansync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/pwg-team/pwg/sync/presence"
)

// register makes s the live session of its peer. Of two connections
// between the same devices, both ends keep the one dialed by the device with
// the smaller fingerprint.
func (n *Node) register(s *session) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return errClosing
	}
	if s.open != nil {
		// An open peer's id is only a claim: a newer connection under the
		// same key replaces the old one.
		if old, ok := n.sessions[s.key]; ok && !old.failed() {
			old.fail(errDuplicate)
		}
	} else {
		n.addrPeer[s.addr] = s.peerID
		if old, ok := n.sessions[s.key]; ok && !old.failed() {
			if n.dialer(old) == n.dialer(s) || n.dialer(old) < n.dialer(s) {
				return errDuplicate
			}
			old.fail(errDuplicate)
		}
	}
	n.sessions[s.key] = s
	p := n.peers[s.key]
	if p == nil {
		p = &PeerInfo{Fingerprint: s.key}
		if s.open != nil {
			p.Open, p.Name = true, s.open.Name
		}
		n.peers[s.key] = p
	}
	wasConnected := p.Connected
	p.Connected, p.Addr, p.Reason, p.Since, p.Via = true, s.addr, "", s.started, ""
	n.connectionsChanged()
	n.updateHopsLocked()
	if !wasConnected {
		n.log.Info("peer connected", "peer", s.peerID, "addr", s.addr)
		n.bus.Publish(Event{Kind: PeerConnected, Peer: clonePeer(p)})
	}
	return nil
}

func (n *Node) dialer(s *session) string {
	if s.initiator {
		return n.peerID
	}
	return s.peerID
}

func (n *Node) unregister(s *session) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.sessions[s.key] != s {
		return // replaced by a newer connection
	}
	delete(n.sessions, s.key)
	n.connectionsChanged()
	p := n.peers[s.key]
	p.Connected, p.Since, p.Presence = false, time.Now(), nil
	p.Reason = fmt.Sprint(s.reason)
	defer n.updateHopsLocked() // after the lost event: it may be reachable through another
	lvl := slog.LevelWarn
	if errors.Is(s.reason, errLeft) || errors.Is(s.reason, errClosing) || (s.open != nil && errors.Is(s.reason, io.EOF)) {
		lvl = slog.LevelInfo
	}
	n.log.Log(context.Background(), lvl, "peer lost", "peer", s.peerID, "addr", s.addr, "reason", s.reason)
	n.bus.Publish(Event{Kind: PeerLost, Peer: clonePeer(p)})
	if s.open != nil && !s.initiator {
		delete(n.peers, s.key) // a client of this device's server: gone for good
	}
}

func (n *Node) setPeerPresence(s *session, pr presence.Presence) {
	pr.Connected = nil
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.sessions[s.key] != s {
		return
	}
	p := n.peers[s.key]
	if pr.IsZero() || (p.Presence != nil && samePresence(*p.Presence, pr)) {
		return
	}
	p.Presence = &pr
	p.Name = pr.Name
	n.bus.Publish(Event{Kind: PresenceChanged, Peer: clonePeer(p)})
}

func samePresence(a, b presence.Presence) bool {
	return a.Name == b.Name && a.Role == b.Role && a.MeetingID == b.MeetingID && a.Section == b.Section && a.FacilitatorSection == b.FacilitatorSection
}
