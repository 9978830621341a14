package lansync_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
)

// Measured on the 2-CPU build machine (Go 1.26, quiet load), 8 peers all in
// one process:
//
//	EditVisibleOn8Peers (SQLite)   p50 2.7–3.4 ms  p99 13.2–14.8 ms  ~19 msgs/keystroke
//	EditVisibleOn8PeersMem         p50 0.7 ms      p99 9.5 ms        ~16 msgs/keystroke
//	OfflineEdits5000 history=0     0.06 s, 7.0 KB on the wire = 1.7× the new changes saved (4.2 KB);
//	                               the V1 change stream would be 1.2 MB
//	OfflineEdits5000 history=20000 0.22 s, 34 KB = 9.7× (the saved document carries the old history)
//
// Before peers shared whom they are connected to, a keystroke cost ~60
// messages and p99 was 27–80 ms.

func sameHashes(a, b []automerge.ChangeHash) bool { return memstore.SameHeads(a, b) }

// BenchmarkEditVisibleOn8Peers: eight real workspaces (SQLite) on loopback
// TCP in a full mesh; one keystroke typed into a meeting on one of them
// (the GUI's batched Edit path), timed until all seven others have merged
// it. Reports p50 and p99.
func BenchmarkEditVisibleOn8Peers(b *testing.B) {
	const n = 8
	wss := make([]*minutes.Workspace, n)
	for i := range wss {
		ws, err := minutes.Open(b.TempDir(), minutes.Options{Name: "p", Logger: testLogger(b)})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { ws.Close() }) // after the nodes (cleanups run last first)
		wss[i] = ws
	}
	if _, err := wss[0].Setup("SRE", time.Now()); err != nil {
		b.Fatal(err)
	}
	inv, err := lansync.Invite(lansync.FromWorkspace(wss[0]))
	if err != nil {
		b.Fatal(err)
	}
	var addrs []string
	nodes := make([]*lansync.Node, n)
	for i, ws := range wss {
		st := lansync.FromWorkspace(ws)
		if i > 0 {
			if err := lansync.Join(st, inv); err != nil {
				b.Fatal(err)
			}
		}
		opts := lansync.Options{Listen: "127.0.0.1:0", Peers: slices.Clone(addrs), Logger: testLogger(b)}
		nodes[i] = startNode(b, st, opts)
		addrs = append(addrs, nodes[i].Addr().String())
	}
	infos, _ := wss[0].Meetings()
	mid := infos[0].ID
	m0, _ := wss[0].Meeting(mid)
	secs, _ := m0.Sections()
	key := secs[0].Key
	h0 := m0.Handle()

	subs := make([]<-chan docs.Event, n)
	for i := 1; i < n; i++ {
		ch, stop := wss[i].Subscribe()
		defer stop()
		subs[i] = ch
	}
	waitAll := func(target []automerge.ChangeHash) {
		for i := 1; i < n; i++ {
			h, err := wss[i].Doc(mid)
			if err == nil && sameHashes(h.Heads(), target) {
				continue
			}
			for ev := range subs[i] {
				if ev.DocID == mid && sameHashes(ev.Heads, target) {
					break
				}
			}
		}
	}
	waitAll(h0.Heads()) // everyone has the meeting
	lat := make([]time.Duration, 0, b.N)
	sent0 := totalSent(nodes)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := m0.SpliceNotes(key, 0, 0, "x"); err != nil {
			b.Fatal(err)
		}
		waitAll(h0.Heads())
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(float64(totalSent(nodes)-sent0)/float64(b.N), "msgs/op")
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkEditVisibleOn8PeersMem is the same over in-memory stores: the
// engine and network alone, without SQLite and the minutes model.
func BenchmarkEditVisibleOn8PeersMem(b *testing.B) {
	const n = 8
	team := memstore.NewTeam()
	stores := make([]*memstore.Store, n)
	nodes := make([]*lansync.Node, n)
	var addrs []string
	for i := range stores {
		stores[i] = newStore(b, team)
		if i == 0 {
			newTextDoc(b, stores[0], "")
		}
		opts := lansync.Options{Listen: "127.0.0.1:0", Peers: slices.Clone(addrs), Logger: testLogger(b)}
		nodes[i] = startNode(b, stores[i], opts)
		addrs = append(addrs, nodes[i].Addr().String())
	}
	waitFor(b, 10*time.Second, "first sync", func() bool { return sameDocs(stores...) }, stores...)
	ids, _ := stores[0].DocIDs()
	d0, _ := stores[0].Get(ids[0])
	subs := make([]<-chan docs.Event, n)
	for i := 1; i < n; i++ {
		ch, stop := stores[i].Subscribe()
		defer stop()
		subs[i] = ch
	}
	lat := make([]time.Duration, 0, b.N)
	sent0 := totalSent(nodes)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		appendText(b, stores[0], ids[0], "x")
		target := d0.Heads()
		for j := 1; j < n; j++ {
			dj, _ := stores[j].Get(ids[0])
			for !sameHashes(dj.Heads(), target) {
				<-subs[j]
			}
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(float64(totalSent(nodes)-sent0)/float64(b.N), "msgs/op")
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkOfflineEdits5000: two peers share a meeting, then each types
// 5,000 characters offline, one commit per character (the worst case); timed
// from connecting until both have identical heads. Reports the bytes that
// crossed (both ways) against the saved size of the new changes.
func BenchmarkOfflineEdits5000(b *testing.B) {
	for _, hist := range []int{0, 20000} {
		b.Run(fmt.Sprintf("history=%d", hist), func(b *testing.B) { benchOffline(b, hist) })
	}
}

func benchOffline(b *testing.B, history int) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		team := memstore.NewTeam()
		sa, sb := newStore(b, team), newStore(b, team)
		d := newTextDoc(b, sa, "base\n")
		typeText(b, d, history, prose(3, history))
		// Sync once, as the laptops did at the last meeting.
		{
			na, nb := startNode(b, sa, fastOpts(b)), startNode(b, sb, fastOpts(b))
			link(na, nb)
			waitFor(b, 10*time.Second, "first sync", func() bool { return sameDocs(sa, sb) }, sa, sb)
			appendText(b, sb, d.ID(), "b")
			waitFor(b, 10*time.Second, "ack", func() bool { return sameDocs(sa, sb) }, sa, sb)
			na.Close()
			nb.Close()
		}
		base := d.Save()
		db, _ := sb.Get(d.ID())
		typeText(b, d, 5000, prose(1, 5000))
		typeText(b, db, 5000, prose(2, 5000))
		na, nb := startNode(b, sa, fastOpts(b)), startNode(b, sb, fastOpts(b))
		b.StartTimer()
		ca, cb, _, _ := link(na, nb)
		waitFor(b, 60*time.Second, "convergence", func() bool { return sameDocs(sa, sb) }, sa, sb)
		b.StopTimer()
		wire := ca.n.Load() + cb.n.Load()
		newSaved := len(d.Save()) - len(base)
		b.ReportMetric(float64(wire), "wire-bytes")
		b.ReportMetric(float64(newSaved), "new-saved-bytes")
		b.ReportMetric(float64(wire)/float64(newSaved), "wire/saved")
		b.ReportMetric(float64(v1Size(b, d)), "v1-all-change-bytes")
		na.Close()
		nb.Close()
		b.StartTimer()
	}
}

// typeText types n characters of text (cycled), one commit per character.
func typeText(t testing.TB, d *memstore.Doc, n int, text string) {
	t.Helper()
	rs := []rune(text)
	err := d.Read(func(doc *automerge.Doc) error {
		txt := doc.Path("notes").Text()
		for i := 0; i < n; i++ {
			if err := txt.Insert(txt.Len(), string(rs[i%len(rs)])); err != nil {
				return err
			}
			if _, err := doc.Commit("key"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// prose returns n characters of meeting-notes-like text that does not
// repeat (so compression does not flatter the sizes).
func prose(seed uint64, n int) string {
	words := strings.Fields(`alert fired host cpu memory disk latency p99 deploy release rollback
		threshold noisy monitor dashboard annotation incident postmortem root cause toil runbook
		SLO error budget campaign traffic cost 障害 アラート 閾値 対応 調査 今後 確認 担当
		database replica queue worker timeout retry cache hit ratio upgrade EOL kernel nginx`)
	r := rand.New(rand.NewPCG(seed, seed))
	var sb strings.Builder
	for sb.Len() < 4*n {
		sb.WriteString(words[r.IntN(len(words))])
		switch r.IntN(6) {
		case 0:
			fmt.Fprintf(&sb, " %d", r.IntN(10000))
		case 1:
			sb.WriteString(".\n")
			continue
		}
		sb.WriteString(" ")
	}
	return string([]rune(sb.String())[:n])
}

func totalSent(nodes []*lansync.Node) int64 {
	var n int64
	for _, nd := range nodes {
		n += nd.Stats().MessagesOut
	}
	return n
}
