package search_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/search"
)

func openWS(t *testing.T, dir, name string) *minutes.Workspace {
	t.Helper()
	ws, err := minutes.Open(dir, minutes.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func setupTeam(t *testing.T, ws *minutes.Workspace) *minutes.Meeting {
	t.Helper()
	if _, err := ws.Setup("Web team", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	infos, err := ws.Meetings()
	if err != nil {
		t.Fatal(err)
	}
	m, err := ws.Meeting(infos[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func openIndex(t *testing.T, ws *minutes.Workspace) *search.Index {
	t.Helper()
	x, err := search.Open(ws.DB())
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func hitLines(t *testing.T, x *search.Index, q string) []string {
	t.Helper()
	hits, err := x.Search(q, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range hits {
		out = append(out, h.Line)
	}
	return out
}

// waitFound waits, on the keeper's notifications, until q finds want.
func waitFound(t *testing.T, k *search.Keeper, x *search.Index, q string, want []string) {
	t.Helper()
	ch, stop := k.Indexed()
	defer stop()
	deadline := time.After(20 * time.Second)
	for {
		if got := hitLines(t, x, q); slices.Equal(got, want) {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("search %q: got %q, want %q", q, hitLines(t, x, q), want)
		}
	}
}

// syncDocs runs the Automerge sync protocol between two replicas of a
// document until neither has anything to send, as two peers do.
func syncDocs(t *testing.T, a, b *docs.Handle) {
	t.Helper()
	sa, err := a.NewSyncState(nil)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := b.NewSyncState(nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		ma, okA := a.GenerateSyncMessage(sa)
		if okA {
			if err := b.ReceiveSyncMessage(sb, ma, "a"); err != nil {
				t.Fatal(err)
			}
		}
		mb, okB := b.GenerateSyncMessage(sb)
		if okB {
			if err := a.ReceiveSyncMessage(sa, mb, "b"); err != nil {
				t.Fatal(err)
			}
		}
		if !okA && !okB {
			return
		}
	}
	t.Fatal("sync did not settle")
}

func TestKeeperIndexesTypedAndMergedText(t *testing.T) {
	a := openWS(t, t.TempDir(), "Alice")
	defer a.Close()
	ma := setupTeam(t, a)
	b := openWS(t, t.TempDir(), "Bob")
	defer b.Close()
	setupTeam(t, b)
	if _, err := b.ImportMeeting(ma.SaveFile()); err != nil {
		t.Fatal(err)
	}
	mb, err := b.Meeting(ma.ID())
	if err != nil {
		t.Fatal(err)
	}
	xb := openIndex(t, b)
	k := search.Keep(b, xb, nil)
	defer k.Close()

	// Typed here, keystroke by keystroke (batched commits).
	for i, r := range []rune("フェイルオーバー訓練") {
		if err := mb.SpliceNotes("topics", i, 0, string(r)); err != nil {
			t.Fatal(err)
		}
	}
	waitFound(t, k, xb, "フェイルオーバー", []string{"フェイルオーバー訓練"})

	// Written on another laptop and merged through the sync protocol.
	if err := ma.AppendNotes("worklog", "- Rotated the TLS certificate by hand"); err != nil {
		t.Fatal(err)
	}
	syncDocs(t, ma.Handle(), mb.Handle())
	waitFound(t, k, xb, "certificate", []string{"- Rotated the TLS certificate by hand"})
	// Edited away remotely: no longer found.
	if err := ma.Section("worklog").Splice(0, len([]rune("- Rotated the TLS certificate by hand")), "- 証明書を自動更新にした"); err != nil {
		t.Fatal(err)
	}
	if err := ma.Handle().Flush(); err != nil {
		t.Fatal(err)
	}
	syncDocs(t, ma.Handle(), mb.Handle())
	waitFound(t, k, xb, "certificate", nil)
	waitFound(t, k, xb, "自動更新", []string{"- 証明書を自動更新にした"})
}

func TestCatchUpIndexesWhatChangedWhileClosed(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, "Alice")
	m := setupTeam(t, ws)
	x := openIndex(t, ws)
	n, err := search.CatchUp(ws, x)
	if err != nil || n != 1 {
		t.Fatalf("first catch-up: %d, %v; want 1 meeting", n, err)
	}
	if n, err := search.CatchUp(ws, x); err != nil || n != 0 {
		t.Errorf("catch-up with nothing new: %d, %v", n, err)
	}
	// Changed with no keeper running (an older pwg, a crash).
	if err := m.AppendNotes("alerts", "CPUアラートの閾値を80%に上げた"); err != nil {
		t.Fatal(err)
	}
	m2, err := ws.NewMeeting("PWG 2026-12", "2026-12-20")
	if err != nil {
		t.Fatal(err)
	}
	if err := m2.AppendNotes("topics", "閾値の見直しを続ける"); err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws = openWS(t, dir, "Alice")
	defer ws.Close()
	x = openIndex(t, ws)
	if n, err := search.CatchUp(ws, x); err != nil || n != 2 {
		t.Errorf("catch-up after changes: %d, %v; want 2 meetings", n, err)
	}
	got := hitLines(t, x, "閾値")
	want := []string{"閾値の見直しを続ける", "CPUアラートの閾値を80%に上げた"}
	if !slices.Equal(got, want) {
		t.Errorf("閾値: %q, want %q", got, want)
	}
}

// A meeting that arrives from a peer (the workspace had none of it) is
// found once it arrived.
func TestKeeperIndexesAMeetingThatArrivedFromAPeer(t *testing.T) {
	a := openWS(t, t.TempDir(), "Alice")
	defer a.Close()
	ma := setupTeam(t, a)
	if err := ma.AppendNotes("worklog", "- ディスク容量の監視を追加した"); err != nil {
		t.Fatal(err)
	}
	b := openWS(t, t.TempDir(), "Bob")
	defer b.Close()
	xb := openIndex(t, b)
	k := search.Keep(b, xb, nil)
	defer k.Close()
	hb, err := b.EnsureDoc(ma.ID()) // offered by the peer, not arrived yet
	if err != nil {
		t.Fatal(err)
	}
	syncDocs(t, ma.Handle(), hb)
	waitFound(t, k, xb, "ディスク容量", []string{"- ディスク容量の監視を追加した"})
	hits, err := xb.Search("ディスク容量", 0)
	if err != nil || len(hits) != 1 || hits[0].MeetingID != ma.ID() || hits[0].MeetingTitle != ma.Title() {
		t.Errorf("hit = %+v, %v", hits, err)
	}
}
