package mackereltest

import (
	"encoding/json"
	"fmt"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Names of the seeded team, for tests and the demo.
const (
	OrgName          = "pwg-demo"
	ServiceName      = "web"
	PWGDashboard     = "PWG"
	NoisyMonitorName = "batch disk writes"
	CPUMonitorName   = "app CPU user %"
)

// seed fills s with the demo team. Called from New, before serving.
func seed(s *Server) {
	sc := newScenario(s.now)
	s.org = mkr.Org{Name: OrgName, DisplayName: "PWG demo team"}
	s.services = []*mkr.Service{
		{Name: ServiceName, Memo: "EC site (storefront and API)", Roles: []string{"app", "batch", "db"}},
	}
	s.roles[ServiceName] = []*mkr.Role{
		{Name: "app", Memo: "application servers"},
		{Name: "batch", Memo: "nightly batch"},
		{Name: "db", Memo: "MySQL primary"},
	}
	addHost := func(name, role, ip string) string {
		id := makeID("host/" + name)
		s.hosts = append(s.hosts, &mkr.Host{
			ID: id, Name: name, Status: mkr.HostStatusWorking,
			Roles:      mkr.Roles{ServiceName: {role}},
			CreatedAt:  int32(sc.start.Add(-200 * 24 * time.Hour).Unix()),
			Meta:       mkr.HostMeta{AgentName: "mackerel-agent/0.84.0", AgentVersion: "0.84.0"},
			Interfaces: []mkr.Interface{{Name: "eth0", IPAddress: ip, IPv4Addresses: []string{ip}}},
		})
		return id
	}
	app := []string{
		addHost("app-01", "app", "10.0.1.11"),
		addHost("app-02", "app", "10.0.1.12"),
		addHost("app-03", "app", "10.0.1.13"),
	}
	db := addHost("db-01", "db", "10.0.2.21")
	batch := []string{
		addHost("batch-01", "batch", "10.0.3.31"),
		addHost("batch-02", "batch", "10.0.3.32"),
	}
	sc.seedMetrics(s.model, app, db, batch)

	f := func(v float64) *float64 { return &v }
	u := func(v uint64) *uint64 { return &v }
	code := 200
	mon := map[string]mkr.Monitor{
		"conn": &mkr.MonitorConnectivity{Type: "connectivity", Name: "connectivity",
			Scopes: []string{ServiceName}, AlertStatusOnGone: "CRITICAL"},
		"cpu": &mkr.MonitorHostMetric{Type: "host", Name: CPUMonitorName, Metric: "cpu.user.percentage",
			Operator: ">", Warning: f(70), Critical: f(85), Duration: 5, MaxCheckAttempts: 1,
			Scopes: []string{ServiceName + ":app"}},
		"latency": &mkr.MonitorServiceMetric{Type: "service", Name: "web p95 latency", Service: ServiceName,
			Metric: "app.latency.p95", Operator: ">", Warning: f(300), Critical: f(1000), Duration: 3,
			MaxCheckAttempts: 1},
		"5xx": &mkr.MonitorServiceMetric{Type: "service", Name: "web 5xx errors", Service: ServiceName,
			Metric: "app.errors.5xx", Operator: ">", Warning: f(10), Critical: f(50), Duration: 1,
			MaxCheckAttempts: 1},
		"batch": &mkr.MonitorHostMetric{Type: "host", Name: NoisyMonitorName, Metric: "disk.xvda.writes.delta",
			Operator: ">", Warning: f(20000), Critical: f(40000), Duration: 1, MaxCheckAttempts: 1,
			Scopes: []string{ServiceName + ":batch"}, Memo: "fires during the nightly batch"},
		"external": &mkr.MonitorExternalHTTP{Type: "external", Name: "www top page", Method: "GET",
			URL: "https://www.example.com/", Service: ServiceName, MaxCheckAttempts: 2,
			ResponseTimeWarning: f(3000), ResponseTimeCritical: f(5000), ResponseTimeDuration: u(3),
			ExpectedStatusCode: &code, Headers: []mkr.HeaderField{}},
		"anomaly": &mkr.MonitorAnomalyDetection{Type: "anomalyDetection", Name: "app anomaly",
			WarningSensitivity: "normal", CriticalSensitivity: "insensitive", MaxCheckAttempts: 3,
			Scopes: []string{ServiceName + ":app"}},
		"expr": &mkr.MonitorExpression{Type: "expression", Name: "app loadavg5 average",
			Expression: "avg(roleSlots('web:app','loadavg5'))", Operator: ">", Warning: f(4), Critical: f(6)},
	}
	ids := map[string]string{}
	for _, k := range []string{"conn", "cpu", "latency", "5xx", "batch", "external", "anomaly", "expr"} {
		ids[k] = makeID("monitor/" + k)
		obj := toObject(mon[k])
		obj["id"] = ids[k]
		s.monitors = append(s.monitors, obj)
	}

	model := s.model
	hostValue := func(host, metric string, t time.Time) float64 {
		return round2(model.host[host][metric].fn(t.Unix()))
	}
	svcValue := func(metric string, t time.Time) float64 {
		return round2(model.service[ServiceName][metric].fn(t.Unix()))
	}
	alert := func(key, status, host string, value float64, msg string, opened, closed time.Time) {
		a := &mkr.Alert{
			ID: makeID(fmt.Sprintf("alert/%s/%s/%d", key, host, opened.Unix())), Status: status,
			MonitorID: ids[key], Type: mon[key].MonitorType(), HostID: host, Value: value,
			Message: msg, OpenedAt: opened.Unix(),
		}
		s.review().opened[a.ID] = status
		if !closed.IsZero() {
			a.Status, a.ClosedAt, a.Reason = "OK", closed.Unix(), "Closed automatically (the value recovered)"
		}
		s.alerts = append(s.alerts, a)
	}
	day := 24 * time.Hour
	for d := sc.start.UTC().Truncate(day).Add(day); d.Before(sc.end); d = d.Add(day) {
		// the noisy monitor: the nightly batch's disk writes, every night on each batch host
		for _, b := range batch {
			var opened time.Time
			for t := d.Add(18 * time.Hour); t.Before(d.Add(19 * time.Hour)); t = t.Add(time.Minute) {
				if nightlyBatch(b, t.Unix()) > 0 {
					opened = t
					break
				}
			}
			if !opened.IsZero() && opened.Add(40*time.Minute).Before(sc.end) {
				v := hostValue(b, "disk.xvda.writes.delta", opened)
				status := "WARNING"
				if v > 40000 {
					status = "CRITICAL"
				}
				alert("batch", status, b, v, "", opened, opened.Add(40*time.Minute))
			}
		}
		// CPU and latency at the evening peak while the regression lasted
		if d.Add(12*time.Hour).After(sc.deploy) && d.Add(12*time.Hour).Before(sc.fix) {
			for i, h := range app {
				at := d.Add(11*time.Hour + time.Duration(10*i)*time.Minute)
				v := hostValue(h, "cpu.user.percentage", at)
				status := "WARNING"
				if v >= 85 {
					status = "CRITICAL"
				}
				alert("cpu", status, h, v, "", at, at.Add(time.Duration(70+10*i)*time.Minute))
			}
			at := d.Add(11*time.Hour + 30*time.Minute)
			alert("latency", "WARNING", "", svcValue("app.latency.p95", at), "", at, at.Add(2*time.Hour))
		}
	}
	// the incident
	alert("latency", "CRITICAL", "", svcValue("app.latency.p95", sc.incident.Add(3*time.Minute)), "",
		sc.incident.Add(3*time.Minute), sc.incEnd.Add(5*time.Minute))
	alert("5xx", "CRITICAL", "", svcValue("app.errors.5xx", sc.incident.Add(time.Minute)), "",
		sc.incident.Add(time.Minute), sc.incEnd.Add(2*time.Minute))
	alert("external", "CRITICAL", "", 12300, "503 Service Unavailable (response time 12.3 s)",
		sc.incident.Add(2*time.Minute), sc.incEnd)
	// a reboot of the batch host for a kernel update
	reboot := sc.release13.Add(3 * 24 * time.Hour).Add(-4 * time.Hour)
	alert("conn", "CRITICAL", batch[0], 0, "", reboot, reboot.Add(8*time.Minute))
	// the anomaly detector noticed the deploy, and still sees something now
	alert("anomaly", "WARNING", app[0], 0, "", sc.deploy.Add(time.Hour), sc.deploy.Add(4*time.Hour))
	alert("anomaly", "WARNING", app[1], 0, "", sc.end.Add(-5*time.Hour), time.Time{})
	sortAlerts(s.alerts)

	ann := func(title, desc string, from, to time.Time, roles ...string) {
		s.annotations = append(s.annotations, &mkr.GraphAnnotation{
			ID: makeID("annotation/" + title), Title: title, Description: desc,
			From: from.Unix(), To: to.Unix(), Service: ServiceName, Roles: roles,
		})
	}
	ann("Release v2.13.0", "定期リリース", sc.release13, sc.release13.Add(10*time.Minute))
	ann("Release v2.14.0 (recommendation API)", "新レコメンドAPI。p95 とCPUが上昇", sc.deploy, sc.deploy.Add(15*time.Minute), "app")
	ann("Incident: DB connection pool exhausted", "障害: DB接続枯渇。postmortem あり", sc.incident, sc.incEnd)
	ann("Release v2.14.2 (N+1 query fix)", "レコメンドAPIのN+1を修正", sc.fix, sc.fix.Add(10*time.Minute), "app")
	ann("Campaign: autumn sale", "秋のセール", sc.campaign, sc.campEnd)

	s.dashboards = seedDashboards(sc, db)
}

func seedDashboards(sc scenario, db string) []*mkr.Dashboard {
	created := sc.start.Add(-90 * 24 * time.Hour).Unix()
	lay := func(x, y, w, h int64) mkr.Layout { return mkr.Layout{X: x, Y: y, Width: w, Height: h} }
	svc := func(name string) mkr.Graph { return mkr.Graph{Type: "service", ServiceName: ServiceName, Name: name} }
	role := func(r, name string) mkr.Graph {
		return mkr.Graph{Type: "role", RoleFullName: ServiceName + ":" + r, Name: name}
	}
	two := int64(0)
	pwg := &mkr.Dashboard{
		ID: makeID("dashboard/pwg"), Title: PWGDashboard, URLPath: makeID("dashboard-url/pwg"),
		CreatedAt: created, UpdatedAt: sc.start.Unix(), Memo: "月次PWGで見るグラフ",
		Widgets: []mkr.Widget{
			{Type: "markdown", Title: "About", Layout: lay(0, 0, 24, 3),
				Markdown: "# PWG dashboard\nLatency, errors, capacity and cost of **web**. Runbook: https://wiki.example.com/web/runbook"},
			{Type: "graph", Title: "p50 / p95 latency (ms)", Layout: lay(0, 3, 12, 8), Graph: svc("app.latency"),
				ReferenceLines: []mkr.ReferenceLine{{Label: "SLO p95", Value: 300}}},
			{Type: "graph", Title: "app CPU user %", Layout: lay(12, 3, 12, 8), Graph: role("app", "cpu.user.percentage")},
			{Type: "graph", Title: "requests / min", Layout: lay(0, 11, 8, 6), Graph: svc("app.requests")},
			{Type: "graph", Title: "5xx / min", Layout: lay(8, 11, 8, 6), Graph: svc("app.errors")},
			{Type: "graph", Title: "db-01 loadavg5", Layout: lay(16, 11, 8, 6), Graph: mkr.Graph{Type: "host", HostID: db, Name: "loadavg5"}},
			{Type: "value", Title: "p95 latency now", Layout: lay(0, 17, 6, 4), Suffix: "ms", FractionSize: &two,
				Metric: mkr.Metric{Type: "service", ServiceName: ServiceName, Name: "app.latency.p95"}},
			{Type: "value", Title: "db-01 loadavg5 now", Layout: lay(6, 17, 6, 4),
				Metric: mkr.Metric{Type: "host", HostID: db, Name: "loadavg5"}},
			{Type: "graph", Title: "app loadavg5 (expression)", Layout: lay(12, 17, 6, 4),
				Graph: mkr.Graph{Type: "expression", Expression: "avg(roleSlots('web:app','loadavg5'))"}},
			{Type: "graph", Title: "HTTP server duration (query)", Layout: lay(18, 17, 6, 4),
				Graph: mkr.Graph{Type: "query", Query: `http.server.request.duration{service.name="web"}`, Legend: "{{service.name}}"}},
			{Type: "graph", Title: "app memory used", Layout: lay(0, 21, 12, 6), Graph: role("app", "memory.used")},
			{Type: "graph", Title: "cost (USD / day)", Layout: lay(12, 21, 12, 6), Graph: svc("cost.daily.usd")},
			{Type: "alertStatus", Title: "app alerts", Layout: lay(0, 27, 6, 4), RoleFullName: ServiceName + ":app"},
		},
	}
	overview := &mkr.Dashboard{
		ID: makeID("dashboard/overview"), Title: "web overview", URLPath: makeID("dashboard-url/overview"),
		CreatedAt: created, UpdatedAt: created, Memo: "",
		Widgets: []mkr.Widget{
			{Type: "graph", Title: "requests", Layout: lay(0, 0, 24, 8), Graph: svc("app.requests")},
		},
	}
	return []*mkr.Dashboard{pwg, overview}
}

// toObject turns a monitor into the generic JSON object the server stores.
func toObject(m mkr.Monitor) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // static seed data
	}
	var obj map[string]any
	if err := json.Unmarshal(b, &obj); err != nil {
		panic(err)
	}
	return obj
}
