package lansync

import (
	"sync/atomic"
	"time"

	"github.com/pwg-team/pwg/sync/presence"
)

// EventKind says what an Event reports.
type EventKind int

// Kinds of events.
const (
	// PeerConnected: a device of the team connected.
	PeerConnected EventKind = iota + 1
	// PeerLost: a connected device went away (Peer.Reason says why).
	PeerLost
	// PresenceChanged: a connected device sent new presence.
	PresenceChanged
)

func (k EventKind) String() string {
	switch k {
	case PeerConnected:
		return "connected"
	case PeerLost:
		return "lost"
	case PresenceChanged:
		return "presence"
	}
	return "unknown"
}

// PeerInfo is what this device knows of another device of the team.
type PeerInfo struct {
	// Fingerprint names the device (also its peer id on the wire).
	Fingerprint string `json:"fingerprint"`
	// Name is the person's name from their presence ("" until they send one).
	Name string `json:"name,omitempty"`
	// Addr is the remote address of the connection.
	Addr string `json:"addr,omitempty"`
	// Connected: this device is connected to it now.
	Connected bool `json:"connected"`
	// Via is, for a device connected only to others, the directly
	// connected device through which it is reached now (see InReach).
	Via string `json:"via,omitempty"`
	// Since is when the device connected, or when it was lost.
	Since time.Time `json:"since"`
	// Reason is why the connection ended (lost peers only).
	Reason string `json:"reason,omitempty"`
	// Presence is the device's last presence, nil if none or lost.
	Presence *presence.Presence `json:"presence,omitempty"`
	// Open marks a connection to an automerge-repo peer that nobody
	// authenticated (a relay, or a client of this device's WebSocket
	// server; see Node.AttachOpen). Fingerprint is then "relay:URL" or
	// "ws:ID@ADDR", and Name the connection's name. Only shared documents
	// cross it.
	Open bool `json:"open,omitempty"`
}

// InReach reports whether the device is in the meeting now: connected to
// this one, or reached through another.
func (p PeerInfo) InReach() bool { return p.Connected || p.Via != "" }

// Event is one change in the peers this device sees, for the GUI.
type Event struct {
	Kind EventKind
	Peer PeerInfo
}

// Stats counts the messages of the message layer a node sent and received
// since it started (sizes before encryption and framing).
type Stats struct {
	MessagesOut, MessagesIn int64
	BytesOut, BytesIn       int64
}

type counters struct {
	msgsOut, msgsIn, bytesOut, bytesIn atomic.Int64
}

func (c *counters) snapshot() Stats {
	return Stats{MessagesOut: c.msgsOut.Load(), MessagesIn: c.msgsIn.Load(), BytesOut: c.bytesOut.Load(), BytesIn: c.bytesIn.Load()}
}
