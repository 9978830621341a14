package lansync_test

import (
	"context"
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
	"github.com/pwg-team/pwg/sync/presence"
)

func peerOf(n *lansync.Node, fp string) (lansync.PeerInfo, bool) {
	for _, p := range n.Peers() {
		if p.Fingerprint == fp {
			return p, true
		}
	}
	return lansync.PeerInfo{}, false
}

// TestPresenceAcrossHops: in a chain A — B — C, A sees C (through B) and C
// sees A, with their names and sections; when C leaves, A sees it lost.
func TestPresenceAcrossHops(t *testing.T) {
	team := memstore.NewTeam()
	ast, bst, cst := newStore(t, team), newStore(t, team), newStore(t, team)
	bopts := fastOpts(t)
	bopts.Listen = "127.0.0.1:0"
	b := startNode(t, bst, bopts)
	opts := fastOpts(t)
	opts.Peers = []string{b.Addr().String()}
	a := startNode(t, ast, opts)
	cctx, stopC := context.WithCancel(context.Background())
	defer stopC()
	c, err := lansync.Start(cctx, cst, opts)
	if err != nil {
		t.Fatal(err)
	}
	a.SetPresence(presence.Presence{Name: "Alice", Section: "alerts"})
	b.SetPresence(presence.Presence{Name: "Bob"})
	c.SetPresence(presence.Presence{Name: "Carol", Section: "dashboard"})

	waitFor(t, 10*time.Second, "A to see Carol through B", func() bool {
		p, ok := peerOf(a, c.Fingerprint())
		return ok && p.InReach() && !p.Connected && p.Via == b.Fingerprint() && p.Name == "Carol" && p.Presence != nil && p.Presence.Section == "dashboard"
	})
	waitFor(t, 10*time.Second, "C to see Alice through B", func() bool {
		p, ok := peerOf(c, a.Fingerprint())
		return ok && p.InReach() && p.Via == b.Fingerprint() && p.Name == "Alice"
	})
	if p, _ := peerOf(a, b.Fingerprint()); !p.Connected || p.Via != "" || p.Name != "Bob" {
		t.Fatalf("A's direct peer B: %+v", p)
	}
	// A change of section travels the chain too.
	c.SetPresence(presence.Presence{Name: "Carol", Section: "topics"})
	waitFor(t, 10*time.Second, "A to see Carol's new section", func() bool {
		p, _ := peerOf(a, c.Fingerprint())
		return p.Presence != nil && p.Presence.Section == "topics"
	})
	// C leaves: A sees it lost.
	c.Close()
	waitFor(t, 10*time.Second, "A to see Carol lost", func() bool {
		p, ok := peerOf(a, c.Fingerprint())
		return ok && !p.InReach()
	})
}
