package interop_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
)

// Measured on the 2-CPU build machine (Go 1.26, Node 20, quiet load):
//
//	EditVisible8PeersPwgVsJS (400 edits)  pwg p50 4.3 ms  p99 11.4 ms | JS p50 96.1 ms  p99 107.9 ms
//	                                      JS/pwg: 22× at p50, 9.5× at p99
//	FirstSyncLongMeeting (20,000 one-key changes, saved 7.8 KB)
//	  pwg-lan        166 ms,  8.8 KB on the wire (the saved document, then heads)
//	  js-syncserver  126 ms, 33.6 KB (automerge 3 and the server's 2.2 speak sync V2)
//
// pwg's first sync time is mostly automerge-go (Rust core 0.5.0) loading
// the document twice (Load, then Merge): ~100 ms each for this history.

// BenchmarkEditVisible8PeersPwgVsJS races, in one run and interleaved edit
// by edit, eight pwg peers (real SQLite workspaces, full mesh over the LAN
// transport on loopback) against eight JS automerge-repo peers with their
// defaults, all connected to the real automerge-repo sync server on
// loopback. Each op is one keystroke on the first peer of each, timed until
// the seven others have merged it. Reports p50/p99 of both and the ratio.
func BenchmarkEditVisible8PeersPwgVsJS(b *testing.B) {
	const n = 8
	url := syncServer(b)
	js := startJS(b, "bench-latency", url, strconv.Itoa(n))
	if l := js.line(b, 60*time.Second); l != "ready" {
		b.Fatalf("JS peers: %s", l)
	}
	edit, wait := pwgMesh(b, n)
	var pwgLat, jsLat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		edit()
		wait()
		pwgLat = append(pwgLat, time.Since(start))

		if _, err := js.stdin.Write([]byte("edit\n")); err != nil {
			b.Fatal(err)
		}
		ms, err := strconv.ParseFloat(js.line(b, 30*time.Second), 64)
		if err != nil {
			b.Fatal(err)
		}
		jsLat = append(jsLat, time.Duration(ms*float64(time.Millisecond)))
	}
	b.StopTimer()
	pp50, pp99 := percentiles(pwgLat)
	jp50, jp99 := percentiles(jsLat)
	b.ReportMetric(ms(pp50), "pwg-p50-ms")
	b.ReportMetric(ms(pp99), "pwg-p99-ms")
	b.ReportMetric(ms(jp50), "js-p50-ms")
	b.ReportMetric(ms(jp99), "js-p99-ms")
	b.ReportMetric(float64(jp99)/float64(pp99), "js/pwg-p99")
	b.ReportMetric(float64(jp50)/float64(pp50), "js/pwg-p50")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func percentiles(lat []time.Duration) (p50, p99 time.Duration) {
	s := slices.Clone(lat)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2], s[(len(s)*99)/100]
}

// pwgMesh starts n pwg workspaces in a full mesh on loopback, each holding
// the first one's meeting, and returns a keystroke on the first and a wait
// until all others have the first one's heads.
func pwgMesh(b *testing.B, n int) (edit, wait func()) {
	wss := make([]*minutes.Workspace, n)
	var inv string
	var addrs []string
	for i := range wss {
		ws, err := minutes.Open(b.TempDir(), minutes.Options{Name: "p", Logger: testLogger()})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { ws.Close() })
		wss[i] = ws
		st := lansync.FromWorkspace(ws)
		if i == 0 {
			if _, err := ws.Setup("SRE", time.Now()); err != nil {
				b.Fatal(err)
			}
			if inv, err = lansync.Invite(st); err != nil {
				b.Fatal(err)
			}
		} else if err := lansync.Join(st, inv); err != nil {
			b.Fatal(err)
		}
		node, err := lansync.Start(context.Background(), st, lansync.Options{Listen: "127.0.0.1:0", Peers: slices.Clone(addrs), Logger: testLogger()})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { node.Close() })
		addrs = append(addrs, node.Addr().String())
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
		b.Cleanup(stop)
		subs[i] = ch
	}
	wait = func() {
		target := h0.Heads()
		for i := 1; i < n; i++ {
			if h, err := wss[i].Doc(mid); err == nil && sameHeads(h.Heads(), target) {
				continue
			}
			for ev := range subs[i] {
				if ev.DocID == mid && sameHeads(ev.Heads, target) {
					break
				}
			}
		}
	}
	wait() // everyone has the meeting
	edit = func() {
		if err := m0.SpliceNotes(key, 0, 0, "x"); err != nil {
			b.Fatal(err)
		}
	}
	return edit, wait
}

func sameHeads(a, b []automerge.ChangeHash) bool { return memstore.SameHeads(a, b) }

// BenchmarkFirstSyncLongMeeting: one long meeting (20,000 keystrokes, one
// change each) reaches an empty peer. pwg: over the LAN transport, directly
// from a peer that has it. JS: a fresh automerge-repo peer finds the same
// document (the same saved bytes, imported) on the sync server, which
// already has it. Reports time and the bytes the empty peer exchanged.
func BenchmarkFirstSyncLongMeeting(b *testing.B) {
	const keystrokes = 20000
	saved := longDoc(b, keystrokes)
	file := filepath.Join(b.TempDir(), "long.automerge")
	if err := os.WriteFile(file, saved, 0o600); err != nil {
		b.Fatal(err)
	}
	b.Run("pwg-lan", func(b *testing.B) {
		var total time.Duration
		var bytes int64
		for i := 0; i < b.N; i++ {
			d, w := pwgFirstSync(b, saved)
			total += d
			bytes += w
		}
		b.ReportMetric(ms(total/time.Duration(b.N)), "ms")
		b.ReportMetric(float64(bytes/int64(b.N)), "wire-bytes")
		b.ReportMetric(float64(len(saved)), "saved-bytes")
	})
	b.Run("js-syncserver", func(b *testing.B) {
		url := syncServer(b)
		var total float64
		var bytes int64
		for i := 0; i < b.N; i++ {
			p := startJS(b, "bench-firstsync", url, file)
			var res struct {
				MS     float64 `json:"ms"`
				RX, TX int64
			}
			line := p.line(b, 300*time.Second)
			if err := json.Unmarshal([]byte(line), &res); err != nil {
				b.Fatalf("%v: %s", err, line)
			}
			total += res.MS
			bytes += res.RX + res.TX
		}
		b.ReportMetric(total/float64(b.N), "ms")
		b.ReportMetric(float64(bytes/int64(b.N)), "wire-bytes")
		b.ReportMetric(float64(len(saved)), "saved-bytes")
	})
}

// longDoc types n characters of notes, one commit each, and saves.
func longDoc(b *testing.B, n int) []byte {
	doc := automerge.New()
	if err := doc.RootMap().Set("notes", automerge.NewText("")); err != nil {
		b.Fatal(err)
	}
	txt := doc.Path("notes").Text()
	words := strings.Fields("alert fired host cpu latency p99 deploy rollback threshold noisy monitor 障害 アラート 閾値 対応 調査")
	var sb strings.Builder
	for i := 0; sb.Len() < 4*n; i++ {
		fmt.Fprintf(&sb, "%s %d ", words[i%len(words)], i*7919%10007)
	}
	rs := []rune(sb.String())
	for i := 0; i < n; i++ {
		if err := txt.Insert(txt.Len(), string(rs[i])); err != nil {
			b.Fatal(err)
		}
		if _, err := doc.Commit("key"); err != nil {
			b.Fatal(err)
		}
	}
	return doc.Save()
}

// pwgFirstSync connects an empty peer to one holding the saved document
// and returns the time until it has the same heads, and the message bytes
// both ways.
func pwgFirstSync(b *testing.B, saved []byte) (time.Duration, int64) {
	b.StopTimer()
	defer b.StartTimer()
	team := memstore.NewTeam()
	sa, sb := memstore.New(), memstore.New()
	for _, s := range []*memstore.Store{sa, sb} {
		if err := s.JoinTeam(team); err != nil {
			b.Fatal(err)
		}
	}
	id := docid.New()
	d, err := sa.EnsureDoc(id)
	if err != nil {
		b.Fatal(err)
	}
	if err := d.MergeSaved(saved, ""); err != nil {
		b.Fatal(err)
	}
	da, _ := sa.Get(id)
	target := da.Heads()
	na, err := lansync.Start(context.Background(), sa, lansync.Options{Listen: "127.0.0.1:0", Logger: testLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer na.Close()
	events, stop := sb.Subscribe()
	defer stop()
	b.StartTimer()
	start := time.Now()
	nb, err := lansync.Start(context.Background(), sb, lansync.Options{Peers: []string{na.Addr().String()}, Logger: testLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer nb.Close()
	for {
		if db, err := sb.Get(id); err == nil && sameHeads(db.Heads(), target) {
			break
		}
		<-events
	}
	took := time.Since(start)
	b.StopTimer()
	st := nb.Stats()
	return took, st.BytesIn + st.BytesOut
}
