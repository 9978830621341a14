package lansync_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
)

// offerProbe is a log handler that, each time the node starts offering a
// document that was not in memory, records how many documents the serving
// workspace then holds in memory. It runs on the session's worker, at the
// very moment of the offer.
type offerProbe struct {
	ws       *minutes.Workspace
	mu       sync.Mutex
	resident []int
	offered  chan struct{} // nil, or told of each offer (dropped when full)
}

func (p *offerProbe) Enabled(context.Context, slog.Level) bool { return true }
func (p *offerProbe) WithAttrs([]slog.Attr) slog.Handler       { return p }
func (p *offerProbe) WithGroup(string) slog.Handler            { return p }
func (p *offerProbe) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "offering a document that was not in memory" {
		p.mu.Lock()
		p.resident = append(p.resident, p.ws.Resident())
		p.mu.Unlock()
		select {
		case p.offered <- struct{}{}:
		default:
		}
	}
	return nil
}

// waitDocHeads waits until document id of ws has the heads want.
func waitDocHeads(t testing.TB, ws *minutes.Workspace, id string, want []automerge.ChangeHash) {
	t.Helper()
	evs, stop := ws.Subscribe()
	defer stop()
	deadline := time.After(2 * time.Minute) // a year of long meetings, on a loaded CI machine
	for {
		if h, err := ws.Doc(id); err == nil && sameHashes(h.Heads(), want) {
			return
		}
		select {
		case <-evs:
		case <-deadline:
			t.Fatalf("document %s did not arrive", id)
		}
	}
}

// setupMeetings sets ws up as a team with five meetings of notes, and
// returns an invitation to it.
func setupMeetings(t *testing.T, ws *minutes.Workspace) string {
	t.Helper()
	if _, err := ws.Setup("SRE", time.Date(2026, 1, 19, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for month := 2; month <= 6; month++ {
		m, err := ws.NewMeeting(fmt.Sprintf("PWG 2026-%02d", month), fmt.Sprintf("2026-%02d-16", month))
		if err != nil {
			t.Fatal(err)
		}
		secs, _ := m.Sections()
		if err := m.AppendNotes(secs[0].Key, prose(uint64(month), 2000)); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := lansync.Invite(lansync.FromWorkspace(ws))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestNewDeviceGetsStoredDocumentsOneAtATime: a device new to the team
// syncs from one whose meetings are on disk and not in memory. The serving
// side loads them one at a time and gives each back once the new device has
// it (it loaded them all at once: 630 MB for a year of long meetings).
func TestNewDeviceGetsStoredDocumentsOneAtATime(t *testing.T) {
	dir := t.TempDir()
	ws, err := minutes.Open(dir, minutes.Options{Name: "server", Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	inv := setupMeetings(t, ws)
	want := map[string][]automerge.ChangeHash{}
	ids, _ := lansync.FromWorkspace(ws).DocIDs()
	for _, id := range ids {
		h, _ := ws.Doc(id)
		want[id] = h.Heads()
	}
	infos, _ := ws.Meetings()
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}

	srvWS, err := minutes.Open(dir, minutes.Options{Name: "server", Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srvWS.Close() })
	probe := &offerProbe{ws: srvWS}
	opts := fastOpts(t)
	opts.Logger = slog.New(probe)
	srv := startNode(t, lansync.FromWorkspace(srvWS), opts)

	newWS := openBenchWS(t)
	if err := lansync.Join(lansync.FromWorkspace(newWS), inv); err != nil {
		t.Fatal(err)
	}
	link(srv, startNode(t, lansync.FromWorkspace(newWS), fastOpts(t)))
	for id, heads := range want {
		waitDocHeads(t, newWS, id, heads)
	}

	probe.mu.Lock()
	defer probe.mu.Unlock()
	if len(probe.resident) < len(infos) {
		t.Fatalf("%d documents offered from storage, want every meeting (%d)", len(probe.resident), len(infos))
	}
	// In memory at each offer: the series and the roster (read to list
	// the team's documents), at most one meeting not yet given back.
	if most := slices.Max(probe.resident); most > 3 {
		t.Fatalf("documents in memory when a meeting was offered: %v, want at most 3 each time", probe.resident)
	}
	t.Logf("in memory at each offer: %v (of %d documents)", probe.resident, len(want))
}

// TestRestartedDeviceOffersToPeerHoldingDocumentsIdle: a device restarts
// while its peer keeps running with every document unloaded and in sync.
// The restarted device offers its documents one at a time; the peer has
// each with the same heads and answers without loading it, so each offer
// settles and is given back at once. The peer used not to answer, so every
// offer waited 2 s for nothing and stayed in memory (7 of 8 documents
// resident after six offers).
func TestRestartedDeviceOffersToPeerHoldingDocumentsIdle(t *testing.T) {
	dirA := t.TempDir()
	wa, err := minutes.Open(dirA, minutes.Options{Name: "a", Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	inv := setupMeetings(t, wa)
	wb := openBenchWS(t)
	if err := lansync.Join(lansync.FromWorkspace(wb), inv); err != nil {
		t.Fatal(err)
	}
	nb := startNode(t, lansync.FromWorkspace(wb), fastOpts(t))
	na := startNode(t, lansync.FromWorkspace(wa), fastOpts(t))
	_, _, _, ended := link(na, nb)
	ids, _ := lansync.FromWorkspace(wa).DocIDs()
	for _, id := range ids {
		h, _ := wa.Doc(id)
		waitDocHeads(t, wb, id, h.Heads())
	}
	// a goes away; b keeps running with every document unloaded.
	na.Close()
	if err := wa.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("b's session did not end")
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	wb.UnloadIdle(0)
	if n := wb.Resident(); n != 0 {
		t.Fatalf("%d documents of b still in memory", n)
	}

	wa, err = minutes.Open(dirA, minutes.Options{Name: "a", Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wa.Close() })
	probe := &offerProbe{ws: wa, offered: make(chan struct{}, 1)}
	opts := fastOpts(t)
	opts.Logger = slog.New(probe)
	na = startNode(t, lansync.FromWorkspace(wa), opts)
	link(na, nb)
	infos, _ := wa.Meetings()
	deadline := time.After(time.Minute)
	for {
		probe.mu.Lock()
		n := len(probe.resident)
		probe.mu.Unlock()
		if n >= len(infos) {
			break // every meeting offered
		}
		select {
		case <-probe.offered:
		case <-deadline:
			t.Fatalf("%d documents offered, want at least %d", n, len(infos))
		}
	}
	probe.mu.Lock()
	defer probe.mu.Unlock()
	if most := slices.Max(probe.resident); most > 3 {
		t.Fatalf("documents of a in memory at each offer: %v, want at most 3 each time", probe.resident)
	}
	t.Logf("in memory at each offer: %v (of %d documents)", probe.resident, len(ids))
}
