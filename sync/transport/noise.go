package transport

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flynn/noise"
)

// Errors of the secure channel.
var (
	// ErrHandshake is returned when the handshake fails: the peer does not hold
	// the team key, replayed or altered a handshake, or spoke something else.
	ErrHandshake = errors.New("secure handshake failed (not a device of this team, or a replayed or altered handshake)")
	// ErrDecrypt is returned for a record that does not authenticate.
	ErrDecrypt = errors.New("record failed authentication")
	// ErrMessageTooLarge is returned for a message over Config.MaxMessage.
	ErrMessageTooLarge = errors.New("message too large")
	// ErrBadRecord is returned for a record of an unknown kind.
	ErrBadRecord = errors.New("bad record")
)

const (
	// maxNoise is Noise's limit on one message.
	maxNoise = 65535
	// maxChunk is the plaintext carried by one record: the Noise limit less
	// the 16-byte tag and the 1-byte kind.
	maxChunk = maxNoise - 16 - 1

	recFinal     = 0 // last (or only) chunk of a message
	recMore      = 1 // more chunks of this message follow
	recKeepalive = 2 // no data; proves the peer is alive

	// DefaultMaxMessage bounds one reassembled message.
	DefaultMaxMessage = 64 << 20
	// DefaultHandshakeTimeout bounds the whole handshake.
	DefaultHandshakeTimeout = 10 * time.Second
)

var (
	cipherSuite = noise.NewCipherSuite(noise.DH25519, noise.CipherChaChaPoly, noise.HashSHA256)
	prologue    = []byte("pwg secure channel v1")
)

// Config configures one end of a secure channel.
type Config struct {
	Identity Identity
	TeamKey  []byte
	// OldKeys are earlier team keys a responder still accepts (a device
	// that was offline while the key rotated); Conn.OldKey says which one
	// the peer used. The initiator uses TeamKey only.
	OldKeys [][]byte
	// MaxMessage bounds one message (default DefaultMaxMessage).
	MaxMessage int
	// HandshakeTimeout bounds the handshake (default DefaultHandshakeTimeout).
	HandshakeTimeout time.Duration
}

// Conn is an encrypted, mutually authenticated channel over a byte stream,
// carrying whole messages. Send may be called from several goroutines; Recv
// from one.
type Conn struct {
	rwc        io.ReadWriteCloser
	maxMsg     int
	remote     []byte
	oldKey     int
	wmu        sync.Mutex
	send, recv *noise.CipherState
	lastRecv   atomic.Int64
	bytesIn    atomic.Int64
	bytesOut   atomic.Int64
	closeOnce  sync.Once
}

// Handshake runs the Noise_XXpsk0_25519_ChaChaPoly_SHA256 handshake over rwc
// as initiator or responder and returns the channel. The PSK is derived from
// the team key, so the first handshake message already fails for a peer
// without it. On error rwc is closed.
func Handshake(rwc io.ReadWriteCloser, cfg Config, initiator bool) (*Conn, error) {
	if len(cfg.TeamKey) != TeamKeySize {
		rwc.Close()
		return nil, fmt.Errorf("%w: team key must be %d bytes", ErrBadKey, TeamKeySize)
	}
	if cfg.MaxMessage <= 0 {
		cfg.MaxMessage = DefaultMaxMessage
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	c := &Conn{rwc: rwc, maxMsg: cfg.MaxMessage}
	var timedOut atomic.Bool
	timer := time.AfterFunc(cfg.HandshakeTimeout, func() { timedOut.Store(true); rwc.Close() })
	err := c.handshake(cfg, initiator)
	stopped := timer.Stop()
	if err != nil || !stopped {
		rwc.Close()
		if timedOut.Load() {
			return nil, fmt.Errorf("%w: no answer within %v", ErrHandshake, cfg.HandshakeTimeout)
		}
		return nil, err
	}
	c.lastRecv.Store(time.Now().UnixNano())
	return c, nil
}

func newHandshake(cfg Config, key []byte, initiator bool) (*noise.HandshakeState, error) {
	hs, err := noise.NewHandshakeState(noise.Config{
		CipherSuite:           cipherSuite,
		Random:                rand.Reader,
		Pattern:               noise.HandshakeXX,
		Initiator:             initiator,
		Prologue:              prologue,
		PresharedKey:          DeriveKey(key, "noise psk v1"),
		PresharedKeyPlacement: 0,
		StaticKeypair:         noise.DHKey{Private: cfg.Identity.Private, Public: cfg.Identity.Public},
	})
	if err != nil {
		return nil, fmt.Errorf("start handshake: %w", err)
	}
	return hs, nil
}

// OldKey returns 0 if the peer used the current team key, else i for
// Config.OldKeys[i-1].
func (c *Conn) OldKey() int { return c.oldKey }

func (c *Conn) handshake(cfg Config, initiator bool) error {
	hs, err := newHandshake(cfg, cfg.TeamKey, initiator)
	if err != nil {
		return err
	}
	var cs1, cs2 *noise.CipherState
	write := func() error {
		out, a, b, err := hs.WriteMessage(nil, nil)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrHandshake, err)
		}
		cs1, cs2 = a, b
		c.bytesOut.Add(int64(len(out) + 4))
		return WriteFrame(c.rwc, out)
	}
	read := func() error {
		in, err := ReadFrame(c.rwc, maxNoise)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrHandshake, err)
		}
		c.bytesIn.Add(int64(len(in) + 4))
		_, a, b, err := hs.ReadMessage(nil, in)
		// The responder's first message: with psk0 it authenticates with
		// the key, so each earlier key is tried on a fresh state.
		for i := 0; err != nil && !initiator && cs1 == nil && c.remote == nil && i < len(cfg.OldKeys); i++ {
			if len(cfg.OldKeys[i]) != TeamKeySize || hs.MessageIndex() != 0 {
				continue
			}
			h, herr := newHandshake(cfg, cfg.OldKeys[i], false)
			if herr != nil {
				return herr
			}
			if _, a, b, err = h.ReadMessage(nil, in); err == nil {
				hs, c.oldKey = h, i+1
			}
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrHandshake, err)
		}
		cs1, cs2 = a, b
		return nil
	}
	steps := []func() error{read, write, read}
	if initiator {
		steps = []func() error{write, read, write}
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if cs1 == nil || cs2 == nil {
		return fmt.Errorf("%w: handshake did not complete", ErrHandshake)
	}
	if initiator {
		c.send, c.recv = cs1, cs2
	} else {
		c.send, c.recv = cs2, cs1
	}
	c.remote = append([]byte(nil), hs.PeerStatic()...)
	return nil
}

// RemoteStatic returns the peer's authenticated long-term public key.
func (c *Conn) RemoteStatic() []byte { return c.remote }

// RemoteFingerprint returns Fingerprint(RemoteStatic()).
func (c *Conn) RemoteFingerprint() string { return Fingerprint(c.remote) }

// Send encrypts and writes one message, split into records of at most 64 KiB.
func (c *Conn) Send(msg []byte) error {
	if len(msg) > c.maxMsg {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrMessageTooLarge, len(msg), c.maxMsg)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	for {
		n := min(len(msg), maxChunk)
		kind := byte(recFinal)
		if n < len(msg) {
			kind = recMore
		}
		if err := c.writeRecord(kind, msg[:n]); err != nil {
			return err
		}
		msg = msg[n:]
		if kind == recFinal {
			return nil
		}
	}
}

// SendKeepalive writes an empty record that Recv skips, so the peer knows
// this side is alive.
func (c *Conn) SendKeepalive() error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.writeRecord(recKeepalive, nil)
}

func (c *Conn) writeRecord(kind byte, data []byte) error {
	plain := make([]byte, 0, 1+len(data))
	plain = append(plain, kind)
	plain = append(plain, data...)
	out, err := c.send.Encrypt(nil, nil, plain)
	if err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	c.bytesOut.Add(int64(len(out) + 4))
	return WriteFrame(c.rwc, out)
}

// Recv returns the next message, skipping keepalives. Any error leaves the
// channel unusable: a record that does not authenticate, an oversized
// message or frame, an unknown record kind, or the stream's own error.
func (c *Conn) Recv() ([]byte, error) {
	var msg []byte
	for {
		in, err := ReadFrame(c.rwc, maxNoise)
		if err != nil {
			return nil, err
		}
		c.bytesIn.Add(int64(len(in) + 4))
		c.lastRecv.Store(time.Now().UnixNano())
		plain, err := c.recv.Decrypt(nil, nil, in)
		if err != nil || len(plain) == 0 {
			return nil, ErrDecrypt
		}
		kind, data := plain[0], plain[1:]
		switch kind {
		case recKeepalive:
			if len(data) != 0 {
				return nil, fmt.Errorf("%w: keepalive with data", ErrBadRecord)
			}
			continue
		case recMore, recFinal:
		default:
			return nil, fmt.Errorf("%w: kind %d", ErrBadRecord, kind)
		}
		if len(msg)+len(data) > c.maxMsg {
			return nil, fmt.Errorf("%w: over %d bytes", ErrMessageTooLarge, c.maxMsg)
		}
		msg = append(msg, data...)
		if kind == recFinal {
			if msg == nil {
				msg = []byte{}
			}
			return msg, nil
		}
	}
}

// LastRecv returns when the last record (message or keepalive) arrived.
func (c *Conn) LastRecv() time.Time { return time.Unix(0, c.lastRecv.Load()) }

// BytesIn returns how many bytes were read from the stream so far.
func (c *Conn) BytesIn() int64 { return c.bytesIn.Load() }

// BytesOut returns how many bytes were written to the stream so far.
func (c *Conn) BytesOut() int64 { return c.bytesOut.Load() }

// Close closes the underlying stream.
func (c *Conn) Close() error {
	var err error
	c.closeOnce.Do(func() { err = c.rwc.Close() })
	return err
}
