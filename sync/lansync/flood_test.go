package lansync_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
)

// byteCounter counts what a logger writes.
type byteCounter struct{ n atomic.Int64 }

func (b *byteCounter) Write(p []byte) (int, error) { b.n.Add(int64(len(p))); return len(p), nil }

// flood holds per connections from each of hosts to addr inside the
// handshake (they connect and send nothing), dialing again whenever the
// listener drops one, until ctx ends. It returns how many it dialed, and a
// channel closed once that reached signalAt.
func flood(ctx context.Context, addr string, hosts []string, per int, signalAt int64) (*atomic.Int64, <-chan struct{}) {
	var dialed atomic.Int64
	all := make(chan struct{})
	var once sync.Once
	for _, h := range hosts {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(h)}}
		for range per {
			go func() {
				for ctx.Err() == nil {
					c, err := d.DialContext(ctx, "tcp", addr)
					if err != nil {
						continue
					}
					if dialed.Add(1) == signalAt {
						once.Do(func() { close(all) })
					}
					stop := context.AfterFunc(ctx, func() { c.Close() })
					var b [1]byte
					_, _ = c.Read(b[:]) // held until the listener gives up on it
					stop()
					c.Close()
				}
			}()
		}
	}
	return &dialed, all
}

// waitConnected waits for n to report a connected peer, up to d.
func waitConnected(t testing.TB, events <-chan lansync.Event, d time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := time.After(d)
	for {
		select {
		case ev := <-events:
			if ev.Kind == lansync.PeerConnected {
				return time.Since(start)
			}
		case <-deadline:
			t.Fatalf("no connection within %v", d)
		}
	}
}

// floodReconnect runs the scenario: team device B connects to A, goes away;
// an outsider floods A's listener with connections held inside the
// handshake (per from each of hosts loopback addresses) until A refused
// refusals of them; B comes back. It returns how long B took to connect
// again, the bytes A logged meanwhile and the connections the flood made.
func floodReconnect(tb testing.TB, hosts, per int, refusals int64) (took time.Duration, logBytes, dialed int64) {
	tb.Helper()
	team := memstore.NewTeam()
	var logged byteCounter
	aOpts := fastOpts(tb)
	aOpts.HandshakeTimeout = 10 * time.Second // the default: an outsider may hold a slot that long
	aOpts.Logger = slog.New(slog.NewTextHandler(&logged, nil))
	aOpts.Listen = "127.0.0.1:0"
	a := startNode(tb, newStore(tb, team), aOpts)
	defer a.Close()

	bStore := newStore(tb, team)
	bOpts := fastOpts(tb)
	bOpts.Peers = []string{a.Addr().String()}
	b := startNode(tb, bStore, bOpts)
	ev, stop := b.Subscribe()
	waitConnected(tb, ev, 10*time.Second)
	stop()
	b.Close()

	ctx, cancel := context.WithCancel(tb.Context())
	defer cancel()
	var addrs []string
	for i := range hosts {
		addrs = append(addrs, fmt.Sprintf("127.0.0.%d", 2+i))
	}
	before := logged.n.Load()
	n, held := flood(ctx, a.Addr().String(), addrs, per, int64(hosts*per)+refusals)
	select {
	case <-held:
	case <-time.After(20 * time.Second):
		tb.Fatalf("the flood connected only %d times", n.Load())
	}
	b2, err := lansync.Start(tb.Context(), bStore, bOpts)
	if err != nil {
		tb.Fatal(err)
	}
	defer b2.Close()
	ev2, stop2 := b2.Subscribe()
	defer stop2()
	took = waitConnected(tb, ev2, 5*time.Second)
	cancel()
	return took, logged.n.Load() - before, n.Load()
}

var floods = []struct {
	name  string
	hosts int
	per   int
}{{"one address", 1, 40}, {"ten addresses", 10, 4}}

// TestHandshakeFloodDoesNotKeepTeamOut: an outsider holding 40 connections
// inside the handshake (from one address, or spread over ten) neither keeps a
// restarted team device out — it reconnects within 2 s — nor floods the log:
// refusals are logged once per address and period.
func TestHandshakeFloodDoesNotKeepTeamOut(t *testing.T) {
	for _, tc := range floods {
		t.Run(tc.name, func(t *testing.T) {
			took, logBytes, dialed := floodReconnect(t, tc.hosts, tc.per, 3000)
			t.Logf("team device reconnected in %v during a flood of %d connections (%d dialed); %d bytes of log",
				took, tc.hosts*tc.per, dialed, logBytes)
			if took > 2*time.Second {
				t.Errorf("reconnect took %v, want < 2s", took)
			}
			if limit := int64(tc.hosts) * 1024; logBytes > limit {
				t.Errorf("%d bytes of log during the flood, want ≤ %d (one line per address and minute)", logBytes, limit)
			}
		})
	}
}

// BenchmarkReconnectDuringHandshakeFlood: how long a team device takes to
// connect again while an outsider holds 40 connections inside the handshake
// and has been refused 3,000 more (ms/reconnect), and the bytes of log
// written meanwhile (log-bytes/op).
func BenchmarkReconnectDuringHandshakeFlood(b *testing.B) {
	for _, tc := range floods {
		b.Run(tc.name, func(b *testing.B) {
			var took time.Duration
			var logBytes int64
			for range b.N {
				d, l, _ := floodReconnect(b, tc.hosts, tc.per, 3000)
				took += d
				logBytes += l
			}
			b.ReportMetric(float64(took.Microseconds())/1000/float64(b.N), "ms/reconnect")
			b.ReportMetric(float64(logBytes)/float64(b.N), "log-bytes/op")
		})
	}
}
