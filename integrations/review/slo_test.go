package review_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
	"github.com/pwg-team/pwg/integrations/review"
)

// p0 is the start of the hand-computed period: two days from it, with a
// window of one day before.
var p0 = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

func minuteOf(t int64) int64 { return (t - p0.Unix()) / 60 } // minutes since p0

// newClient serves fake over HTTP and returns the real client reading it.
func newClient(t testing.TB, fake *mackereltest.Server, cached bool) *mackerel.Client {
	t.Helper()
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	cfg := mackerel.Config{APIKey: fake.APIKey(), BaseURL: hs.URL, Org: mackereltest.OrgName, Now: fake.Now,
		Retry: mackerel.RetryPolicy{Attempts: 2, Base: time.Millisecond, Max: time.Millisecond}}
	if cached {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "ws.db")+"?_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		cfg.DB = db
	}
	c, err := mackerel.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// handSeries seeds the service "shop" with:
//
//	req.total  100 a minute, except the 10 minutes from day 2 10:00 (no point)
//	req.good   = total, except
//	           day −1 (the window before): 30 minutes from 05:00 at 50
//	           day 1: 120 minutes from 12:00 at 0
//	           day 2: the 60 minutes from 20:00 have no point
//	p95        200 ms, except day 2 the 90 minutes from 03:00 at 400;
//	           day 1 the 30 minutes from 08:00 have no point
func handSeries(fake *mackereltest.Server) {
	in := func(m, dayStart, from, n int64) bool { // minute m within n minutes from hh:mm of day
		s := dayStart*1440 + from
		return m >= s && m < s+n
	}
	fake.SetServiceMetric("shop", "req.total", 0, time.Time{}, func(t int64) (float64, bool) {
		return 100, !in(minuteOf(t), 1, 10*60, 10)
	})
	fake.SetServiceMetric("shop", "req.good", 0, time.Time{}, func(t int64) (float64, bool) {
		m := minuteOf(t)
		switch {
		case in(m, -1, 5*60, 30):
			return 50, true
		case in(m, 0, 12*60, 120):
			return 0, true
		case in(m, 1, 20*60, 60):
			return 0, false
		}
		return 100, true
	})
	fake.SetServiceMetric("shop", "p95", 0, time.Time{}, func(t int64) (float64, bool) {
		m := minuteOf(t)
		switch {
		case in(m, 1, 3*60, 90):
			return 400, true
		case in(m, 0, 8*60, 30):
			return 0, false
		}
		return 200, true
	})
}

func near(t *testing.T, what string, got review.Num, want float64) {
	t.Helper()
	if !got.Valid() || math.Abs(float64(got)-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", what, float64(got), want)
	}
}

// TestSLOHandComputed checks the numbers against a hand computation of the
// seeded series, read over HTTP by the real client, missing points included.
func TestSLOHandComputed(t *testing.T) {
	fake := mackereltest.New(mackereltest.Options{Empty: true, Now: p0.Add(50 * time.Hour)})
	handSeries(fake)
	c := newClient(t, fake, false)
	ratio, _ := review.ParseSLI("shop: req.good / req.total")
	thr, _ := review.ParseSLI("shop: p95 <= 300")
	day := 24 * time.Hour
	defs := []review.Definition{
		{Name: "availability", SLI: ratio, Objective: 0.99, Window: day},
		{Name: "latency", SLI: thr, Objective: 0.99, Window: day},
		{Name: "latency, silence is bad", SLI: thr, Objective: 0.99, Window: day, MissingAsBad: true},
	}
	p := review.Period{From: p0, To: p0.Add(2 * day)}
	rs := review.Evaluate(context.Background(), c, defs, p, fake.Now(), time.UTC)
	if len(rs) != 3 {
		t.Fatalf("%d results", len(rs))
	}
	for _, r := range rs {
		if r.Error != "" {
			t.Fatalf("%s: %s", r.Name, r.Error)
		}
	}

	// ratio: 2880 minutes, 70 without both points (10 without total, 60
	// without good) are left out: 2810 × 100 events, 120 × 100 bad.
	a := rs[0]
	if a.Minutes != 2880 || a.Missing != 70 || a.Total != 281000 || a.Good != 269000 {
		t.Errorf("availability counts: minutes %d missing %d total %v good %v", a.Minutes, a.Missing, a.Total, a.Good)
	}
	near(t, "attainment", a.Attainment, 269000.0/281000)
	if a.Met {
		t.Error("availability met at 95.7 % for 99 %")
	}
	near(t, "burn rate", a.BurnRate, (12000.0/281000)/0.01)
	// window before the period: 1440 × 100 events, 30 × 50 bad
	near(t, "budget at start", a.BudgetStart, 1-1500/(0.01*144000))
	// window of day 2: 1370 minutes counted, nothing bad
	near(t, "budget at end", a.BudgetEnd, 1)
	if a.WorstDay != "2026-10-01" {
		t.Errorf("worst day %s", a.WorstDay)
	}
	near(t, "worst day", a.WorstDayAttainment, 132000.0/144000)
	if len(a.Budget) != 3 || !a.Budget[1].At.Equal(p0.Add(day)) {
		t.Fatalf("budget chart %+v", a.Budget)
	}
	near(t, "budget after day 1", a.Budget[1].Remaining, 1-12000/(0.01*144000))

	// threshold: 30 minutes without a point are left out; 90 bad minutes
	l := rs[1]
	if l.Missing != 30 || l.Total != 2850 || l.Good != 2760 || l.Unit != "minutes" {
		t.Errorf("latency counts: missing %d total %v good %v", l.Missing, l.Total, l.Good)
	}
	near(t, "latency attainment", l.Attainment, 2760.0/2850)
	near(t, "latency budget at end", l.BudgetEnd, 1-90/(0.01*1440))
	if l.WorstDay != "2026-10-02" {
		t.Errorf("latency worst day %s", l.WorstDay)
	}
	// ... unless silence counts as bad
	near(t, "latency (missing bad)", rs[2].Attainment, 2760.0/2880)
	near(t, "budget after day 1 (missing bad)", rs[2].Budget[1].Remaining, 1-30/(0.01*1440))
}

// TestSLODemoBreach: in the seeded month the latency SLO is breached by
// the regression and the incident, the availability SLO is met.
func TestSLODemoBreach(t *testing.T) {
	end := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	fake := mackereltest.New(mackereltest.Options{Now: end})
	c := newClient(t, fake, true)
	avail, _ := review.ParseSLI("web: app.requests.success / app.requests.total")
	fast, _ := review.ParseSLI("web: app.requests.fast / app.requests.total")
	defs := []review.Definition{
		{Name: "availability", SLI: avail, Objective: 0.995, Window: 28 * 24 * time.Hour},
		{Name: "latency", SLI: fast, Objective: 0.99, Window: 28 * 24 * time.Hour},
	}
	p := review.Period{From: end.AddDate(0, 0, -30), To: end}
	rs := review.Evaluate(context.Background(), c, defs, p, fake.Now(), time.UTC)
	for _, r := range rs {
		t.Logf("%s: attainment %s met %v budget %s → %s burn %.2f worst %s (%s) missing %d",
			r.Name, review.FormatPercent(r.Attainment), r.Met, review.FormatPercent(r.BudgetStart),
			review.FormatPercent(r.BudgetEnd), float64(r.BurnRate), r.WorstDay, review.FormatPercent(r.WorstDayAttainment), r.Missing)
		if r.Error != "" {
			t.Fatalf("%s: %s", r.Name, r.Error)
		}
	}
	if !rs[0].Met || rs[1].Met {
		t.Fatalf("availability met %v, latency met %v; want met and breached", rs[0].Met, rs[1].Met)
	}
	if float64(rs[1].BudgetEnd) >= 0 || float64(rs[1].BurnRate) <= 1 {
		t.Errorf("latency budget end %v burn %v: want overspent", rs[1].BudgetEnd, rs[1].BurnRate)
	}
	incident := end.Add(-10 * 24 * time.Hour).Format(time.DateOnly)
	if rs[1].WorstDay != incident {
		t.Errorf("worst day %s, want the incident's %s", rs[1].WorstDay, incident)
	}
	b, err := json.Marshal(rs)
	if err != nil || !strings.Contains(string(b), `"met":false`) {
		t.Fatalf("json: %v %s", err, b[:200])
	}

	// offline: the same numbers from the cache, marked stale
	fake.Fail(500, -1)
	again := review.Evaluate(context.Background(), c, defs, p, fake.Now(), time.UTC)
	if again[1].Error != "" || !again[1].Stale || again[1].Attainment != rs[1].Attainment {
		t.Fatalf("offline: %+v", again[1])
	}
}

func TestParse(t *testing.T) {
	for _, bad := range []string{"", "app.requests", "web: a /", "web: p95 <= x", "web app: a / b", "web: p95 ~ 3"} {
		if _, err := review.ParseSLI(bad); err == nil {
			t.Errorf("ParseSLI(%q) accepted", bad)
		}
	}
	for _, s := range []string{"web: a.b / c.d", "web: app.latency.p95 <= 300", "web: x > 0.5"} {
		sli, err := review.ParseSLI(s)
		if err != nil || sli.String() != s {
			t.Errorf("ParseSLI(%q) = %q, %v", s, sli, err)
		}
	}
	for in, want := range map[string]float64{"99.9%": 0.999, "99.9": 0.999, "0.95": 0.95, " 95 % ": 0.95} {
		if got, err := review.ParseObjective(in); err != nil || math.Abs(got-want) > 1e-12 {
			t.Errorf("ParseObjective(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"100%", "0", "abc", "-5"} {
		if _, err := review.ParseObjective(bad); err == nil {
			t.Errorf("ParseObjective(%q) accepted", bad)
		}
	}
	if w, err := review.ParseWindow(""); err != nil || w != review.DefaultWindow {
		t.Errorf("default window %v %v", w, err)
	}
	if _, err := review.ParseWindow("0d"); err == nil {
		t.Error("0d accepted")
	}
}
