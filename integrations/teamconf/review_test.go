package teamconf_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
	"github.com/pwg-team/pwg/integrations/markdown"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// TestReviewComputedAndExported: the demo SLOs and cost computed over HTTP
// from the fake are kept in the minutes, revisit dates surface, and the
// Markdown export shows the SLO and cost tables and the graph notes.
func TestReviewComputedAndExported(t *testing.T) {
	end := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	fake := mackereltest.New(mackereltest.Options{Now: end})
	hs := httptest.NewServer(fake)
	defer hs.Close()
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	c, err := mackerel.New(mackerel.Config{APIKey: fake.APIKey(), BaseURL: hs.URL, Org: mackereltest.OrgName, DB: ws.DB(), Now: fake.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Setup("Web", end); err != nil {
		t.Fatal(err)
	}
	infos, _ := ws.Meetings()
	m, _ := ws.Meeting(infos[0].ID)
	if err := m.SetInfo(m.Title(), "2026-11-20", ""); err != nil {
		t.Fatal(err)
	}
	rows := append([]minutes.SLORow{}, teamconf.DemoSLOs...)
	rows[0].RevisitDate = "2026-11-01" // overdue
	rows[1].RevisitDate = "2026-12-05" // before the next meeting
	rows[2].RevisitDate = "2027-03-01"
	rows = append(rows, minutes.SLORow{Name: "checkout (by hand)", Objective: "99.9%", Actual: "99.95%", Met: true},
		minutes.SLORow{Name: "broken", Objective: "99.9%", SLI: "web app.requests"})
	for _, r := range rows {
		if err := m.PutSLO(r); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := ws.Series()
	_ = s.SetCostMetrics(teamconf.DemoCostMetrics)
	_ = s.SetMetricNote("service:web:app.requests", "requests / min", "drops every Sunday by design", "Alice")

	rev, err := teamconf.ComputeSLOs(context.Background(), ws, m, c, end, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(rev.Results) != 4 || len(rev.Typed) != 1 {
		t.Fatalf("%d results, %d typed", len(rev.Results), len(rev.Typed))
	}
	slices.Sort(rev.Breached)
	if strings.Join(rev.Breached, ",") != "Latency (requests under 300 ms),p95 latency ≤ 300 ms (minutes)" {
		t.Errorf("breached %v", rev.Breached)
	}
	var broken bool
	for _, r := range rev.Results {
		broken = broken || (r.Name == "broken" && strings.Contains(r.Error, "SLI"))
	}
	if !broken {
		t.Errorf("a wrong SLI is not reported: %+v", rev.Results)
	}
	if len(rev.Revisits) != 2 || !rev.Revisits[0].Overdue && !rev.Revisits[1].Overdue {
		t.Errorf("revisits %+v", rev.Revisits)
	}
	kept, _ := m.SLOs()
	for _, r := range kept {
		if r.SLI != "" && r.Name != "broken" && (r.Snapshot == "" || r.Actual == "") {
			t.Errorf("no snapshot kept for %s", r.Name)
		}
	}
	cost, err := teamconf.ComputeCost(context.Background(), ws, m, c, end, time.UTC)
	if err != nil || cost.Month != "2026-11" {
		t.Fatalf("cost %s %v", cost.Month, err)
	}

	mins, err := teamconf.Minutes(m)
	if err != nil {
		t.Fatal(err)
	}
	md, err := markdown.String(mins, markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"**Revisit due:** ",
		"Availability (no 5xx) (2026-11-01, overdue)",
		"Latency (requests under 300 ms) (2026-12-05)",
		"| SLO | SLI | Objective | Window | Attainment | Met |",
		"| Latency (requests under 300 ms) | web: app.requests.fast / app.requests.total | 99% | 28d | 98.",
		"| checkout (by hand) | — | 99.9% |  | 99.95% | yes |",
		"*not computed*",
		"*Computed from Mackerel: 2026-11-20 03:00 UTC*",
		"**Cost 2026-11: ",
		"| web:cost.component.database | ",
		"**Graph notes**\n\n- **requests / min**: drops every Sunday by design",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("export lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(md)
	}
	// offline: recomputing fails but the minutes keep their numbers
	fake.Fail(500, -1)
	c2, _ := mackerel.New(mackerel.Config{APIKey: fake.APIKey(), BaseURL: hs.URL, Org: mackereltest.OrgName, Now: fake.Now,
		Retry: mackerel.RetryPolicy{Attempts: 1}})
	if _, err := teamconf.ComputeCost(context.Background(), ws, m, c2, end, time.UTC); err == nil {
		t.Error("cost computed without Mackerel")
	}
	if snap, ok := teamconf.CostSnapshot(m); !ok || snap.Month != "2026-11" {
		t.Error("a failed cost review replaced the snapshot")
	}
}
