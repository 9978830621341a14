package wsnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/protocol"
	"github.com/pwg-team/pwg/sync/sharing"
)

// MaxMessage bounds one WebSocket message (coder/websocket's default is
// 32 KiB; a first V1 sync of a long history can be tens of megabytes).
const MaxMessage = protocol.MaxMessageSize

// Timeouts of a connection.
const (
	dialTimeout  = 10 * time.Second
	pingTimeout  = 20 * time.Second
	closeTimeout = time.Second
)

// ErrTextFrame is returned for a text frame: automerge-repo sends every
// message as one binary frame.
var ErrTextFrame = fmt.Errorf("%w: text WebSocket frame (automerge-repo sends binary frames)", protocol.ErrMalformed)

// Conn is one WebSocket carrying automerge-repo messages, one per binary
// frame. It implements sync.MessageConn.
type Conn struct {
	ws        *websocket.Conn
	ctx       context.Context
	cancel    context.CancelFunc
	lastRecv  atomic.Int64
	pinging   atomic.Bool
	closeOnce sync.Once
	// budget, on a server's connections, bounds the bytes in flight of all
	// of them together; held is this connection's share (given back at the
	// next Recv, once the last message was handled, or at Close).
	budget *budget
	heldMu sync.Mutex // guards held
	held   int64
}

var _ lansync.MessageConn = (*Conn)(nil)

func newConn(ws *websocket.Conn) *Conn {
	ws.SetReadLimit(MaxMessage)
	ctx, cancel := context.WithCancel(context.Background())
	c := &Conn{ws: ws, ctx: ctx, cancel: cancel}
	c.lastRecv.Store(time.Now().UnixNano())
	return c
}

// Dial opens a WebSocket to an automerge-repo peer (ws:// or wss://; a
// user:password in the URL is sent as HTTP basic authentication, for a
// relay behind an authenticating proxy).
func Dial(ctx context.Context, url string) (*Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized || resp != nil && resp.StatusCode == http.StatusForbidden {
			return nil, fmt.Errorf("%w: %s refused the connection (%s): check the credentials in the relay URL", ErrRelayAuth, sharing.Redact(url), resp.Status)
		}
		return nil, fmt.Errorf("connect to relay %s: %w", sharing.Redact(url), err)
	}
	return newConn(ws), nil
}

// ErrRelayAuth is returned by Dial when the relay (or the proxy in front
// of it) refuses the credentials.
var ErrRelayAuth = errors.New("relay refused the credentials")

// Send writes one message as a binary frame.
func (c *Conn) Send(msg []byte) error {
	return c.ws.Write(c.ctx, websocket.MessageBinary, msg)
}

// Recv returns the next message. A text frame, or a message over
// MaxMessage, ends the connection.
func (c *Conn) Recv() ([]byte, error) {
	var (
		typ websocket.MessageType
		b   []byte
		err error
	)
	if c.budget == nil {
		typ, b, err = c.ws.Read(c.ctx)
	} else {
		c.release()
		var r io.Reader
		if typ, r, err = c.ws.Reader(c.ctx); err == nil {
			var taken int64
			b, taken, err = readBudgeted(r, c.budget)
			c.heldMu.Lock()
			c.held += taken
			c.heldMu.Unlock()
			if c.ctx.Err() != nil { // closed meanwhile: nobody handles b
				c.release()
			}
		}
	}
	if err != nil {
		if errors.Is(err, ErrInFlight) {
			return nil, err
		}
		if websocket.CloseStatus(err) != -1 {
			// The peer closed the WebSocket: a normal end for a JS peer,
			// which does not send leave.
			return nil, fmt.Errorf("%w (WebSocket closed: %v)", io.EOF, err)
		}
		return nil, err
	}
	c.lastRecv.Store(time.Now().UnixNano())
	if typ != websocket.MessageBinary {
		return nil, ErrTextFrame
	}
	return b, nil
}

// SendKeepalive sends a WebSocket ping (automerge-repo's server pings its
// clients every 5 s too) and returns at once; the pong counts as received.
func (c *Conn) SendKeepalive() error {
	if !c.pinging.CompareAndSwap(false, true) {
		return nil
	}
	go func() {
		defer c.pinging.Store(false)
		ctx, cancel := context.WithTimeout(c.ctx, pingTimeout)
		defer cancel()
		if c.ws.Ping(ctx) == nil {
			c.lastRecv.Store(time.Now().UnixNano())
		}
	}()
	return nil
}

// LastRecv returns when the last message or pong arrived.
func (c *Conn) LastRecv() time.Time { return time.Unix(0, c.lastRecv.Load()) }

// release gives back the bytes this connection holds.
func (c *Conn) release() {
	c.heldMu.Lock()
	defer c.heldMu.Unlock()
	if c.budget != nil && c.held > 0 {
		c.budget.give(c.held)
		c.held = 0
	}
}

// Close starts a normal WebSocket close and returns; blocked reads and
// writes end within a second even if the peer does not answer.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = c.ws.Close(websocket.StatusNormalClosure, "")
		}()
		go func() {
			select {
			case <-done:
			case <-time.After(closeTimeout):
				_ = c.ws.CloseNow()
			}
			c.cancel()
			c.release()
		}()
	})
	return nil
}
