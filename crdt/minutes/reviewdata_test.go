package minutes_test

import (
	"testing"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// TestSLOsCarriedToNewMeeting: a new meeting lists the previous meeting's
// SLOs (definitions and revisit dates) without that meeting's numbers; a
// cost snapshot and notes are kept where they were written.
func TestSLOsCarriedToNewMeeting(t *testing.T) {
	ws, m := setup(t, t.TempDir())
	defer ws.Close()
	rows := []minutes.SLORow{
		{Name: "availability", Objective: "99.5%", SLI: "web: app.requests.success / app.requests.total", Window: "28d",
			Actual: "99.77%", Met: true, Snapshot: `{"met":true}`, RevisitDate: "2026-12-01"},
		{Name: "checkout p95 (by hand)", Objective: "300 ms", Actual: "280 ms", Met: true},
	}
	for _, r := range rows {
		if err := m.PutSLO(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.SetCostSnapshot(`{"month":"2026-11"}`); err != nil {
		t.Fatal(err)
	}
	next, err := ws.NewMeeting("PWG 2026-12", "2026-12-22")
	if err != nil {
		t.Fatal(err)
	}
	got, err := next.SLOs()
	if err != nil || len(got) != 2 {
		t.Fatalf("carried SLOs %+v %v", got, err)
	}
	for _, r := range got {
		if r.Actual != "" || r.Met || r.Snapshot != "" {
			t.Errorf("numbers of the last meeting carried: %+v", r)
		}
		if r.Name == "availability" && (r.SLI != rows[0].SLI || r.RevisitDate != "2026-12-01" || r.Window != "28d") {
			t.Errorf("definition not carried: %+v", r)
		}
	}
	if next.CostSnapshot() != "" || m.CostSnapshot() != `{"month":"2026-11"}` {
		t.Errorf("cost snapshots %q %q", next.CostSnapshot(), m.CostSnapshot())
	}
	old, _ := m.SLOs()
	if len(old) != 2 || old[0].Snapshot == "" && old[1].Snapshot == "" {
		t.Errorf("the old meeting lost its snapshot: %+v", old)
	}

	s, _ := ws.Series()
	if err := s.SetMetricNote("k", "graph", "  ", "Alice"); err != nil {
		t.Fatal(err)
	}
	if ns, _ := s.MetricNotes(); len(ns) != 0 {
		t.Errorf("an empty note was kept: %+v", ns)
	}
	_ = s.SetMetricNote("k", "graph", "limit 1000", "Alice")
	_ = s.SetMetricNote("k", "graph", "", "Alice")
	if ns, _ := s.MetricNotes(); len(ns) != 0 {
		t.Errorf("a cleared note was kept: %+v", ns)
	}
}
