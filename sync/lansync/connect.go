package lansync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/pwg-team/pwg/sync/protocol"
	"github.com/pwg-team/pwg/sync/transport"
)

// Attach runs one connection to a peer over rwc (as the side that connected
// if initiator) until it ends, and returns why it ended. The listener and the
// dialer use it; tests and other transports (a WebSocket) can too.
func (n *Node) Attach(rwc io.ReadWriteCloser, initiator bool, addr string) error {
	return n.attach(rwc, initiator, addr, nil)
}

// attach runs one connection; admitted, if set, is the listener's gate slot,
// released with the handshake's outcome (the gate logs failures, rate-limited).
func (n *Node) attach(rwc io.ReadWriteCloser, initiator bool, addr string, admitted func(error)) error {
	stop := context.AfterFunc(n.ctx, func() { rwc.Close() })
	defer stop()
	timeout := n.opts.HandshakeTimeout
	if admitted != nil {
		timeout = min(timeout, n.gate.Deadline())
	}
	conn, err := transport.Handshake(rwc, transport.Config{
		Identity: n.id, TeamKey: n.team.Key, MaxMessage: n.opts.MaxMessage, HandshakeTimeout: timeout,
	}, initiator)
	if admitted != nil {
		admitted(err)
	}
	if err != nil {
		if n.ctx.Err() == nil && admitted == nil {
			n.log.Warn("connection refused", "addr", addr, "reason", err)
		}
		return err
	}
	if conn.RemoteFingerprint() == n.peerID {
		conn.Close()
		return errSelf
	}
	peerID, meta, err := n.exchangeJoin(conn, initiator)
	if err != nil {
		conn.Close()
		n.log.Warn("connection refused", "addr", addr, "peer", conn.RemoteFingerprint(), "reason", err)
		return err
	}
	s := newSession(n, conn, initiator, peerID, meta, addr)
	s.token = n.deviceToken(conn.RemoteStatic())
	if err := n.register(s); err != nil {
		conn.Close()
		n.log.Debug("connection closed", "peer", peerID, "addr", addr, "reason", err)
		return err
	}
	s.start()
	s.run()
	s.wg.Wait()
	n.unregister(s)
	close(s.finished)
	return s.reason
}

// exchangeJoin runs automerge-repo's join/peer handshake on a secure channel
// and checks that the peer id claimed is the authenticated key's fingerprint.
func (n *Node) exchangeJoin(c *transport.Conn, initiator bool) (string, *protocol.PeerMetadata, error) {
	remote := c.RemoteFingerprint()
	timer := time.AfterFunc(n.opts.HandshakeTimeout, func() { c.Close() })
	defer timer.Stop()
	meta := &protocol.PeerMetadata{Features: []string{protocol.FeatureSavedDoc, protocol.FeatureDeflate}}
	send, recv := messageIO(c)
	if initiator {
		if err := send(&protocol.Message{Type: protocol.TypeJoin, SenderID: n.peerID, SupportedProtocolVersions: []string{protocol.ProtocolVersion}, PeerMetadata: meta}); err != nil {
			return "", nil, err
		}
		m, err := recv()
		switch {
		case err != nil:
			return "", nil, err
		case m.Type == protocol.TypeError:
			return "", nil, fmt.Errorf("peer refused: %s", m.ErrorMessage)
		case m.Type != protocol.TypePeer:
			return "", nil, fmt.Errorf("expected peer, got %s", m.Type)
		case m.SenderID != remote || m.TargetID != n.peerID:
			return "", nil, fmt.Errorf("peer ids %q→%q do not match the authenticated keys", m.SenderID, m.TargetID)
		case m.SelectedProtocolVersion != protocol.ProtocolVersion:
			return "", nil, fmt.Errorf("unsupported protocol version %q", m.SelectedProtocolVersion)
		}
		return remote, m.PeerMetadata, nil
	}
	m, err := recv()
	if err != nil {
		return "", nil, err
	}
	refuse := func(why string) (string, *protocol.PeerMetadata, error) {
		_ = send(&protocol.Message{Type: protocol.TypeError, SenderID: n.peerID, TargetID: remote, ErrorMessage: why})
		return "", nil, errors.New(why)
	}
	if m.Type != protocol.TypeJoin {
		return refuse("expected join, got " + m.Type)
	}
	if m.SenderID != remote {
		return refuse(fmt.Sprintf("peer id %q is not the fingerprint of its key", m.SenderID))
	}
	if !slices.Contains(m.SupportedProtocolVersions, protocol.ProtocolVersion) {
		return refuse("no supported protocol version")
	}
	err = send(&protocol.Message{Type: protocol.TypePeer, SenderID: n.peerID, TargetID: remote, SelectedProtocolVersion: protocol.ProtocolVersion, PeerMetadata: meta})
	return remote, m.PeerMetadata, err
}
