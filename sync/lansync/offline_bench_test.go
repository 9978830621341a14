package lansync_test

import (
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
)

// BenchmarkOfflineSharedHistory: two real workspaces (SQLite) share a
// meeting whose notes were typed in 20,000 edits; they part, each types
// 5,000 more edits offline through the meeting (the editor's path,
// SpliceNotes, batched as the editor batches them), then they meet again.
// Timed from connecting until both hold the same heads. Reports the time
// (converge-s) and the bytes that crossed both ways against the saved size
// of the new changes (bytes-ratio: the compacted document after the merge
// minus the one before the offline edits).
func BenchmarkOfflineSharedHistory(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		wsA, wsB := openBenchWS(b), openBenchWS(b)
		if _, err := wsA.Setup("SRE", time.Now()); err != nil {
			b.Fatal(err)
		}
		inv, err := lansync.Invite(lansync.FromWorkspace(wsA))
		if err != nil {
			b.Fatal(err)
		}
		if err := lansync.Join(lansync.FromWorkspace(wsB), inv); err != nil {
			b.Fatal(err)
		}
		infos, _ := wsA.Meetings()
		mid := infos[0].ID
		mA, _ := wsA.Meeting(mid)
		secs, _ := mA.Sections()
		key := secs[0].Key
		typeNotes(b, mA, key, 20000, prose(3, 20000))
		// Sync once, as the laptops did at the last meeting.
		{
			na := startNode(b, lansync.FromWorkspace(wsA), fastOpts(b))
			nb := startNode(b, lansync.FromWorkspace(wsB), fastOpts(b))
			link(na, nb)
			waitSameHeads(b, 30*time.Second, mid, wsA, wsB)
			na.Close()
			nb.Close()
		}
		mB, err := wsB.Meeting(mid)
		if err != nil {
			b.Fatal(err)
		}
		base := len(mA.Handle().Save())
		typeNotes(b, mA, key, 5000, prose(1, 5000))
		typeNotes(b, mB, key, 5000, prose(2, 5000))
		na := startNode(b, lansync.FromWorkspace(wsA), fastOpts(b))
		nb := startNode(b, lansync.FromWorkspace(wsB), fastOpts(b))
		b.StartTimer()
		start := time.Now()
		ca, cb, _, _ := link(na, nb)
		waitSameHeads(b, 60*time.Second, mid, wsA, wsB)
		took := time.Since(start)
		b.StopTimer()
		wire := ca.n.Load() + cb.n.Load()
		newSaved := len(mA.Handle().Save()) - base
		b.ReportMetric(took.Seconds(), "converge-s")
		b.ReportMetric(float64(wire)/float64(newSaved), "bytes-ratio")
		b.ReportMetric(float64(wire), "wire-bytes")
		b.ReportMetric(float64(newSaved), "new-saved-bytes")
		na.Close()
		nb.Close()
		b.StartTimer()
	}
}

func openBenchWS(t testing.TB) *minutes.Workspace {
	t.Helper()
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "p", Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() }) // after the nodes (cleanups run last first)
	return ws
}

// typeNotes types n characters of text at the end of a section, one
// SpliceNotes per character, and flushes.
func typeNotes(t testing.TB, m *minutes.Meeting, key string, n int, text string) {
	t.Helper()
	cur, err := m.Notes(key)
	if err != nil {
		t.Fatal(err)
	}
	pos := len([]rune(cur))
	for _, r := range []rune(text)[:n] {
		if err := m.SpliceNotes(key, pos, 0, string(r)); err != nil {
			t.Fatal(err)
		}
		pos++
	}
	if err := m.Handle().Flush(); err != nil {
		t.Fatal(err)
	}
}

// waitSameHeads waits until a document has the same heads in every
// workspace, re-checking on each of their document events.
func waitSameHeads(t testing.TB, d time.Duration, id string, wss ...*minutes.Workspace) {
	t.Helper()
	wake := make(chan struct{}, 1)
	for _, ws := range wss {
		ch, stop := ws.Subscribe()
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
	same := func() bool {
		var ref []automerge.ChangeHash
		for i, ws := range wss {
			h, err := ws.Doc(id)
			if err != nil {
				return false
			}
			heads := h.Heads()
			if i == 0 {
				ref = heads
			} else if !sameHashes(ref, heads) {
				return false
			}
		}
		return true
	}
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for !same() {
		select {
		case <-wake:
		case <-deadline.C:
			t.Fatalf("timed out after %v waiting for the same heads of %s", d, id)
		}
	}
}
