package lansync

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pwg-team/pwg/sync/protocol"
)

// joinRules are what differs between the two kinds of connection in
// automerge-repo's join/peer handshake: a team connection (after Noise:
// the peer id must be the fingerprint of the authenticated key) and an open
// one (a relay or a JS client: any peer id of bounded length).
type joinRules struct {
	// self is the peer id this side announces.
	self string
	// remote, if set, is the only peer id the other side may claim (the
	// authenticated key's fingerprint); else any id up to maxOpenPeerID.
	remote string
	// refused wraps the error of a refused join, either side's refusal.
	refused error
}

// errPeerRefused is returned when a team peer's join is refused.
var errPeerRefused = errors.New("peer refused")

// exchangeJoin runs automerge-repo's join/peer handshake on c, as its
// WebSocket adapter does: the initiator sends join, the other side answers
// peer, or error and closes. It returns the peer's id and metadata.
func (n *Node) exchangeJoin(c MessageConn, initiator bool, r joinRules) (string, *protocol.PeerMetadata, error) {
	timer := time.AfterFunc(n.opts.HandshakeTimeout, func() { c.Close() })
	defer timer.Stop()
	meta := &protocol.PeerMetadata{Features: []string{protocol.FeatureSavedDoc, protocol.FeatureDeflate, protocol.FeaturePresenceRelay, protocol.FeaturePacked, protocol.FeatureCompact}}
	send, recv := messageIO(c)
	fail := func(why string) error { return fmt.Errorf("%w: %s", r.refused, why) }
	if initiator {
		if err := send(&protocol.Message{Type: protocol.TypeJoin, SenderID: r.self, SupportedProtocolVersions: []string{protocol.ProtocolVersion}, PeerMetadata: meta}); err != nil {
			return "", nil, err
		}
		m, err := recv()
		switch {
		case err != nil:
			return "", nil, err
		case m.Type == protocol.TypeError:
			return "", nil, fail(m.ErrorMessage)
		case m.Type == protocol.TypeTeamKey && r.remote != "" && m.SenderID == r.remote:
			// this device connected with an old key: the peer hands it the new one
			return "", nil, n.rekeyedBy(r.remote, m.Data)
		case m.Type != protocol.TypePeer:
			return "", nil, fmt.Errorf("expected peer, got %s", m.Type)
		case m.SelectedProtocolVersion != protocol.ProtocolVersion:
			return "", nil, fmt.Errorf("unsupported protocol version %q", m.SelectedProtocolVersion)
		case r.remote != "" && (m.SenderID != r.remote || m.TargetID != r.self):
			return "", nil, fmt.Errorf("peer ids %q→%q do not match the authenticated keys", m.SenderID, m.TargetID)
		case r.remote == "" && (len(m.SenderID) > maxOpenPeerID || (m.TargetID != "" && m.TargetID != r.self)):
			return "", nil, fmt.Errorf("peer message from %.40q to %.40q is not for this device", m.SenderID, m.TargetID)
		}
		return m.SenderID, m.PeerMetadata, nil
	}
	m, err := recv()
	refuse := func(why string) (string, *protocol.PeerMetadata, error) {
		target := r.remote
		if target == "" && m != nil && len(m.SenderID) <= maxOpenPeerID {
			target = m.SenderID
		}
		_ = send(&protocol.Message{Type: protocol.TypeError, SenderID: r.self, TargetID: target, ErrorMessage: why})
		return "", nil, fail(why)
	}
	switch {
	case err != nil && (errors.Is(err, protocol.ErrMalformed) || errors.Is(err, protocol.ErrInvalid) || errors.Is(err, protocol.ErrUnknownType)):
		return refuse("expected a join message: " + err.Error())
	case err != nil:
		return "", nil, err
	case m.Type == protocol.TypeTeamKey && r.remote != "" && m.SenderID == r.remote:
		// a device with a newer key reached this one with the key it holds
		return "", nil, n.rekeyedBy(r.remote, m.Data)
	case m.Type != protocol.TypeJoin:
		return refuse("expected join, got " + m.Type)
	case r.remote != "" && m.SenderID != r.remote:
		return refuse(fmt.Sprintf("peer id %q is not the fingerprint of its key", m.SenderID))
	case len(m.SenderID) > maxOpenPeerID:
		return refuse("peer id too long")
	case !slices.Contains(m.SupportedProtocolVersions, protocol.ProtocolVersion):
		return refuse("unsupported protocol version")
	}
	err = send(&protocol.Message{Type: protocol.TypePeer, SenderID: r.self, TargetID: m.SenderID, SelectedProtocolVersion: protocol.ProtocolVersion, PeerMetadata: meta})
	return m.SenderID, m.PeerMetadata, err
}

// rekeyedBy takes the team key a team peer handed during the handshake: it
// returns errRekeyed once the key is taken, or why it was not (the key must
// be newer than this device's).
func (n *Node) rekeyedBy(peer string, data []byte) error {
	changed, err := n.onTeamKey(peer, data)
	if err != nil {
		return err
	}
	if !changed {
		return errors.New("handed a team key that is not newer than this device's")
	}
	return errRekeyed
}

// messageIO sends and receives protocol messages on c (the handshake's
// plumbing, for Noise and open connections alike).
func messageIO(c MessageConn) (send func(*protocol.Message) error, recv func() (*protocol.Message, error)) {
	send = func(m *protocol.Message) error {
		b, err := protocol.Encode(m)
		if err != nil {
			return err
		}
		return c.Send(b)
	}
	recv = func() (*protocol.Message, error) {
		b, err := c.Recv()
		if err != nil {
			return nil, fmt.Errorf("join: %w", err)
		}
		return protocol.Decode(b)
	}
	return send, recv
}
