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
func waitConnected(t *testing.T, events <-chan lansync.Event, d time.Duration) time.Duration {
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

// TestHandshakeFloodDoesNotKeepTeamOut: an outsider holding 40 connections
// inside the handshake (from one address, or spread over ten) neither keeps a
// restarted team device out — it reconnects within 2 s — nor floods the log:
// refusals are logged once per address and period.
func TestHandshakeFloodDoesNotKeepTeamOut(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hosts int
		per   int
	}{{"one address", 1, 40}, {"ten addresses", 10, 4}} {
		t.Run(tc.name, func(t *testing.T) {
			team := memstore.NewTeam()
			var logged byteCounter
			aOpts := fastOpts(t)
			aOpts.HandshakeTimeout = 10 * time.Second // the default: an outsider may hold a slot that long
			aOpts.Logger = slog.New(slog.NewTextHandler(&logged, nil))
			aOpts.Listen = "127.0.0.1:0"
			a := startNode(t, newStore(t, team), aOpts)

			bStore := newStore(t, team)
			bOpts := fastOpts(t)
			bOpts.Peers = []string{a.Addr().String()}
			b := startNode(t, bStore, bOpts)
			ev, stop := b.Subscribe()
			waitConnected(t, ev, 10*time.Second)
			stop()
			b.Close()

			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var hosts []string
			for i := range tc.hosts {
				hosts = append(hosts, fmt.Sprintf("127.0.0.%d", 2+i))
			}
			before := logged.n.Load()
			// Let the flood take every slot it can, and be refused a few
			// thousand times, before the team device returns.
			dialed, held := flood(ctx, a.Addr().String(), hosts, tc.per, int64(tc.hosts*tc.per)+3000)
			select {
			case <-held:
			case <-time.After(20 * time.Second):
				t.Fatalf("the flood connected only %d times", dialed.Load())
			}

			b2, err := lansync.Start(t.Context(), bStore, bOpts)
			if err != nil {
				t.Fatal(err)
			}
			defer b2.Close()
			ev2, stop2 := b2.Subscribe()
			defer stop2()
			took := waitConnected(t, ev2, 5*time.Second)
			cancel()
			logBytes := logged.n.Load() - before
			t.Logf("team device reconnected in %v during a flood of %d connections (%d dialed); %d bytes of log",
				took, tc.hosts*tc.per, dialed.Load(), logBytes)
			if took > 2*time.Second {
				t.Errorf("reconnect took %v, want < 2s", took)
			}
			if limit := int64(tc.hosts) * 1024; logBytes > limit {
				t.Errorf("%d bytes of log during the flood, want ≤ %d (one line per address and minute)", logBytes, limit)
			}
		})
	}
}
