package lansync_test

import (
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/memstore"
)

// TestRelayReachesIndirectPeersAtOnce: in a chain A—B—C, an edit on A
// reaches C through B without waiting for the relay delay (which only
// applies to peers that get changes first-hand); after the A—C link is
// added and cut again, edits still flow.
func TestRelayReachesIndirectPeersAtOnce(t *testing.T) {
	team := memstore.NewTeam()
	sa, sb, sc := newStore(t, team), newStore(t, team), newStore(t, team)
	d := newTextDoc(t, sa, "")
	opts := fastOpts(t)
	// A deferred relay would come too late for the 1 s waits below.
	opts.RelayDelay = 3 * time.Second
	a, b, c := startNode(t, sa, opts), startNode(t, sb, opts), startNode(t, sc, opts)
	link(a, b)
	link(b, c)
	waitFor(t, 5*time.Second, "chain sync", func() bool { return sameDocs(sa, sb, sc) }, sa, sb, sc)
	appendText(t, sa, d.ID(), "one ")
	waitFor(t, time.Second, "A's edit on C through B", func() bool { return textOf(sc, d.ID()) == "one " }, sc)

	// With A—C linked, B's relays to C wait: C gets A's edits from A.
	ac, _, _, _ := link(a, c)
	waitFor(t, 5*time.Second, "A and C connected", func() bool {
		for _, p := range c.Peers() {
			if p.Fingerprint == a.Fingerprint() && p.Connected {
				return true
			}
		}
		return false
	})
	appendText(t, sa, d.ID(), "two ")
	waitFor(t, 5*time.Second, "A's edit on C first-hand", func() bool { return textOf(sc, d.ID()) == "one two " }, sc)

	// Cut A—C: B learns it and relays at once again.
	ac.Close()
	waitFor(t, 5*time.Second, "A and C apart", func() bool {
		for _, p := range c.Peers() {
			if p.Fingerprint == a.Fingerprint() {
				return !p.Connected
			}
		}
		return false
	})
	// An edit from C reaching A through B (at worst after one relay delay,
	// while B's news of the cut is in flight) means B has processed C's
	// news of the cut (sent before the edit on the same connection).
	appendText(t, sc, d.ID(), "[c]")
	waitFor(t, 10*time.Second, "C's edit on A", func() bool { return textOf(sa, d.ID()) == "one two [c]" }, sa)
	appendText(t, sa, d.ID(), "three")
	waitFor(t, time.Second, "A's edit on C through B again", func() bool { return textOf(sc, d.ID()) == "one two [c]three" }, sc)
}
