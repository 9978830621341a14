package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/review"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// TestReviewSLODemoShowsBreach: pwg review slo --demo --json computes the
// demo SLOs from the demo Mackerel over HTTP and shows the latency breach.
func TestReviewSLODemoShowsBreach(t *testing.T) {
	ws := t.TempDir()
	if _, errs, code := pwg(t, ws, "", "meeting", "new", "--title", "PWG", "--date", time.Now().Format(time.DateOnly)); code != 0 {
		t.Fatalf("meeting new: %d %s", code, errs)
	}
	js, errs, code := pwg(t, ws, "", "review", "slo", "--demo", "--json")
	if code != 0 {
		t.Fatalf("review slo: %d %s", code, errs)
	}
	var rev teamconf.SLOReview
	if err := json.Unmarshal([]byte(js), &rev); err != nil {
		t.Fatalf("json: %v\n%s", err, js)
	}
	if len(rev.Results) != len(teamconf.DemoSLOs) {
		t.Fatalf("%d results\n%s", len(rev.Results), js)
	}
	byName := map[string]review.Result{}
	for _, r := range rev.Results {
		byName[r.Name] = r
	}
	lat := byName["Latency (requests under 300 ms)"]
	if lat.Met || !lat.BudgetEnd.Valid() || lat.BudgetEnd >= 0 || !strings.Contains(strings.Join(rev.Breached, ","), lat.Name) {
		t.Errorf("no latency breach: %+v, breached %v", lat, rev.Breached)
	}
	if !byName["Availability (no 5xx)"].Met {
		t.Errorf("availability breached: %+v", byName["Availability (no 5xx)"])
	}
	txt, _, code := pwg(t, ws, "", "review", "slo", "--demo")
	if code != 0 || !strings.Contains(txt, "breached: Latency (requests under 300 ms)") {
		t.Errorf("text: %d\n%s", code, txt)
	}
	if _, _, code := pwg(t, ws, "", "review", "slo", "a", "b"); code != exitUsage {
		t.Errorf("two meetings: exit %d", code)
	}
}

// TestReviewKeepsSnapshots: SLO rows naming an SLI and the team's cost
// metrics are computed by the commands and kept in the meeting; a row
// typed by hand is left alone; revisits due are listed.
func TestReviewKeepsSnapshots(t *testing.T) {
	dir := t.TempDir()
	today := time.Now().Format(time.DateOnly)
	ws, err := minutes.Open(dir, minutes.Options{Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Setup("Web", time.Now()); err != nil {
		t.Fatal(err)
	}
	infos, _ := ws.Meetings()
	m, _ := ws.Meeting(infos[0].ID)
	_ = m.SetInfo(m.Title(), today, "")
	lat := teamconf.DemoSLOs[1]
	lat.RevisitDate = time.Now().AddDate(0, 0, -3).Format(time.DateOnly)
	for _, r := range []minutes.SLORow{lat, {Name: "checkout by hand", Objective: "99.9%", Actual: "99.95%", Met: true}} {
		if err := m.PutSLO(r); err != nil {
			t.Fatal(err)
		}
	}
	id := m.ID()
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}

	txt, errs, code := pwg(t, dir, "", "review", "slo", id, "--demo")
	if code != 0 {
		t.Fatalf("review slo: %d %s", code, errs)
	}
	for _, want := range []string{"Latency (requests under 300 ms)", "NO", "checkout by hand", "(typed by hand)", "revisit: Latency (requests under 300 ms) (" + lat.RevisitDate + ", overdue)"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	if _, errs, code := pwg(t, dir, "", "review", "cost", id, "--demo", "--metrics", "web:cost.daily.usd"); code != 0 {
		t.Fatalf("review cost: %d %s", code, errs)
	}
	if _, errs, code := pwg(t, dir, "", "review", "cost", id, "--metrics", "cost.daily.usd"); code != exitUsage {
		t.Errorf("bad metrics: exit %d %s", code, errs)
	}

	ws, err = minutes.Open(dir, minutes.Options{Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	m, _ = ws.Meeting(id)
	rows, _ := m.SLOs()
	for _, r := range rows {
		switch r.Name {
		case lat.Name:
			if r.Snapshot == "" || r.Met || !strings.HasSuffix(r.Actual, "%") {
				t.Errorf("latency not kept: %+v", r)
			}
		default:
			if r.Snapshot != "" || r.Actual != "99.95%" || !r.Met {
				t.Errorf("hand row changed: %+v", r)
			}
		}
	}
	c, ok := teamconf.CostSnapshot(m)
	if !ok || len(c.Months) != 12 || c.Metrics != "total=web:cost.daily.usd" {
		t.Errorf("cost snapshot %v %+v", ok, c.Metrics)
	}
}
