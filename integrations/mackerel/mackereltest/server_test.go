package mackereltest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"

	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

var seedEnd = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

// start serves a seeded fake over real HTTP and returns it with a real client.
func start(t *testing.T, opts mackereltest.Options) (*mackereltest.Server, *mkr.Client, *httptest.Server) {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = seedEnd
	}
	fake := mackereltest.New(opts)
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	c, err := mkr.NewClientWithOptions(fake.APIKey(), hs.URL, false)
	if err != nil {
		t.Fatal(err)
	}
	return fake, c, hs
}

func apiStatus(err error) int {
	var ae *mkr.APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

func TestOrg(t *testing.T) {
	_, c, _ := start(t, mackereltest.Options{})
	org, err := c.GetOrg()
	if err != nil {
		t.Fatal(err)
	}
	if org.Name != mackereltest.OrgName {
		t.Errorf("org = %q", org.Name)
	}
}

func TestBadKey(t *testing.T) {
	_, _, hs := start(t, mackereltest.Options{ReadOnlyKey: "ro"})
	bad, _ := mkr.NewClientWithOptions("wrong", hs.URL, false)
	if _, err := bad.FindServices(); apiStatus(err) != http.StatusUnauthorized {
		t.Fatalf("wrong key: err = %v, want 401", err)
	}
	none, _ := mkr.NewClientWithOptions("", hs.URL, false)
	if _, err := none.FindServices(); apiStatus(err) != http.StatusUnauthorized {
		t.Fatalf("no key: err = %v, want 401", err)
	}
	ro, _ := mkr.NewClientWithOptions("ro", hs.URL, false)
	ms, err := ro.FindMonitors()
	if err != nil {
		t.Fatalf("read-only key GET: %v", err)
	}
	if _, err := ro.DeleteMonitor(ms[0].MonitorID()); apiStatus(err) != http.StatusForbidden {
		t.Fatalf("read-only key DELETE: err = %v, want 403", err)
	}
}

func TestAlertsPaging(t *testing.T) {
	fake, c, hs := start(t, mackereltest.Options{Empty: true})
	const n = 250
	base := seedEnd.Add(-time.Hour).Unix()
	for i := range n {
		a := mkr.Alert{Status: "OK", MonitorID: "m1", Type: "host", OpenedAt: base - int64(i)*60, ClosedAt: base - int64(i)*60 + 30}
		if i%50 == 0 {
			a.Status, a.ClosedAt = "WARNING", 0
		}
		fake.AddAlert(a)
	}
	resp, err := c.FindWithClosedAlerts()
	if err != nil {
		t.Fatal(err)
	}
	pages, seen, last := 1, map[string]bool{}, int64(1<<62)
	for {
		if len(resp.Alerts) > 100 {
			t.Fatalf("page of %d alerts", len(resp.Alerts))
		}
		for _, a := range resp.Alerts {
			if seen[a.ID] {
				t.Fatalf("alert %s on two pages", a.ID)
			}
			seen[a.ID] = true
			if a.OpenedAt > last {
				t.Fatalf("alerts not newest first")
			}
			last = a.OpenedAt
		}
		if resp.NextID == "" {
			break
		}
		if len(resp.Alerts) != 100 {
			t.Fatalf("short page %d with a nextId", len(resp.Alerts))
		}
		if resp, err = c.FindWithClosedAlertsByNextID(resp.NextID); err != nil {
			t.Fatal(err)
		}
		pages++
	}
	if len(seen) != n || pages != 3 {
		t.Fatalf("got %d alerts on %d pages, want %d on 3", len(seen), pages, n)
	}
	open, err := c.FindAlerts()
	if err != nil {
		t.Fatal(err)
	}
	if len(open.Alerts) != n/50 || open.NextID != "" {
		t.Fatalf("open alerts = %d (nextId %q), want %d", len(open.Alerts), open.NextID, n/50)
	}
	if _, err := c.FindWithClosedAlertsByNextID("nonexistent"); apiStatus(err) != http.StatusBadRequest {
		t.Fatalf("unknown nextId: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, hs.URL+"/api/v0/alerts?limit=101", nil)
	req.Header.Set("X-Api-Key", fake.APIKey())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("limit=101: %d", res.StatusCode)
	}
}

func allAlerts(t *testing.T, c *mkr.Client) []*mkr.Alert {
	t.Helper()
	var out []*mkr.Alert
	resp, err := c.FindWithClosedAlerts()
	for {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, resp.Alerts...)
		if resp.NextID == "" {
			return out
		}
		resp, err = c.FindWithClosedAlertsByNextID(resp.NextID)
	}
}

func TestSeededAlerts(t *testing.T) {
	_, c, _ := start(t, mackereltest.Options{})
	ms, err := c.FindMonitors()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, m := range ms {
		byName[m.MonitorName()] = m.MonitorID()
	}
	alerts := allAlerts(t, c)
	if len(alerts) <= 100 {
		t.Fatalf("seed has %d alerts; want more than one page", len(alerts))
	}
	days := map[string]bool{}
	monitors := map[string]bool{}
	open := 0
	for _, a := range alerts {
		monitors[a.MonitorID] = true
		if a.MonitorID == byName[mackereltest.NoisyMonitorName] {
			days[time.Unix(a.OpenedAt, 0).UTC().Format(time.DateOnly)] = true
		}
		if a.Status != "OK" {
			open++
		}
		if a.OpenedAt < seedEnd.Add(-31*24*time.Hour).Unix() || a.OpenedAt > seedEnd.Unix() {
			t.Errorf("alert %s opened outside the month", a.ID)
		}
	}
	if len(days) < 28 {
		t.Errorf("noisy monitor fired on %d days, want every day", len(days))
	}
	if len(monitors) < 6 {
		t.Errorf("alerts from %d monitors", len(monitors))
	}
	if open == 0 {
		t.Errorf("no open alert in the seed")
	}
}

func TestCloseAlert(t *testing.T) {
	_, c, _ := start(t, mackereltest.Options{})
	open, err := c.FindAlerts()
	if err != nil || len(open.Alerts) == 0 {
		t.Fatalf("open alerts: %v %v", open, err)
	}
	id := open.Alerts[0].ID
	a, err := c.CloseAlert(id, "known noise, discussed at the PWG")
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != "OK" || a.Reason != "known noise, discussed at the PWG" || a.ClosedAt == 0 {
		t.Fatalf("closed alert = %+v", a)
	}
	got, err := c.GetAlert(id)
	if err != nil || got.Status != "OK" {
		t.Fatalf("get after close: %+v %v", got, err)
	}
	if _, err := c.CloseAlert("nope", "x"); apiStatus(err) != http.StatusNotFound {
		t.Fatalf("close unknown: %v", err)
	}
}

func TestMonitors(t *testing.T) {
	_, c, _ := start(t, mackereltest.Options{})
	ms, err := c.FindMonitors()
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	var cpu *mkr.MonitorHostMetric
	for _, m := range ms {
		types[m.MonitorType()] = true
		if m.MonitorName() == mackereltest.CPUMonitorName {
			cpu = m.(*mkr.MonitorHostMetric)
		}
	}
	for _, ty := range []string{"connectivity", "host", "service", "external", "expression", "anomalyDetection"} {
		if !types[ty] {
			t.Errorf("no %s monitor", ty)
		}
	}
	if cpu == nil {
		t.Fatal("no CPU monitor")
	}
	got, err := c.GetMonitor(cpu.ID)
	if err != nil {
		t.Fatal(err)
	}
	hm := got.(*mkr.MonitorHostMetric)
	if *hm.Warning != 70 || *hm.Critical != 85 || hm.Duration != 5 {
		t.Fatalf("cpu monitor = %+v", hm)
	}
	hm.Warning, hm.Duration = mkr.ToPtr(75.0), 10
	if _, err := c.UpdateMonitor(hm.ID, hm); err != nil {
		t.Fatal(err)
	}
	got, _ = c.GetMonitor(cpu.ID)
	if hm := got.(*mkr.MonitorHostMetric); *hm.Warning != 75 || hm.Duration != 10 || *hm.Critical != 85 {
		t.Fatalf("after update = %+v", hm)
	}
	bad := *hm
	bad.Duration = 0
	if _, err := c.UpdateMonitor(hm.ID, &bad); apiStatus(err) != http.StatusBadRequest {
		t.Fatalf("duration 0: %v", err)
	}
	bad = *hm
	bad.Warning, bad.Critical = nil, nil
	if _, err := c.UpdateMonitor(hm.ID, &bad); apiStatus(err) != http.StatusBadRequest {
		t.Fatalf("no thresholds: %v", err)
	}
	if _, err := c.UpdateMonitor(hm.ID, &mkr.MonitorServiceMetric{Type: "service", Name: "x"}); apiStatus(err) != http.StatusBadRequest {
		t.Fatalf("type change: %v", err)
	}
	del, err := c.DeleteMonitor(hm.ID)
	if err != nil || del.MonitorName() != mackereltest.CPUMonitorName {
		t.Fatalf("delete: %v %v", del, err)
	}
	if _, err := c.GetMonitor(hm.ID); apiStatus(err) != http.StatusNotFound {
		t.Fatalf("get deleted: %v", err)
	}
	if _, err := c.DeleteMonitor(hm.ID); apiStatus(err) != http.StatusNotFound {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestDashboards(t *testing.T) {
	_, c, _ := start(t, mackereltest.Options{})
	ds, err := c.FindDashboards()
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, d := range ds {
		if len(d.Widgets) != 0 {
			t.Errorf("list carries widgets")
		}
		if d.Title == mackereltest.PWGDashboard {
			id = d.ID
		}
	}
	if id == "" {
		t.Fatal("no PWG dashboard")
	}
	d, err := c.FindDashboard(id)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, w := range d.Widgets {
		kinds[w.Type]++
		if w.Type == "graph" {
			kinds["graph/"+w.Graph.Type]++
		}
		if w.Layout.X < 0 || w.Layout.Width < 1 || w.Layout.X+w.Layout.Width > 24 {
			t.Errorf("widget %q outside the 24-column grid: %+v", w.Title, w.Layout)
		}
	}
	for _, k := range []string{"graph", "value", "markdown", "graph/service", "graph/role", "graph/host", "graph/expression", "graph/query"} {
		if kinds[k] == 0 {
			t.Errorf("PWG dashboard has no %s widget", k)
		}
	}
	if _, err := c.FindDashboard("nope"); apiStatus(err) != http.StatusNotFound {
		t.Fatalf("unknown dashboard: %v", err)
	}
}

func TestInventory(t *testing.T) {
	_, c, _ := start(t, mackereltest.Options{})
	svcs, err := c.FindServices()
	if err != nil || len(svcs) != 1 || svcs[0].Name != mackereltest.ServiceName {
		t.Fatalf("services: %v %v", svcs, err)
	}
	roles, err := c.FindRoles(mackereltest.ServiceName)
	if err != nil || len(roles) != 3 {
		t.Fatalf("roles: %v %v", roles, err)
	}
	if _, err := c.FindRoles("nope"); apiStatus(err) != http.StatusNotFound {
		t.Fatalf("roles of unknown service: %v", err)
	}
	hosts, err := c.FindHosts(&mkr.FindHostsParam{Service: mackereltest.ServiceName, Roles: []string{"app"}})
	if err != nil || len(hosts) != 3 {
		t.Fatalf("app hosts: %d %v", len(hosts), err)
	}
	all, _ := c.FindHosts(&mkr.FindHostsParam{})
	if len(all) != 6 {
		t.Fatalf("all hosts: %d", len(all))
	}
	h, err := c.FindHost(hosts[0].ID)
	if err != nil || h.Name != hosts[0].Name {
		t.Fatalf("host: %v %v", h, err)
	}
	names, err := c.ListHostMetricNames(h.ID)
	if err != nil || len(names) < 3 {
		t.Fatalf("host metric names: %v %v", names, err)
	}
	snames, err := c.ListServiceMetricNames(mackereltest.ServiceName)
	if err != nil || len(snames) < 4 {
		t.Fatalf("service metric names: %v %v", snames, err)
	}
	if _, err := c.FindHost("nope"); apiStatus(err) != http.StatusNotFound {
		t.Fatalf("unknown host: %v", err)
	}
}

func mean(vs []mkr.MetricValue, from, to int64) float64 {
	sum, n := 0.0, 0
	for _, v := range vs {
		if v.Time >= from && v.Time < to {
			sum += v.Value.(float64)
			n++
		}
	}
	return sum / float64(n)
}

func TestMetrics(t *testing.T) {
	fake, c, _ := start(t, mackereltest.Options{})
	to := fake.SeedEnd().Unix()
	from := to - 30*86400
	vs, err := c.FetchServiceMetricValues(mackereltest.ServiceName, "app.latency.p95", from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) < 700 || len(vs) > 722 {
		t.Fatalf("30 days of p95: %d points, want hourly", len(vs))
	}
	// the regression: v2.14.0 deployed 18 days before the end, fixed 6 days before
	before := mean(vs, to-25*86400, to-19*86400)
	during := mean(vs, to-17*86400, to-11*86400)
	after := mean(vs, to-5*86400, to-1*86400)
	if during < before*1.4 || after > during*0.8 {
		t.Fatalf("p95 before %.0f, during %.0f, after %.0f: no regression", before, during, after)
	}
	day, err := c.FetchServiceMetricValues(mackereltest.ServiceName, "app.latency.p95", to-86400, to)
	if err != nil || len(day) < 1400 {
		t.Fatalf("1 day: %d points %v, want per minute", len(day), err)
	}
	cost, err := c.FetchServiceMetricValues(mackereltest.ServiceName, "cost.daily.usd", to-7*86400, to)
	if err != nil || len(cost) != 7 {
		t.Fatalf("7 days of cost: %d points %v", len(cost), err)
	}
	hosts, _ := c.FindHosts(&mkr.FindHostsParam{Service: mackereltest.ServiceName, Roles: []string{"app"}})
	hv, err := c.FetchHostMetricValues(hosts[0].ID, "cpu.user.percentage", from, to)
	if err != nil || len(hv) < 700 {
		t.Fatalf("host metric: %d %v", len(hv), err)
	}
	latest, err := c.FetchLatestMetricValues([]string{hosts[0].ID}, []string{"loadavg5"})
	if err != nil || latest[hosts[0].ID]["loadavg5"] == nil {
		t.Fatalf("latest: %v %v", latest, err)
	}
	none, err := c.FetchHostMetricValues(hosts[0].ID, "no.such.metric", from, to)
	if err != nil || len(none) != 0 {
		t.Fatalf("unknown metric: %v %v", none, err)
	}
	if _, err := c.FetchHostMetricValues(hosts[0].ID, "loadavg5", to, from); apiStatus(err) != http.StatusBadRequest {
		t.Fatalf("from > to: %v", err)
	}
	if _, err := c.FetchServiceMetricValues("nope", "x", from, to); apiStatus(err) != http.StatusNotFound {
		t.Fatalf("unknown service: %v", err)
	}
}

func TestAnnotations(t *testing.T) {
	fake, c, _ := start(t, mackereltest.Options{})
	to := fake.SeedEnd().Unix()
	from := to - 30*86400
	list, err := c.FindGraphAnnotations(mackereltest.ServiceName, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 5 {
		t.Fatalf("%d annotations in the month, want 5", len(list))
	}
	created, err := c.CreateGraphAnnotation(&mkr.GraphAnnotation{
		Title: "PWG: threshold review", Description: "from pwg", From: to - 3600, To: to - 1800,
		Service: mackereltest.ServiceName, Roles: []string{"app"},
	})
	if err != nil || created.ID == "" {
		t.Fatalf("create: %v %v", created, err)
	}
	recent, _ := c.FindGraphAnnotations(mackereltest.ServiceName, to-7200, to)
	found := false
	for _, a := range recent {
		found = found || a.ID == created.ID
	}
	if !found {
		t.Fatal("created annotation not found in its period")
	}
	created.Title = "PWG: threshold review (edited)"
	upd, err := c.UpdateGraphAnnotation(created.ID, created)
	if err != nil || upd.Title != created.Title {
		t.Fatalf("update: %v %v", upd, err)
	}
	if _, err := c.DeleteGraphAnnotation(created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteGraphAnnotation(created.ID); apiStatus(err) != http.StatusNotFound {
		t.Fatalf("delete twice: %v", err)
	}
	for name, a := range map[string]*mkr.GraphAnnotation{
		"long title": {Title: strings.Repeat("あ", 251), From: to - 10, To: to, Service: mackereltest.ServiceName},
		"from > to":  {Title: "x", From: to, To: to - 10, Service: mackereltest.ServiceName},
		"no service": {Title: "x", From: to - 10, To: to},
	} {
		if _, err := c.CreateGraphAnnotation(a); apiStatus(err) != http.StatusBadRequest {
			t.Errorf("%s: %v, want 400", name, err)
		}
	}
	if _, err := c.CreateGraphAnnotation(&mkr.GraphAnnotation{Title: "x", From: to - 10, To: to,
		Service: mackereltest.ServiceName, Roles: []string{"nope"}}); apiStatus(err) != http.StatusNotFound {
		t.Errorf("unknown role: %v", err)
	}
}

func TestFaults(t *testing.T) {
	fake, c, _ := start(t, mackereltest.Options{})
	fake.Fail(http.StatusTooManyRequests, 2)
	for i := range 2 {
		if _, err := c.FindServices(); apiStatus(err) != http.StatusTooManyRequests {
			t.Fatalf("request %d: %v, want 429", i, err)
		}
	}
	if _, err := c.FindServices(); err != nil {
		t.Fatalf("after the 429s: %v", err)
	}
	fake.Fail(http.StatusInternalServerError, -1)
	for i := range 3 {
		if _, err := c.FindDashboards(); apiStatus(err) != http.StatusInternalServerError {
			t.Fatalf("request %d: %v, want 500", i, err)
		}
	}
	fake.Fail(0, 0)
	if _, err := c.FindDashboards(); err != nil {
		t.Fatalf("after clearing: %v", err)
	}

	fake.SetLatency(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.FindServicesContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow server: %v, want deadline exceeded", err)
	}
	fake.SetLatency(0)
	if n := len(fake.Requests()); n != 8 {
		t.Fatalf("request log has %d entries", n)
	}
}

func TestStartDemo(t *testing.T) {
	base, key, stop, err := mackereltest.StartDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("base %q", base)
	}
	c, _ := mkr.NewClientWithOptions(key, base, false)
	if _, err := c.GetOrg(); err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := c.GetOrg(); err == nil {
		t.Fatal("demo server still answers after stop")
	}
}
