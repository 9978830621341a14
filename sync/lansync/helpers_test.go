package lansync_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
)

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("PWG_SYNC_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// fastOpts are short timeouts so faults show within a test's patience.
func fastOpts(t testing.TB) lansync.Options {
	return lansync.Options{
		Logger:            testLogger(t),
		KeepaliveInterval: 50 * time.Millisecond,
		IdleTimeout:       2 * time.Second,
		WriteTimeout:      2 * time.Second,
		HandshakeTimeout:  2 * time.Second,
		RedialMin:         20 * time.Millisecond,
		RedialMax:         200 * time.Millisecond,
		MDNSInterval:      300 * time.Millisecond,
	}
}

func newStore(t testing.TB, team lansync.Team) *memstore.Store {
	st := memstore.New()
	if err := st.JoinTeam(team); err != nil {
		t.Fatal(err)
	}
	return st
}

func startNode(t testing.TB, st lansync.Store, opts lansync.Options) *lansync.Node {
	t.Helper()
	n, err := lansync.Start(context.Background(), st, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// countingConn counts the bytes read from it and keeps a copy of them.
type countingConn struct {
	net.Conn
	n    atomic.Int64
	keep bool
	buf  []byte
}

func (c *countingConn) Read(p []byte) (int, error) {
	k, err := c.Conn.Read(p)
	c.n.Add(int64(k))
	if c.keep {
		c.buf = append(c.buf, p[:k]...)
	}
	return k, err
}

// link joins two nodes over net.Pipe and returns the connection ends (to
// cut the link) and the channels on which each Attach reports its end.
func link(a, b *lansync.Node) (ca, cb *countingConn, ea, eb chan error) {
	pa, pb := net.Pipe()
	ca, cb = &countingConn{Conn: pa}, &countingConn{Conn: pb}
	ea, eb = make(chan error, 1), make(chan error, 1)
	go func() { ea <- a.Attach(ca, true, "pipe") }()
	go func() { eb <- b.Attach(cb, false, "pipe") }()
	return
}

// waitFor waits until cond holds, re-checking on every document event of
// the stores and on a slow tick, failing the test after the deadline.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool, stores ...*memstore.Store) {
	t.Helper()
	wake := make(chan struct{}, 1)
	for _, st := range stores {
		ch, stop := st.Subscribe()
		defer stop()
		go func() {
			for range ch {
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		}()
	}
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-wake:
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
	}
}

func newTextDoc(t testing.TB, st *memstore.Store, text string) *memstore.Doc {
	d, err := st.Create(func(d *automerge.Doc) error {
		return d.RootMap().Set("notes", automerge.NewText(text))
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func textOf(st *memstore.Store, id string) string {
	d, err := st.Get(id)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	var s string
	_ = d.Read(func(doc *automerge.Doc) error {
		v, err := doc.Path("notes").Get()
		if err != nil || v.Kind() != automerge.KindText {
			s = "<no text>"
			return nil
		}
		s, _ = v.Text().Get()
		return nil
	})
	return s
}

func appendText(t testing.TB, st *memstore.Store, id, s string) {
	t.Helper()
	d, err := st.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Edit(func(doc *automerge.Doc) error {
		txt := doc.Path("notes").Text()
		return txt.Insert(txt.Len(), s)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sameDocs(stores ...*memstore.Store) bool {
	ref, _ := stores[0].DocIDs()
	for _, st := range stores {
		ids, _ := st.DocIDs()
		if len(ids) != len(ref) {
			return false
		}
		for _, id := range ref {
			a, err1 := stores[0].Get(id)
			b, err2 := st.Get(id)
			if err1 != nil || err2 != nil || !memstore.SameHeads(a.Heads(), b.Heads()) {
				return false
			}
		}
	}
	return true
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
