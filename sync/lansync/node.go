package lansync

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/pwg-team/pwg/crdt/docs"
	"log/slog"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/eventbus"
	"github.com/pwg-team/pwg/sync/joincode"
	"github.com/pwg-team/pwg/sync/presence"
	"github.com/pwg-team/pwg/sync/protocol"
	"github.com/pwg-team/pwg/sync/transport"
)

// Options configure a Node. Zero values take the defaults shown.
type Options struct {
	// Listen is the TCP address to accept peers on ("" for none; ":0" for
	// any port). Serve's default: ":7415" (DefaultPort).
	Listen string
	// Peers are host:port addresses to keep connected to, besides those kept
	// in the workspace (ManualPeers).
	Peers []string
	// MDNS advertises this device and finds others on the LAN.
	MDNS bool
	// Logger receives connection events and dropped-connection reasons.
	Logger *slog.Logger
	// Started, if set, is called with the node once it has started (how
	// Serve's caller reaches the node, e.g. to attach WebSocket peers).
	Started func(*Node)

	KeepaliveInterval time.Duration // 5s: a keepalive when nothing else was sent
	IdleTimeout       time.Duration // 20s: drop a peer silent for this long
	WriteTimeout      time.Duration // 30s: drop a peer that does not read
	HandshakeTimeout  time.Duration // 10s: Noise handshake plus join/peer
	PersistInterval   time.Duration // 10s: how often sync states are saved
	DocIdle           time.Duration // 30s: a document's sync state is saved and dropped after this long without a message
	RedialMin         time.Duration // 500ms: first retry of a manual peer
	RedialMax         time.Duration // 30s: longest wait between retries
	MDNSInterval      time.Duration // 10s: between mDNS queries
	RelayDelay        time.Duration // 100ms: relay to a peer that has the source first-hand
	MaxMessage        int           // 64 MiB: largest message accepted
	MessageRate       float64       // 500/s sustained messages from one peer
	MessageBurst      int           // 5000 messages
	ByteRate          int           // 64 MiB/s sustained
	ByteBurst         int           // 256 MiB
	MaxNewDocs        int           // 10000 new documents per connection
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.KeepaliveInterval, 5*time.Second)
	def(&o.IdleTimeout, 20*time.Second)
	def(&o.WriteTimeout, 30*time.Second)
	def(&o.HandshakeTimeout, 10*time.Second)
	def(&o.PersistInterval, 10*time.Second)
	def(&o.DocIdle, 30*time.Second)
	def(&o.RedialMin, 500*time.Millisecond)
	def(&o.RedialMax, 30*time.Second)
	def(&o.MDNSInterval, 10*time.Second)
	def(&o.RelayDelay, 100*time.Millisecond)
	if o.MaxMessage <= 0 {
		o.MaxMessage = transport.DefaultMaxMessage
	}
	if o.MessageRate <= 0 {
		o.MessageRate = 500
	}
	if o.MessageBurst <= 0 {
		o.MessageBurst = 5000
	}
	if o.ByteRate <= 0 {
		o.ByteRate = 64 << 20
	}
	if o.ByteBurst <= 0 {
		o.ByteBurst = 256 << 20
	}
	if o.MaxNewDocs <= 0 {
		o.MaxNewDocs = 10000
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Node is this device's sync engine: it accepts and dials peers of its team,
// syncs every document of the team with each, and tracks their presence.
type Node struct {
	st     Store
	opts   Options
	log    *slog.Logger
	team   Team
	id     transport.Identity
	peerID string
	openID string // peer id on open connections (not the fingerprint)
	ctx    context.Context
	cancel context.CancelFunc
	ln     net.Listener
	bus    eventbus.Bus[Event]
	wg     sync.WaitGroup
	gate   *transport.Gate
	codes  *joincode.Host // join codes on offer (InviteByCode)
	keyMu  sync.Mutex     // serialises team key rotations
	stats  counters

	mu        sync.Mutex
	closed    bool
	sessions  map[string]*session // by peer id: the one live connection
	peers     map[string]*PeerInfo
	dialing   map[string]bool   // addresses with a dial loop
	addrPeer  map[string]string // address → peer id last reached there
	self      map[string]bool   // addresses that reached this device itself
	pres      *presence.Presence
	presCount uint64
	presSess  string
	hops      map[string]*hop // latest presence of each device, direct or relayed (presencehops.go)

	wantMu sync.Mutex
	wanted map[string]int // documents waiting to be offered, by how many sessions (offerNext)

}

// Start starts a node on the workspace's current team and returns once it
// listens. It runs until ctx ends or Close.
func Start(ctx context.Context, st Store, opts Options) (*Node, error) {
	opts = opts.withDefaults()
	team, err := st.Team()
	if err != nil {
		return nil, err
	}
	if len(team.Key) != transport.TeamKeySize || !docid.Valid(team.ID) {
		return nil, fmt.Errorf("team %q: %w", team.ID, transport.ErrBadKey)
	}
	id, err := DeviceIdentity(st)
	if err != nil {
		return nil, err
	}
	if err := upgradeKeys(st.Settings(), team, id); err != nil {
		opts.Logger.Warn("keep the keys with a checksum", "err", err)
	}
	var sess, oid [8]byte
	_, _ = rand.Read(sess[:])
	_, _ = rand.Read(oid[:])
	n := &Node{
		st: st, opts: opts, log: opts.Logger, team: team, id: id, peerID: id.Fingerprint(),
		gate:     transport.NewGate(transport.GateOptions{Logger: opts.Logger}),
		codes:    joincode.NewHost(),
		sessions: map[string]*session{}, peers: map[string]*PeerInfo{},
		dialing: map[string]bool{}, addrPeer: map[string]string{}, self: map[string]bool{},
		presSess: hex.EncodeToString(sess[:]),
		openID:   "pwg-" + hex.EncodeToString(oid[:]),
	}
	n.ctx, n.cancel = context.WithCancel(ctx)
	events, unsub := st.Subscribe()
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		defer unsub()
		n.fanout(events)
	}()
	if opts.Listen != "" {
		ln, err := net.Listen("tcp", opts.Listen)
		if err != nil {
			n.Close()
			return nil, fmt.Errorf("listen for peers on %s: %w", opts.Listen, err)
		}
		n.ln = ln
		if err := st.Settings().SetListenAddrs(advertisedAddrs(ln.Addr())); err != nil {
			n.log.Warn("remember listen address", "err", err)
		}
		n.wg.Add(1)
		go n.acceptLoop()
	}
	manual, err := ManualPeers(st)
	if err != nil {
		n.log.Warn("read manual peers", "err", err)
	}
	for _, a := range dedupe(append(slices.Clone(opts.Peers), manual...)) {
		n.dial(a, true)
	}
	if opts.MDNS {
		if err := n.startMDNS(); err != nil {
			n.log.Warn("mDNS discovery off; add peers by address", "err", err)
		}
	}
	go func() { <-n.ctx.Done(); n.Close() }()
	n.log.Info("sync started", "fingerprint", n.peerID, "listen", n.Addr())
	if opts.Started != nil {
		opts.Started(n)
	}
	return n, nil
}

// DefaultPort is the TCP port Serve listens on unless told otherwise.
const DefaultPort = 7415

// Serve runs a node until ctx ends: the headless `pwg serve`. Unlike Start
// it listens on DefaultPort on all interfaces when opts.Listen is empty.
func Serve(ctx context.Context, st Store, opts Options) error {
	if opts.Listen == "" {
		opts.Listen = fmt.Sprintf(":%d", DefaultPort)
	}
	n, err := Start(ctx, st, opts)
	if err != nil {
		return err
	}
	<-ctx.Done()
	return n.Close()
}

// Addr returns the listening address, or nil.
func (n *Node) Addr() net.Addr {
	if n.ln == nil {
		return nil
	}
	return n.ln.Addr()
}

// Stats returns the node's message counters.
func (n *Node) Stats() Stats { return n.stats.snapshot() }

// Fingerprint returns this device's fingerprint (its peer id).
func (n *Node) Fingerprint() string { return n.peerID }

// Subscribe returns a stream of peer and presence events, and a function to
// stop it. Events are never dropped; Peers gives the current picture.
func (n *Node) Subscribe() (<-chan Event, func()) { return n.bus.Subscribe() }

// Peers returns every device seen since start, connected or lost.
func (n *Node) Peers() []PeerInfo {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]PeerInfo, 0, len(n.peers))
	for _, p := range n.peers {
		out = append(out, clonePeer(p))
	}
	slices.SortFunc(out, func(a, b PeerInfo) int {
		if a.Connected != b.Connected {
			if a.Connected {
				return -1
			}
			return 1
		}
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		if a.Fingerprint < b.Fingerprint {
			return -1
		}
		return 1
	})
	return out
}

func clonePeer(p *PeerInfo) PeerInfo {
	c := *p
	if p.Presence != nil {
		pp := *p.Presence
		c.Presence = &pp
	}
	return c
}

// SetPresence tells every peer where this person is. It is never stored.
func (n *Node) SetPresence(p presence.Presence) {
	n.mu.Lock()
	n.pres = &p
	ss := n.liveSessions()
	n.mu.Unlock()
	for _, s := range ss {
		s.presDirty.Store(true)
		s.poke()
	}
}

func (n *Node) presenceMessage() (*protocol.Message, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	var p presence.Presence
	if n.pres != nil {
		p = *n.pres
	}
	p.Connected = make([]string, 0, len(n.sessions))
	for id, s := range n.sessions {
		if s.open == nil {
			p.Connected = append(p.Connected, id)
		}
	}
	slices.Sort(p.Connected)
	n.presCount++
	doc := p.MeetingID
	if !docid.Valid(doc) {
		doc = n.team.ID
	}
	return &protocol.Message{Type: protocol.TypeEphemeral, DocumentID: doc, SessionID: n.presSess, Count: n.presCount, Data: presence.Encode(p)}, true
}

// connectionsChanged tells every peer this device's new set of connections.
// Called with n.mu held.
func (n *Node) connectionsChanged() {
	for _, s := range n.sessions {
		s.presDirty.Store(true)
		s.poke()
	}
}

// AddPeer keeps a connection to a host:port (in addition to the manual
// peers of the workspace).
func (n *Node) AddPeer(addr string) { n.dial(addr, true) }

// Close says goodbye to every peer, stops listening and waits for the
// connections to end.
func (n *Node) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	ss := n.liveSessions()
	n.mu.Unlock()
	for _, s := range ss {
		s.leave()
	}
	deadline := time.Now().Add(time.Second)
	for _, s := range ss {
		select {
		case <-s.finished:
		case <-time.After(time.Until(deadline)):
			s.fail(errClosing)
			<-s.finished
		}
	}
	n.cancel()
	if n.ln != nil {
		n.ln.Close()
	}
	n.wg.Wait()
	n.bus.Close()
	return nil
}

func (n *Node) liveSessions() []*session {
	out := make([]*session, 0, len(n.sessions))
	for _, s := range n.sessions {
		out = append(out, s)
	}
	return out
}

// fanout tells every session about each changed document. A local edit
// goes to every peer at once. Changes merged from peer P go at once to the
// peers not connected to P; those connected to P get them from P first-hand,
// so for them the relay is only a safety net, sent after RelayDelay.
func (n *Node) fanout(events <-chan docs.Event) {
	for {
		select {
		case <-n.ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			src := ""
			if ev.Origin == docs.FromPeer {
				src = ev.Peer
			}
			n.mu.Lock()
			ss := n.liveSessions()
			n.mu.Unlock()
			for _, s := range ss {
				switch {
				case src == "":
					s.markDirty(ev.DocID)
				case s.key == src:
					// its worker answers the message that brought the changes
				case s.connectedTo(src):
					s.deferDirty(ev.DocID, n.opts.RelayDelay)
				default:
					s.markDirty(ev.DocID)
				}
			}
		}
	}
}

func (n *Node) isTeamDoc(id string) bool {
	ids, err := n.st.DocIDs()
	return err == nil && slices.Contains(ids, id)
}

func (n *Node) acceptLoop() {
	defer n.wg.Done()
	for {
		c, err := n.ln.Accept()
		if err != nil {
			if n.ctx.Err() == nil {
				n.log.Error("accept", "err", err)
			}
			return
		}
		done, err := n.gate.Admit(c.RemoteAddr().String())
		if err != nil {
			c.Close() // logged by the gate, once per address and minute
			continue
		}
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			if c := n.acceptCode(c, done); c != nil {
				_ = n.attach(c, false, c.RemoteAddr().String(), done)
			}
		}()
	}
}

// deviceToken is the opaque id of a device in mDNS adverts: readable only
// with the team key, so that outsiders cannot link it to a fingerprint.
func (n *Node) deviceToken(pub []byte) string { return deviceToken(n.team.Key, pub) }

func deviceToken(key, pub []byte) string {
	m := hmac.New(sha256.New, transport.DeriveKey(key, "mdns device v1"))
	m.Write(pub)
	return hex.EncodeToString(m.Sum(nil)[:8])
}

func teamToken(key []byte) string {
	return hex.EncodeToString(transport.DeriveKey(key, "mdns team v1")[:8])
}
