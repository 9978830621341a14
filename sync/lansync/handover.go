package lansync

import (
	"fmt"
	"net"
	"time"

	"github.com/pwg-team/pwg/sync/protocol"
	"github.com/pwg-team/pwg/sync/transport"
)

// Handing the new team key to a device that holds an earlier one (it was
// offline during a rotation), and telling a revoked device it is out.

// handOver answers a device that connected with an earlier key: if it is
// on the roster and not revoked, it gets the current key (after its join
// message is read, so that closing does not reset the connection).
func (n *Node) handOver(c MessageConn, fp string) error {
	defer c.Close()
	ok, err := onRoster(n.st, fp)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("device %s used an old team key and is not on the roster: refused", fp)
	}
	timer := time.AfterFunc(n.opts.HandshakeTimeout, func() { c.Close() })
	defer timer.Stop()
	if _, err := c.Recv(); err != nil {
		return err
	}
	if err := n.sendKey(c, fp); err != nil {
		return err
	}
	n.log.Info("handed the new team key to a device that was offline", "peer", fp)
	return nil
}

// sendKey sends the current team key (and the revocations) to device fp.
func (n *Node) sendKey(c MessageConn, fp string) error {
	m, err := n.keyMessage()
	if err != nil {
		return err
	}
	m.SenderID, m.TargetID = n.peerID, fp
	b, err := protocol.Encode(m)
	if err != nil {
		return err
	}
	return c.Send(b)
}

// tellRevoked tells a revoked device, over the channel it just opened, why
// it is refused (so its log says so), then closes it. As the responder it
// reads the device's join first, so that closing does not reset the
// connection before the answer is read.
func (n *Node) tellRevoked(c MessageConn, initiator bool) {
	defer c.Close()
	timer := time.AfterFunc(n.opts.HandshakeTimeout, func() { c.Close() })
	defer timer.Stop()
	if !initiator {
		if _, err := c.Recv(); err != nil {
			return
		}
	}
	b, err := protocol.Encode(&protocol.Message{Type: protocol.TypeError, SenderID: n.peerID, ErrorMessage: ErrRevoked.Error()})
	if err == nil {
		_ = c.Send(b)
	}
}

// offerNewKey is tried after a dial to addr failed its handshake: the
// device there may have been offline during a rotation and hold an earlier
// key. Each earlier key is tried; a device that answers to one, and is on
// the roster and not revoked, is handed the current key (it then accepts
// the current one). It reports whether a key was handed over.
func (n *Node) offerNewKey(addr string) bool {
	_, old := n.keys()
	d := net.Dialer{Timeout: n.opts.HandshakeTimeout}
	for _, k := range old {
		c, err := d.DialContext(n.ctx, "tcp", addr)
		if err != nil {
			return false
		}
		conn, err := transport.Handshake(c, transport.Config{
			Identity: n.id, TeamKey: k, MaxMessage: n.opts.MaxMessage, HandshakeTimeout: n.opts.HandshakeTimeout,
		}, true)
		if err != nil {
			continue
		}
		fp := conn.RemoteFingerprint()
		ok, err := onRoster(n.st, fp)
		if err != nil || !ok || fp == n.peerID {
			conn.Close()
			if !ok && err == nil {
				n.log.Warn("a device with an old team key is not on the roster (or revoked): not handed the new key", "addr", addr, "peer", fp)
			}
			return false
		}
		err = n.sendKey(conn, fp)
		if err == nil {
			// wait for the other side to close: it has applied the key
			_, _ = conn.Recv()
			n.log.Info("handed the new team key to a device that was offline", "peer", fp, "addr", addr)
		}
		conn.Close()
		return err == nil
	}
	return false
}
