package transport

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"
)

// Refusals of Gate.Admit (callers branch on them; both say why in words).
var (
	// ErrBusyHost is returned when one address already holds its share of
	// the handshake slots.
	ErrBusyHost = errors.New("too many handshakes from this address at once")
	// ErrBusy is returned when every handshake slot open to the address is
	// taken.
	ErrBusy = errors.New("too many handshakes at once")
)

// GateOptions bound the handshakes a listener runs at once. Zero values take
// the defaults shown.
type GateOptions struct {
	Slots    int           // 32: handshakes in progress at once
	PerHost  int           // 4: of them from one IP address
	Reserved int           // 8: of the slots, kept for addresses that completed a handshake before
	Deadline time.Duration // 3s: how long an accepted connection may take to complete the handshake
	Known    int           // 1024: addresses remembered as known
	// LogPeriod: refusals are logged once per address and period, with the
	// count refused since the last line (default 1 minute).
	LogPeriod time.Duration
	Logger    *slog.Logger
}

// DefaultAcceptDeadline bounds the handshake of an accepted connection: the
// Noise handshake takes milliseconds on a LAN, so an address that holds a
// slot longer is not a team device doing its handshake.
const DefaultAcceptDeadline = 3 * time.Second

// Gate admits accepted connections to the handshake so that one address
// cannot starve the others: each address may hold only a few of the slots,
// and some slots are kept for addresses that completed a handshake before (a
// restarted team device gets in even when strangers hold every other slot).
// Refusals and failed handshakes are logged once per address and period with
// counts, not once per connection. Safe for concurrent use.
type Gate struct {
	opts GateOptions

	mu     sync.Mutex
	inUse  int
	byHost map[string]int
	known  map[string]time.Time // host → last completed handshake
	logged map[string]*refusals
}

type refusals struct {
	last  time.Time // when the last line was written
	count int       // refused since then
	why   string
}

// NewGate returns a gate with opts' bounds.
func NewGate(opts GateOptions) *Gate {
	if opts.Slots <= 0 {
		opts.Slots = 32
	}
	if opts.PerHost <= 0 {
		opts.PerHost = 4
	}
	if opts.Reserved <= 0 {
		opts.Reserved = 8
	}
	if opts.Reserved >= opts.Slots {
		opts.Reserved = opts.Slots / 4
	}
	if opts.Deadline <= 0 {
		opts.Deadline = DefaultAcceptDeadline
	}
	if opts.Known <= 0 {
		opts.Known = 1024
	}
	if opts.LogPeriod <= 0 {
		opts.LogPeriod = time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Gate{opts: opts, byHost: map[string]int{}, known: map[string]time.Time{}, logged: map[string]*refusals{}}
}

// Deadline is how long an admitted connection may take for its handshake.
func (g *Gate) Deadline() time.Duration { return g.opts.Deadline }

// Host is the IP address part of addr (the whole string if it has no port).
func Host(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// Admit takes a handshake slot for a connection from addr, or refuses it
// (ErrBusyHost, ErrBusy; the refusal is logged, rate-limited). The caller
// must call done exactly once when the handshake ends, with its error (nil:
// the address becomes known and keeps a way in).
func (g *Gate) Admit(addr string) (done func(error), err error) {
	host := Host(addr)
	g.mu.Lock()
	defer g.mu.Unlock()
	_, known := g.known[host]
	switch {
	case g.byHost[host] >= g.opts.PerHost:
		err = ErrBusyHost
	case g.inUse >= g.opts.Slots, !known && g.inUse >= g.opts.Slots-g.opts.Reserved:
		err = ErrBusy
	}
	if err != nil {
		g.refusedLocked(host, err.Error())
		return nil, err
	}
	g.inUse++
	g.byHost[host]++
	var once sync.Once
	return func(hsErr error) { once.Do(func() { g.release(host, hsErr) }) }, nil
}

func (g *Gate) release(host string, hsErr error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inUse--
	if g.byHost[host]--; g.byHost[host] <= 0 {
		delete(g.byHost, host)
	}
	if hsErr == nil {
		g.rememberLocked(host)
		return
	}
	g.refusedLocked(host, hsErr.Error())
}

func (g *Gate) rememberLocked(host string) {
	if _, ok := g.known[host]; !ok && len(g.known) >= g.opts.Known {
		oldest, at := "", time.Time{}
		for h, t := range g.known {
			if oldest == "" || t.Before(at) {
				oldest, at = h, t
			}
		}
		delete(g.known, oldest)
	}
	g.known[host] = time.Now()
}

// refusedLocked counts a refused connection of host and writes a log line
// if none was written for host in the last period.
func (g *Gate) refusedLocked(host, why string) {
	now := time.Now()
	r := g.logged[host]
	if r == nil {
		if len(g.logged) >= g.opts.Known {
			for h, old := range g.logged {
				if now.Sub(old.last) >= g.opts.LogPeriod {
					delete(g.logged, h)
				}
			}
			if len(g.logged) >= g.opts.Known {
				return // a flood from very many addresses: bounded memory over a line each
			}
		}
		r = &refusals{}
		g.logged[host] = r
	}
	r.count++
	r.why = why
	if !r.last.IsZero() && now.Sub(r.last) < g.opts.LogPeriod {
		return
	}
	g.opts.Logger.Warn("connections refused", "addr", host, "count", r.count,
		"period", fmt.Sprint(g.opts.LogPeriod), "reason", why)
	r.last, r.count = now, 0
}
