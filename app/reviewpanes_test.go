package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
	"github.com/pwg-team/pwg/integrations/review"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// waitDone waits for a pane's computation with a deadline.
func waitDone(t *testing.T, done chan error, what string) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: no answer within 60 s", what)
	}
}

// TestSLOAndCostPanes: the SLO and cost panes compute from the demo
// Mackerel over HTTP and keep the numbers in the minutes; an SLO whose
// revisit date has passed is listed at the top of the window and in the
// SLO section; a hand-typed row stays as it was.
func TestSLOAndCostPanes(t *testing.T) {
	a := test.NewTempApp(t)
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("Web", time.Now()); err != nil {
		t.Fatal(err)
	}
	infos, _ := ws.Meetings()
	m, _ := ws.Meeting(infos[0].ID)
	lat := teamconf.DemoSLOs[1]
	lat.RevisitDate = time.Now().AddDate(0, -1, 0).Format(time.DateOnly)
	hand := minutes.SLORow{Name: "checkout (by hand)", Objective: "99.9%", Actual: "99.95%", Met: true}
	for _, r := range []minutes.SLORow{lat, hand} {
		if err := m.PutSLO(r); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := ws.Series()
	if err := s.SetCostMetrics(teamconf.DemoCostMetrics); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, key, stop, err := mackereltest.StartDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	mk, err := mackerel.New(mackerel.Config{APIKey: key, BaseURL: base, DB: ws.DB(), Org: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	u := app.New(a, ws, app.Options{Demo: true, Mackerel: heldMetrics{heldSource{mk}, mk}, MackerelOrg: "demo"})
	waitRevisits(t, u)
	v := u.Current()
	if got := u.Revisits(); !strings.Contains(got, lat.Name) || !strings.Contains(got, lat.RevisitDate) {
		t.Errorf("top of the window: %q, want the overdue revisit of %s", got, lat.Name)
	}
	p, ok := v.Section("slo").Pane().(*app.SLOPane)
	if !ok {
		t.Fatalf("slo pane = %T", v.Section("slo").Pane())
	}
	done := make(chan error, 1)
	p.OnComputed(func(err error) { done <- err })
	p.Compute()
	waitDone(t, done, "SLO computation")
	waitRevisits(t, u)
	if !strings.Contains(p.Status(), "1 breached") {
		t.Errorf("status %q", p.Status())
	}
	rows := v.Section("slo").SLOs().Rows()
	if len(rows) != 2 {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows {
		switch r.Name {
		case lat.Name:
			if r.Snapshot == "" || r.Met || r.Actual == "" {
				t.Errorf("latency not kept: %+v", r)
			}
		case hand.Name:
			if r.Snapshot != "" || r.Actual != hand.Actual || !r.Met {
				t.Errorf("hand row changed: %+v", r)
			}
		}
	}

	c, ok := v.Section("cost").Pane().(*app.CostPane)
	if !ok {
		t.Fatalf("cost pane = %T", v.Section("cost").Pane())
	}
	c.OnComputed(func(err error) { done <- err })
	c.Compute()
	waitDone(t, done, "cost computation")
	if !strings.Contains(c.Summary(), "vs last month +") {
		t.Errorf("cost summary %q", c.Summary())
	}
	if snap, ok := teamconf.CostSnapshot(m); !ok || len(snap.Components) != 4 {
		t.Errorf("cost snapshot %v %+v", ok, snap.Components)
	}

	// the next meeting lists the SLOs again, the overdue revisit on top
	next, err := ws.NewMeeting("PWG next month", time.Now().AddDate(0, 1, 0).Format(time.DateOnly))
	if err != nil {
		t.Fatal(err)
	}
	u.ShowMeeting(next.ID())
	waitRevisits(t, u)
	if u.Current() == nil || u.Current().Meeting().ID() != next.ID() {
		t.Fatal("the next meeting is not shown")
	}
	if got := len(u.Current().Section("slo").SLOs().Rows()); got != 2 {
		t.Errorf("next meeting lists %d SLOs", got)
	}
	if got := u.Revisits(); !strings.Contains(got, lat.Name) {
		t.Errorf("next meeting's banner %q", got)
	}
}

// heldMetrics holds the panes' first reads but reads metric values.
type heldMetrics struct {
	heldSource
	metrics review.Source
}

func (h heldMetrics) ServiceMetricValues(ctx context.Context, service, name string, from, to time.Time, chunk time.Duration) (mackerel.Fetched[[]mackerel.Point], error) {
	return h.metrics.ServiceMetricValues(ctx, service, name, from, to, chunk)
}
