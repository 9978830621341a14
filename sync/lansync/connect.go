package lansync

import (
	"context"
	"errors"
	"io"

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
	cur, old := n.keys()
	conn, err := transport.Handshake(rwc, transport.Config{
		Identity: n.id, TeamKey: cur, OldKeys: old, MaxMessage: n.opts.MaxMessage, HandshakeTimeout: timeout,
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
	if n.isRevoked(conn.RemoteFingerprint()) {
		n.tellRevoked(conn, initiator)
		n.log.Warn("connection refused", "addr", addr, "peer", conn.RemoteFingerprint(), "reason", ErrRevoked)
		return ErrRevoked
	}
	if conn.OldKey() > 0 {
		err := n.handOver(conn, conn.RemoteFingerprint())
		if err != nil {
			n.log.Warn("connection with an old team key refused", "addr", addr, "peer", conn.RemoteFingerprint(), "reason", err)
		}
		return errors.Join(errRekeyed, err)
	}
	peerID, meta, err := n.exchangeJoin(conn, initiator, joinRules{self: n.peerID, remote: conn.RemoteFingerprint(), refused: errPeerRefused})
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
	n.noteDevice(peerID)
	s.start()
	s.run()
	s.wg.Wait()
	n.unregister(s)
	close(s.finished)
	return s.reason
}
