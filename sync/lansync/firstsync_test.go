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
}

func (p *offerProbe) Enabled(context.Context, slog.Level) bool { return true }
func (p *offerProbe) WithAttrs([]slog.Attr) slog.Handler       { return p }
func (p *offerProbe) WithGroup(string) slog.Handler            { return p }
func (p *offerProbe) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "offering a document that was not in memory" {
		p.mu.Lock()
		p.resident = append(p.resident, p.ws.Resident())
		p.mu.Unlock()
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
