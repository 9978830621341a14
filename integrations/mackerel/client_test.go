package mackerel_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

var seedEnd = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

type env struct {
	fake *mackereltest.Server
	hs   *httptest.Server
	db   *sql.DB
	c    *mackerel.Client
	ctx  context.Context
}

func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "ws.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // as the workspace does
	t.Cleanup(func() { db.Close() })
	return db
}

func newEnv(t testing.TB, opts mackereltest.Options) *env {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = seedEnd
	}
	e := &env{fake: mackereltest.New(opts), db: openDB(t), ctx: context.Background()}
	e.hs = httptest.NewServer(e.fake)
	t.Cleanup(e.hs.Close)
	e.c = e.client(t, e.fake.APIKey())
	return e
}

func (e *env) client(t testing.TB, key string) *mackerel.Client {
	t.Helper()
	return e.clientWith(t, func(c mackerel.Config) mackerel.Config { c.APIKey = key; return c })
}

// clientWith returns a client of the fake with the test config changed by edit.
func (e *env) clientWith(t testing.TB, edit func(mackerel.Config) mackerel.Config) *mackerel.Client {
	t.Helper()
	c, err := mackerel.New(edit(mackerel.Config{APIKey: e.fake.APIKey(), BaseURL: e.hs.URL, Org: mackereltest.OrgName, DB: e.db,
		Retry: mackerel.RetryPolicy{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond},
		Now:   e.fake.Now}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) period() (time.Time, time.Time) {
	return seedEnd.Add(-30 * 24 * time.Hour), seedEnd
}

func count(reqs []string, prefix string) int {
	n := 0
	for _, r := range reqs {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

func TestNewNeedsKey(t *testing.T) {
	if _, err := mackerel.New(mackerel.Config{APIKey: "  "}); !errors.Is(err, mackerel.ErrNoAPIKey) {
		t.Fatalf("err = %v", err)
	}
}

func TestAlertsOfPeriodFollowsPages(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	from, to := e.period()
	pages := 0
	res, err := e.c.AlertsOfPeriod(e.ctx, from, to, func(int) { pages++ })
	if err != nil {
		t.Fatal(err)
	}
	if res.Stale || len(res.Value) <= 100 {
		t.Fatalf("stale=%v, %d alerts; want the whole month (more than a page)", res.Stale, len(res.Value))
	}
	if pages != 2 || count(e.fake.Requests(), "GET /api/v0/alerts") != 3 {
		t.Fatalf("pages %d, requests %v", pages, e.fake.Requests())
	}
	for i, a := range res.Value {
		if a.OpenedAt.Before(from) && !a.Open() {
			t.Errorf("alert %s opened before the period", a.ID)
		}
		if i > 0 && a.OpenedAt.After(res.Value[i-1].OpenedAt) {
			t.Fatalf("not newest first")
		}
	}

	// a week fits in the first page: no second page is read
	e2 := newEnv(t, mackereltest.Options{})
	week, err := e2.c.AlertsOfPeriod(e2.ctx, to.Add(-7*24*time.Hour), to, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(e2.fake.Requests(), "GET /api/v0/alerts"); n != 2 {
		t.Fatalf("a week took %d alert requests, want 1 page + open alerts", n)
	}
	if len(week.Value) == 0 || len(week.Value) >= len(res.Value) {
		t.Fatalf("week has %d alerts, month %d", len(week.Value), len(res.Value))
	}
}

func TestGroupAlerts(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	from, to := e.period()
	alerts, err := e.c.AlertsOfPeriod(e.ctx, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	mons, err := e.c.Monitors(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	groups := mackerel.GroupAlerts(alerts.Value, mons.Value)
	if len(groups) != 7 {
		t.Fatalf("%d groups", len(groups))
	}
	noisy := groups[0]
	if noisy.MonitorName != mackereltest.NoisyMonitorName || noisy.Count < 56 || noisy.Open != 0 || noisy.Closed != noisy.Count {
		t.Fatalf("first group = %s count %d open %d closed %d", noisy.MonitorName, noisy.Count, noisy.Open, noisy.Closed)
	}
	if noisy.Last.Sub(noisy.First) < 27*24*time.Hour {
		t.Fatalf("noisy monitor first %v last %v", noisy.First, noisy.Last)
	}
	total, open := 0, 0
	for i, g := range groups {
		total += g.Count
		open += g.Open
		if g.Count != len(g.Alerts) || g.Open+g.Closed != g.Count {
			t.Errorf("group %s counts inconsistent", g.MonitorName)
		}
		if i > 0 && g.Count > groups[i-1].Count {
			t.Errorf("groups not sorted by count")
		}
	}
	if total != len(alerts.Value) || open != 1 {
		t.Fatalf("total %d of %d, open %d", total, len(alerts.Value), open)
	}
	// a deleted monitor keeps its alerts under a placeholder name
	g := mackerel.GroupAlerts(alerts.Value[:1], nil)
	if !strings.Contains(g[0].MonitorName, "deleted monitor") || g[0].Monitor != nil {
		t.Fatalf("unknown monitor group = %+v", g[0])
	}
}

func TestRetryThenSuccess(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	e.fake.Fail(http.StatusTooManyRequests, 2)
	res, err := e.c.Services(e.ctx)
	if err != nil || res.Stale || len(res.Value) != 1 {
		t.Fatalf("services after two 429s: %+v %v", res, err)
	}
	if n := count(e.fake.Requests(), "GET /api/v0/services"); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
}

func TestStaleOnOutage(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError} {
		e := newEnv(t, mackereltest.Options{})
		fresh, err := e.c.Monitors(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		e.fake.Fail(status, -1)
		before := len(e.fake.Requests())
		res, err := e.c.Monitors(e.ctx)
		if err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		if got := len(e.fake.Requests()) - before; got != 3 {
			t.Fatalf("%d: %d tries, want 3", status, got)
		}
		if !res.Stale || len(res.Value) != len(fresh.Value) || !res.FetchedAt.Equal(fresh.FetchedAt.Truncate(time.Second)) {
			t.Fatalf("%d: stale=%v len %d fetched %v (fresh %v)", status, res.Stale, len(res.Value), res.FetchedAt, fresh.FetchedAt)
		}
		want := mackerel.ErrUnavailable
		if status == http.StatusTooManyRequests {
			want = mackerel.ErrRateLimited
		}
		if !errors.Is(res.Cause, want) {
			t.Fatalf("%d: cause %v", status, res.Cause)
		}
		if note := res.StaleNote(e.fake.Now()); !strings.Contains(note, "Offline view") {
			t.Fatalf("note %q", note)
		}
		// the alerts of the period are cached per alert
		from, to := e.period()
		e.fake.Fail(0, 0)
		live, err := e.c.AlertsOfPeriod(e.ctx, from, to, nil)
		if err != nil {
			t.Fatal(err)
		}
		e.fake.Fail(status, -1)
		cached, err := e.c.AlertsOfPeriod(e.ctx, from, to, nil)
		if err != nil || !cached.Stale || len(cached.Value) != len(live.Value) {
			t.Fatalf("%d: cached alerts stale=%v %d of %d: %v", status, cached.Stale, len(cached.Value), len(live.Value), err)
		}
	}
}

func TestNothingCached(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	e.fake.Fail(http.StatusServiceUnavailable, -1)
	_, err := e.c.Dashboards(e.ctx)
	if !errors.Is(err, mackerel.ErrNotCached) || !errors.Is(err, mackerel.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	from, to := e.period()
	if _, err := e.c.AlertsOfPeriod(e.ctx, from, to, nil); !errors.Is(err, mackerel.ErrNotCached) {
		t.Fatalf("alerts err = %v", err)
	}
}

func TestOfflineServerGone(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	if _, err := e.c.Services(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.hs.Close()
	res, err := e.c.Services(e.ctx)
	if err != nil || !res.Stale || !errors.Is(res.Cause, mackerel.ErrUnavailable) {
		t.Fatalf("after the server went away: %+v %v", res, err)
	}
}

func TestBadKey(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	bad := e.client(t, "wrong key")
	_, err := bad.Monitors(e.ctx)
	if !errors.Is(err, mackerel.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if n := count(e.fake.Requests(), "GET /api/v0/monitors"); n != 1 {
		t.Fatalf("401 retried: %d requests", n)
	}
}

func TestUpdateThresholds(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReadOnlyKey: "ro"})
	mons, _ := e.c.Monitors(e.ctx)
	var cpu mackerel.Monitor
	for _, m := range mons.Value {
		if m.Name == mackereltest.CPUMonitorName {
			cpu = m
		}
	}
	w, d := 75.0, uint64(10)
	before, after, err := e.c.UpdateThresholds(e.ctx, cpu.ID, mackerel.ThresholdChange{Warning: &w, Duration: &d})
	if err != nil {
		t.Fatal(err)
	}
	if before.ThresholdText() != "> warning 70 / critical 85, duration 5" ||
		after.ThresholdText() != "> warning 75 / critical 85, duration 10" {
		t.Fatalf("before %q after %q", before.ThresholdText(), after.ThresholdText())
	}
	// the change is in Mackerel and in the cached list
	got, err := e.c.Monitor(e.ctx, cpu.ID)
	if err != nil || *got.Value.Warning != 75 {
		t.Fatalf("monitor after update: %+v %v", got.Value, err)
	}
	e.fake.Fail(http.StatusInternalServerError, -1)
	cached, _ := e.c.Monitors(e.ctx)
	for _, m := range cached.Value {
		if m.ID == cpu.ID && *m.Warning != 75 {
			t.Fatalf("cached monitor not updated: %+v", m)
		}
	}
	e.fake.Fail(0, 0)

	ro := e.client(t, "ro")
	w2 := 60.0
	if _, _, err := ro.UpdateThresholds(e.ctx, cpu.ID, mackerel.ThresholdChange{Warning: &w2}); !errors.Is(err, mackerel.ErrForbidden) {
		t.Fatalf("read-only key: %v", err)
	}
	zero := uint64(0)
	if _, _, err := e.c.UpdateThresholds(e.ctx, cpu.ID, mackerel.ThresholdChange{Duration: &zero}); !errors.Is(err, mackerel.ErrRejected) {
		t.Fatalf("duration 0: %v", err)
	}
	got, _ = e.c.Monitor(e.ctx, cpu.ID)
	if *got.Value.Warning != 75 || got.Value.Duration != 10 {
		t.Fatalf("a failed write changed the monitor: %+v", got.Value)
	}
	for _, m := range mons.Value {
		if m.Type == "connectivity" {
			if _, _, err := e.c.UpdateThresholds(e.ctx, m.ID, mackerel.ThresholdChange{Warning: &w}); !errors.Is(err, mackerel.ErrUnsupported) {
				t.Fatalf("connectivity: %v", err)
			}
		}
		if m.Type == "external" {
			_, after, err := e.c.UpdateThresholds(e.ctx, m.ID, mackerel.ThresholdChange{Critical: &w, ClearWarning: true})
			if err != nil || after.Warning != nil || *after.Critical != 75 {
				t.Fatalf("external: %+v %v", after, err)
			}
		}
	}
}

func TestDeleteMonitorAndCloseAlert(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	mons, _ := e.c.Monitors(e.ctx)
	victim := mons.Value[0]
	del, err := e.c.DeleteMonitor(e.ctx, victim.ID)
	if err != nil || del.Name != victim.Name {
		t.Fatalf("delete: %+v %v", del, err)
	}
	if _, err := e.c.DeleteMonitor(e.ctx, victim.ID); !errors.Is(err, mackerel.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
	after, _ := e.c.Monitors(e.ctx)
	if len(after.Value) != len(mons.Value)-1 {
		t.Fatalf("%d monitors after delete", len(after.Value))
	}

	from, to := e.period()
	alerts, _ := e.c.AlertsOfPeriod(e.ctx, from, to, nil)
	var open mackerel.Alert
	for _, a := range alerts.Value {
		if a.Open() {
			open = a
		}
	}
	if _, err := e.c.CloseAlert(e.ctx, open.ID, " "); !errors.Is(err, mackerel.ErrRejected) {
		t.Fatalf("empty reason: %v", err)
	}
	closed, err := e.c.CloseAlert(e.ctx, open.ID, "noise: agreed at the PWG")
	if err != nil || closed.Open() || closed.Reason != "noise: agreed at the PWG" || closed.ClosedAt.IsZero() {
		t.Fatalf("close: %+v %v", closed, err)
	}
}

func TestGraphs(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	dl, err := e.c.Dashboards(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	pwg, ok := mackerel.DashboardByTitle(dl.Value, mackereltest.PWGDashboard)
	if !ok {
		t.Fatal("no PWG dashboard")
	}
	d, err := e.c.Dashboard(e.ctx, pwg.ID)
	if err != nil {
		t.Fatal(err)
	}
	from, to := e.period()
	byTitle := map[string]mackerel.Widget{}
	for _, w := range d.Value.Widgets {
		byTitle[w.Title] = w
	}
	lat, err := e.c.Graph(e.ctx, byTitle["p50 / p95 latency (ms)"].Graph, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(lat.Value.Series) != 2 || lat.Value.Series[1].Label != "app.latency.p95" || len(lat.Value.Series[1].Points) < 700 {
		t.Fatalf("latency graph: %d series", len(lat.Value.Series))
	}
	if len(lat.Value.Annotations) != 5 {
		t.Fatalf("latency graph has %d annotations", len(lat.Value.Annotations))
	}
	cpu, err := e.c.Graph(e.ctx, byTitle["app CPU user %"].Graph, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(cpu.Value.Series) != 3 || cpu.Value.Series[0].Label != "app-01" || len(cpu.Value.Annotations) != 5 {
		t.Fatalf("role graph: %+v series, %d annotations", len(cpu.Value.Series), len(cpu.Value.Annotations))
	}
	host, err := e.c.Graph(e.ctx, byTitle["db-01 loadavg5"].Graph, from, to)
	if err != nil || len(host.Value.Series) != 1 || len(host.Value.Annotations) != 0 {
		t.Fatalf("host graph: %+v %v", host.Value.Series, err)
	}
	if _, err := e.c.Graph(e.ctx, byTitle["app loadavg5 (expression)"].Graph, from, to); !errors.Is(err, mackerel.ErrUnsupported) {
		t.Fatalf("expression graph: %v", err)
	}
	v, err := e.c.LatestValue(e.ctx, byTitle["p95 latency now"].Metric)
	if err != nil || !v.Value.Known || v.Value.Value <= 0 {
		t.Fatalf("service value: %+v %v", v, err)
	}
	hv, err := e.c.LatestValue(e.ctx, byTitle["db-01 loadavg5 now"].Metric)
	if err != nil || !hv.Value.Known {
		t.Fatalf("host value: %+v %v", hv, err)
	}
	// offline: the graph comes from the cache
	e.fake.Fail(http.StatusInternalServerError, -1)
	stale, err := e.c.Graph(e.ctx, byTitle["app CPU user %"].Graph, from, to)
	if err != nil || !stale.Stale || len(stale.Value.Series) != 3 {
		t.Fatalf("cached graph: %v %v", stale.Stale, err)
	}
	links := e.c.Links(mackereltest.OrgName)
	if got := links.Graph(byTitle["app CPU user %"].Graph, d.Value.URLPath); got != "https://mackerel.io/orgs/pwg-demo/services/web/app" {
		t.Fatalf("role link %s", got)
	}
}

func TestAnnotationsCRUD(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	from, to := e.period()
	a := mackerel.Annotation{Title: "PWG: CPU threshold raised", Description: "decided at the November PWG",
		From: to.Add(-time.Hour), To: to.Add(-time.Hour), Service: mackereltest.ServiceName, Roles: []string{"app"}}
	created, err := e.c.CreateAnnotation(e.ctx, a)
	if err != nil || created.ID == "" {
		t.Fatalf("create: %+v %v", created, err)
	}
	list, err := e.c.Annotations(e.ctx, mackereltest.ServiceName, from, to)
	if err != nil || len(list.Value) != 6 {
		t.Fatalf("list: %d %v", len(list.Value), err)
	}
	created.Title = "PWG: CPU threshold raised to 75"
	if upd, err := e.c.UpdateAnnotation(e.ctx, created); err != nil || upd.Title != created.Title {
		t.Fatalf("update: %+v %v", upd, err)
	}
	if _, err := e.c.DeleteAnnotation(e.ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	bad := a
	bad.From, bad.To = to, from
	if _, err := e.c.CreateAnnotation(e.ctx, bad); !errors.Is(err, mackerel.ErrRejected) {
		t.Fatalf("ends before start: %v", err)
	}
	// a 500 on create is not retried: the annotation may exist already
	e.fake.Fail(http.StatusInternalServerError, 1)
	before := len(e.fake.Requests())
	if _, err := e.c.CreateAnnotation(e.ctx, a); !errors.Is(err, mackerel.ErrUnavailable) {
		t.Fatalf("create during outage: %v", err)
	}
	if n := len(e.fake.Requests()) - before; n != 1 {
		t.Fatalf("create retried %d times", n)
	}
}

type memSecrets map[string]string

var errMissing = errors.New("missing")

func (m memSecrets) Get(n string) (string, error) {
	v, ok := m[n]
	if !ok {
		return "", errMissing
	}
	return v, nil
}
func (m memSecrets) Set(n, v string) error { m[n] = v; return nil }

func TestCredentials(t *testing.T) {
	s := memSecrets{}
	notFound := func(err error) bool { return errors.Is(err, errMissing) }
	if _, err := mackerel.LoadCredentials(s, notFound); !errors.Is(err, mackerel.ErrNoAPIKey) {
		t.Fatalf("empty store: %v", err)
	}
	if err := mackerel.SaveCredentials(s, mackerel.Credentials{APIKey: " secret-key ", Org: "pwg-demo"}); err != nil {
		t.Fatal(err)
	}
	c, err := mackerel.LoadCredentials(s, notFound)
	if err != nil || c.APIKey != "secret-key" || c.Org != "pwg-demo" {
		t.Fatalf("load: %+v %v", c, err)
	}
	if strings.Contains(c.String(), "secret-key") {
		t.Fatal("String shows the key")
	}
}

func TestOfflineSwitch(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	from, to := e.period()
	if _, err := e.c.AlertsOfPeriod(e.ctx, from, to, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.Services(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.c.SetOffline(true)
	before := len(e.fake.Requests())
	s, err := e.c.Services(e.ctx)
	if err != nil || !s.Stale || !errors.Is(s.Cause, mackerel.ErrOffline) {
		t.Fatalf("offline services: %+v %v", s, err)
	}
	a, err := e.c.AlertsOfPeriod(e.ctx, from, to, nil)
	if err != nil || !a.Stale || len(a.Value) == 0 {
		t.Fatalf("offline alerts: %v %v", a.Stale, err)
	}
	if _, err := e.c.DeleteMonitor(e.ctx, "x"); !errors.Is(err, mackerel.ErrOffline) {
		t.Fatalf("offline write: %v", err)
	}
	if n := len(e.fake.Requests()) - before; n != 0 {
		t.Fatalf("%d requests while offline", n)
	}
}
