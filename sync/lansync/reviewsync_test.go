package lansync_test

import (
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
)

// TestMetricNotesSync: the team's notes on dashboard graphs, its cost
// metrics and a meeting's SLO snapshot reach the other workspace, and a
// note changed there comes back.
func TestMetricNotesSync(t *testing.T) {
	wa, wb := openWS(t), openWS(t)
	if _, err := wa.Setup("SRE", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	sa0, _ := wa.Series()
	const key = "service:web:app.requests"
	if err := sa0.SetMetricNote(key, "requests / min", "drops every Sunday by design", "Alice"); err != nil {
		t.Fatal(err)
	}
	if err := sa0.SetCostMetrics("web:cost.daily.usd"); err != nil {
		t.Fatal(err)
	}
	infos, _ := wa.Meetings()
	ma, _ := wa.Meeting(infos[0].ID)
	if err := ma.PutSLO(minutes.SLORow{Name: "latency", Objective: "99%", SLI: "web: app.requests.fast / app.requests.total",
		Window: "28d", Actual: "98.2%", Snapshot: `{"attainment":0.982}`}); err != nil {
		t.Fatal(err)
	}
	sa, sb := lansync.FromWorkspace(wa), lansync.FromWorkspace(wb)
	inv, err := lansync.Invite(sa)
	if err != nil {
		t.Fatal(err)
	}
	if err := lansync.Join(sb, inv); err != nil {
		t.Fatal(err)
	}
	link(startNode(t, sa, fastOpts(t)), startNode(t, sb, fastOpts(t)))
	deadline := time.Now().Add(10 * time.Second)
	wait := func(what string, cond func() bool) {
		t.Helper()
		evb, stopb := wb.Subscribe()
		defer stopb()
		eva, stopa := wa.Subscribe()
		defer stopa()
		for !cond() {
			select {
			case <-evb:
			case <-eva:
			case <-time.After(time.Until(deadline)):
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	note := func(ws *minutes.Workspace) string {
		s, err := ws.Series()
		if err != nil {
			return ""
		}
		ns, _ := s.MetricNotes()
		return ns[key].Note
	}
	wait("the note on B", func() bool { return note(wb) == "drops every Sunday by design" })
	sb0, _ := wb.Series()
	if sb0.CostMetrics() != "web:cost.daily.usd" {
		t.Errorf("cost metrics on B: %q", sb0.CostMetrics())
	}
	wait("the SLO snapshot on B", func() bool {
		m, err := wb.Meeting(infos[0].ID)
		if err != nil {
			return false
		}
		rows, _ := m.SLOs()
		return len(rows) == 1 && rows[0].Snapshot == `{"attainment":0.982}` && rows[0].SLI != ""
	})
	if err := sb0.SetMetricNote(key, "requests / min", "drops every Sunday by design; campaign days ×1.4", "Bob"); err != nil {
		t.Fatal(err)
	}
	wait("B's note on A", func() bool { return note(wa) == "drops every Sunday by design; campaign days ×1.4" })
	ns, _ := sa0.MetricNotes()
	if ns[key].Author != "Bob" || ns[key].Title != "requests / min" {
		t.Errorf("note on A %+v", ns[key])
	}
}
