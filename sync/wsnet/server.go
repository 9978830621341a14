package wsnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/coder/websocket"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/lansync"
)

// Server accepts automerge-repo clients (JS repos with the WebSocket
// client adapter, or another pwg's Relay) and syncs the shared documents
// with them. Like automerge-repo's sync server it announces nothing: a
// client gets a document by asking for its id; an unknown or unshared id is
// doc-unavailable.
type Server struct {
	n    *lansync.Node
	sh   *sharedCache
	log  *slog.Logger
	sem  chan struct{}
	bud  *budget
	ctx  context.Context
	stop context.CancelFunc
}

// NewServer returns a server of n's shared documents (as listed in st)
// until ctx ends. Serve it with net/http (it is an http.Handler), or use
// ListenAndServe.
func NewServer(ctx context.Context, n *lansync.Node, st storage.Settings, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Server{n: n, sh: newSharedCache(st), log: log, ctx: ctx, stop: cancel}
	s.Limit(Limits{})
	go s.sh.watch(ctx, n)
	return s
}

// Limit sets the bounds on unauthenticated clients (call before serving).
func (s *Server) Limit(l Limits) {
	l = l.withDefaults()
	s.sem = make(chan struct{}, l.Clients)
	s.bud = &budget{limit: l.InFlight}
}

// ServerStats reports what the open connections took.
type ServerStats struct {
	InFlight     int64 // bytes held now
	PeakInFlight int64 // most bytes held at once
	Refused      int64 // messages refused because the bound was reached
}

// Stats returns the server's counters.
func (s *Server) Stats() ServerStats {
	s.bud.mu.Lock()
	defer s.bud.mu.Unlock()
	return ServerStats{InFlight: s.bud.used, PeakInFlight: s.bud.peak, Refused: s.bud.refusedMsgs}
}

// ServeHTTP upgrades the request to a WebSocket and runs the connection
// until it ends.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	default:
		http.Error(w, "too many automerge-repo clients", http.StatusServiceUnavailable)
		return
	}
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		s.log.Debug("not a WebSocket", "addr", r.RemoteAddr, "err", err)
		return
	}
	c := newConn(ws)
	c.budget = s.bud
	stop := context.AfterFunc(s.ctx, func() { c.Close() })
	defer stop()
	err = s.n.AttachOpen(c, false, r.RemoteAddr, s.sh.policy("automerge-repo client "+r.RemoteAddr, false))
	s.log.Debug("automerge-repo client gone", "addr", r.RemoteAddr, "reason", err)
}

// ListenAndServe serves automerge-repo clients on addr (host:port; ":0"
// for any port) until ctx ends. ready, if not nil, gets the address
// listened on.
func ListenAndServe(ctx context.Context, n *lansync.Node, addr string, st storage.Settings, log *slog.Logger, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen for automerge-repo clients on %s: %w", addr, err)
	}
	s := NewServer(ctx, n, st, log)
	defer s.stop()
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	if ready != nil {
		ready(ln.Addr())
	}
	s.log.Info("serving automerge-repo clients", "addr", ln.Addr().String())
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return ctx.Err()
}
