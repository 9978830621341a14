package lansync

import (
	"slices"

	"github.com/pwg-team/pwg/sync/presence"
	"github.com/pwg-team/pwg/sync/protocol"
)

// Presence across hops: every device relays the presence messages it
// receives (under their origin's sender id) to its other team connections,
// so that a laptop sees everyone in the meeting, also those connected only
// through another laptop. A device's presence lists the devices it is
// connected to, so each device knows the graph and shows the devices it
// can reach (PeerInfo.Via: the first hop; Connected stays false: it means
// a connection of this device's own); one that becomes unreachable is
// reported lost. Relays are deduplicated by (origin session, count), so a
// message crosses each connection at most once.

// maxHops bounds the devices whose presence is kept.
const maxHops = 1024

// hop is the latest presence of one device, as it last reached this one.
type hop struct {
	msg  protocol.Message // as received: SenderID is the origin
	pres presence.Presence
}

// notePresenceLocked records presence p of origin m.SenderID and reports
// whether it is newer than what this device had. Called with n.mu held.
func (n *Node) notePresenceLocked(m *protocol.Message, p presence.Presence) bool {
	if m.SenderID == n.peerID {
		return false
	}
	old := n.hops[m.SenderID]
	if old != nil && old.msg.SessionID == m.SessionID && m.Count <= old.msg.Count {
		return false
	}
	if old == nil && len(n.hops) >= maxHops {
		return false
	}
	if n.hops == nil {
		n.hops = map[string]*hop{}
	}
	n.hops[m.SenderID] = &hop{msg: *m, pres: p}
	return true
}

// onPresence handles a presence message that arrived on s (from s's peer
// or relayed by it): newer ones are relayed on and the reachable devices
// recomputed.
func (n *Node) onPresence(s *session, m *protocol.Message, p presence.Presence) {
	n.mu.Lock()
	if !n.notePresenceLocked(m, p) {
		n.mu.Unlock()
		return
	}
	var to []*session
	for _, o := range n.sessions {
		if o.open == nil && o.relayPres && o != s && o.peerID != m.SenderID && !o.failed() {
			to = append(to, o)
		}
	}
	n.updateHopsLocked()
	n.mu.Unlock()
	for _, o := range to {
		_ = o.sendAs(*m)
	}
}

// sendKnownPresences sends a new connection the presences this device
// knows of others (its own goes with sendPresence).
func (s *session) sendKnownPresences() error {
	if !s.relayPres {
		return nil
	}
	s.n.mu.Lock()
	var ms []protocol.Message
	for origin, h := range s.n.hops {
		if origin != s.peerID {
			ms = append(ms, h.msg)
		}
	}
	s.n.mu.Unlock()
	for _, m := range ms {
		if err := s.sendAs(m); err != nil {
			return err
		}
	}
	return nil
}

// sendAs queues m to the peer under its own sender id (a relayed message).
func (s *session) sendAs(m protocol.Message) error {
	return s.queue(&m)
}

// updateHopsLocked recomputes the devices reachable only through others
// (breadth first over the connection lists of their presences) and updates
// n.peers, publishing what changed. Called with n.mu held.
func (n *Node) updateHopsLocked() {
	direct := map[string]bool{}
	for id, s := range n.sessions {
		if s.open == nil {
			direct[id] = true
		}
	}
	via := map[string]string{}
	var queue []string
	for id := range direct {
		queue = append(queue, id)
		via[id] = id
	}
	slices.Sort(queue)
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		h := n.hops[x]
		if h == nil {
			continue
		}
		for _, y := range h.pres.Connected {
			if _, seen := via[y]; seen || y == n.peerID {
				continue
			}
			via[y] = via[x]
			queue = append(queue, y)
		}
	}
	for y, first := range via {
		if direct[y] || n.hops[y] == nil {
			continue
		}
		pr := n.hops[y].pres
		pr.Connected = nil
		p := n.peers[y]
		if p == nil {
			p = &PeerInfo{Fingerprint: y}
			n.peers[y] = p
		}
		if p.Via == first && p.Presence != nil && samePresence(*p.Presence, pr) {
			continue
		}
		kind := PresenceChanged
		if p.Via == "" {
			kind = PeerConnected
		}
		p.Connected, p.Via, p.Addr, p.Reason = false, first, "", ""
		p.Presence, p.Name = &pr, pr.Name
		n.bus.Publish(Event{Kind: kind, Peer: clonePeer(p)})
	}
	for id, p := range n.peers {
		if p.Via == "" || direct[id] {
			continue
		}
		if _, ok := via[id]; ok {
			continue
		}
		p.Presence, p.Via, p.Reason = nil, "", "no longer reachable through another device"
		n.bus.Publish(Event{Kind: PeerLost, Peer: clonePeer(p)})
	}
}
