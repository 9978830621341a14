package lansync_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
)

// waitUntil re-checks cond on a slow tick until it holds (there is no event
// for a document being unloaded), failing after d.
func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
	}
}

// TestIdleDocumentsUnloadWhileConnected: with a peer connected, documents
// nobody edits give back their sync states and are unloaded; an edit from
// the peer loads the meeting again and merges, and nothing is lost.
func TestIdleDocumentsUnloadWhileConnected(t *testing.T) {
	dirA := t.TempDir()
	wsA, err := minutes.Open(dirA, minutes.Options{Name: "A", IdleUnload: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wsA.Close() })
	wsB := openBenchWS(t)
	if _, err := wsA.Setup("SRE", time.Now()); err != nil {
		t.Fatal(err)
	}
	inv, err := lansync.Invite(lansync.FromWorkspace(wsA))
	if err != nil {
		t.Fatal(err)
	}
	if err := lansync.Join(lansync.FromWorkspace(wsB), inv); err != nil {
		t.Fatal(err)
	}
	// A history long enough that B, which has none of it, gets the saved
	// document (whose sync state is replaced: the old one is given back).
	infos, _ := wsA.Meetings()
	mid := infos[0].ID
	mA, _ := wsA.Meeting(mid)
	for i := 0; i < 500; i++ {
		if err := mA.SpliceNotes("worklog", i, 0, "k"); err != nil {
			t.Fatal(err)
		}
		mA.Handle().Heads() // one change per keystroke
	}
	opts := fastOpts(t)
	opts.DocIdle = 200 * time.Millisecond
	na := startNode(t, lansync.FromWorkspace(wsA), opts)
	nb := startNode(t, lansync.FromWorkspace(wsB), opts)
	link(na, nb)
	waitSameHeads(t, 30*time.Second, mid, wsA, wsB)
	waitUntil(t, 20*time.Second, "the idle meeting to be unloaded", func() bool { return !mA.Handle().Resident() })

	mB, err := wsB.Meeting(mid)
	if err != nil {
		t.Fatal(err)
	}
	if err := mB.AppendNotes("worklog", "from B while A's copy was unloaded"); err != nil {
		t.Fatal(err)
	}
	waitSameHeads(t, 30*time.Second, mid, wsA, wsB)
	if got, _ := mA.Notes("worklog"); !strings.Contains(got, "while A's copy was unloaded") {
		t.Fatalf("A's notes %q", got)
	}
	na.Close()
	if err := wsA.Close(); err != nil {
		t.Fatal(err)
	}
	ws2, err := minutes.Open(dirA, minutes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ws2.Close()
	m2, _ := ws2.Meeting(mid)
	if got, _ := m2.Notes("worklog"); !strings.Contains(got, "while A's copy was unloaded") {
		t.Fatalf("after restart: %q", got)
	}
}

// TestReconnectLeavesSharedDocumentsUnloaded: documents a peer already has
// in full stay unloaded when it reconnects (nothing is announced for them,
// and its messages naming the same heads need no answer); a document the
// peer changed meanwhile loads and merges as usual.
func TestReconnectLeavesSharedDocumentsUnloaded(t *testing.T) {
	wsA, err := minutes.Open(t.TempDir(), minutes.Options{Name: "A", IdleUnload: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wsA.Close() })
	wsB := openBenchWS(t)
	if _, err := wsA.Setup("SRE", time.Now()); err != nil {
		t.Fatal(err)
	}
	inv, err := lansync.Invite(lansync.FromWorkspace(wsA))
	if err != nil {
		t.Fatal(err)
	}
	if err := lansync.Join(lansync.FromWorkspace(wsB), inv); err != nil {
		t.Fatal(err)
	}
	infos, _ := wsA.Meetings()
	mid := infos[0].ID
	// A second meeting, which nobody changes while apart (the series is
	// read to list the team's documents, so it loads anyway: it is small).
	other, err := wsA.NewMeeting("PWG earlier", "2026-01-20")
	if err != nil {
		t.Fatal(err)
	}
	na := startNode(t, lansync.FromWorkspace(wsA), fastOpts(t))
	nb := startNode(t, lansync.FromWorkspace(wsB), fastOpts(t))
	link(na, nb)
	waitSameHeads(t, 30*time.Second, mid, wsA, wsB)
	waitSameHeads(t, 30*time.Second, other.ID(), wsA, wsB)
	// Same heads is not yet a settled exchange: the last sync message (the
	// one that tells a side the other has everything) may still be on its
	// way, and a state saved without it makes the reconnect ask again. Wait
	// until every message sent was received, twice in a row.
	waitQuiet(t, na, nb)
	na.Close() // saves the sync states and gives them back
	nb.Close()
	if wsA.UnloadIdle(0); wsA.Resident() != 0 {
		t.Fatalf("%d documents stay loaded after the peer left", wsA.Resident())
	}
	mB, err := wsB.Meeting(mid)
	if err != nil {
		t.Fatal(err)
	}
	if err := mB.AppendNotes("worklog", "written while apart"); err != nil {
		t.Fatal(err)
	}
	na = startNode(t, lansync.FromWorkspace(wsA), fastOpts(t))
	nb = startNode(t, lansync.FromWorkspace(wsB), fastOpts(t))
	link(na, nb)
	waitSameHeads(t, 30*time.Second, mid, wsA, wsB)
	if other.Handle().Resident() {
		t.Fatal("a meeting the peer had in full was loaded by the reconnect")
	}
}

// waitQuiet waits until every message either node sent has been received by
// the other, and the counts held still across one more poll.
func waitQuiet(t *testing.T, a, b *lansync.Node) {
	t.Helper()
	var last [2]int64
	settled := 0
	waitFor(t, 10*time.Second, "the sync exchange to settle", func() bool {
		sa, sb := a.Stats(), b.Stats()
		if sa.MessagesOut != sb.MessagesIn || sb.MessagesOut != sa.MessagesIn {
			settled = 0
			return false
		}
		now := [2]int64{sa.MessagesOut, sb.MessagesOut}
		if now == last {
			settled++
		} else {
			settled, last = 0, now
		}
		return settled >= 2
	})
}
