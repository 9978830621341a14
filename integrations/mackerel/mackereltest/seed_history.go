package mackereltest

import (
	"fmt"
	"hash/fnv"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Names of the monitors seedHistory adds, one for each hygiene flag.
const (
	BurstMonitorName       = "web 5xx burst (1 min)" // noisy; an earlier decision did not help
	MemoryMonitorName      = "app memory %"          // warning raised 80 → 90 a month ago: fewer alerts after
	ReplicationMonitorName = "db replication delay"  // muted for months
	QueueMonitorName       = "batch queue length"    // silent: never fired
)

// MonitorID returns the id of a seeded monitor by its seed key ("cpu",
// "batch", "burst", "memory", "replication", "queue", ...).
func MonitorID(key string) string { return makeID("monitor/" + key) }

// seedHistory adds 180 days of alert history and the monitors of the
// hygiene flags to the seeded team. Called from New after seed.
func seedHistory(s *Server) {
	end := s.now
	day := 24 * time.Hour
	date := func(t time.Time) string { return t.UTC().Format(time.DateOnly) }
	f := func(v float64) *float64 { return &v }
	memo := func(id, text string) {
		if i := s.monitor(id); i >= 0 {
			s.monitors[i]["memo"] = text
		}
	}
	// runbooks for the monitors the team knows how to act on
	memo(MonitorID("cpu"), "Runbook: https://wiki.example.com/web/runbook#cpu")
	memo(MonitorID("latency"), "Runbook: https://wiki.example.com/web/runbook#latency")
	memo(MonitorID("5xx"), "Runbook: https://wiki.example.com/web/runbook#5xx")
	memo(MonitorID("conn"), "Runbook: https://wiki.example.com/web/runbook#host-down")
	memo(MonitorID("anomaly"), "Runbook: https://wiki.example.com/web/runbook#anomaly")

	burstDecision := end.Add(-62 * day).Truncate(day).Add(10 * time.Hour)
	memDecision := end.Add(-31 * day).Truncate(day).Add(10 * time.Hour)
	muted := end.Add(-95 * day).Truncate(day).Add(10 * time.Hour)
	add := func(key string, m mkr.Monitor, mute bool) {
		obj := toObject(m)
		obj["id"] = MonitorID(key)
		if mute {
			obj["isMute"] = true
		}
		s.monitors = append(s.monitors, obj)
	}
	add("burst", &mkr.MonitorServiceMetric{Type: "service", Name: BurstMonitorName, Service: ServiceName,
		Metric: "app.errors.5xx", Operator: ">", Warning: f(3), Critical: f(20), Duration: 2, MaxCheckAttempts: 1,
		Memo: "Runbook: https://wiki.example.com/web/runbook#5xx-burst\n" +
			"PWG " + date(burstDecision) + ": duration 1 → 2 (alert review) [pwg:seed-burst]"}, false)
	add("memory", &mkr.MonitorHostMetric{Type: "host", Name: MemoryMonitorName, Metric: "memory.used.percentage",
		Operator: ">", Warning: f(90), Critical: f(95), Duration: 5, MaxCheckAttempts: 1,
		Scopes: []string{ServiceName + ":app"},
		Memo: "Runbook: https://wiki.example.com/web/runbook#memory\n" +
			"PWG " + date(memDecision) + ": warning 80 → 90 (alert review) [pwg:seed-memory]"}, false)
	add("replication", &mkr.MonitorHostMetric{Type: "host", Name: ReplicationMonitorName,
		Metric: "custom.mysql.replication.delay", Operator: ">", Warning: f(30), Critical: f(120), Duration: 3,
		MaxCheckAttempts: 1, Scopes: []string{ServiceName + ":db"},
		Memo: "Runbook: https://wiki.example.com/db/replication\n" +
			"PWG " + date(muted) + ": muted (replica rebuild; unmute when done) [pwg:seed-replication]"}, true)
	add("queue", &mkr.MonitorServiceMetric{Type: "service", Name: QueueMonitorName, Service: ServiceName,
		Metric: "batch.queue.length", Operator: ">", Warning: f(5000), Critical: f(20000), Duration: 5,
		MaxCheckAttempts: 1, Memo: "Runbook: https://wiki.example.com/batch/queue"}, false)

	var hosts = map[string]string{}
	for _, h := range s.hosts {
		hosts[h.Name] = h.ID
	}
	rnd := func(parts ...any) uint64 {
		h := fnv.New64a()
		fmt.Fprint(h, parts...)
		return h.Sum64()
	}
	alert := func(key, status, host string, value float64, opened, closed time.Time) string {
		a := &mkr.Alert{ID: makeID(fmt.Sprintf("alert/%s/%s/%d", key, host, opened.Unix())), Status: status,
			MonitorID: MonitorID(key), Type: map[bool]string{true: "host", false: "service"}[host != ""],
			HostID: host, Value: value, OpenedAt: opened.Unix()}
		s.review().opened[a.ID] = status
		if !closed.IsZero() {
			a.Status, a.ClosedAt, a.Reason = "OK", closed.Unix(), "Closed automatically (the value recovered)"
		}
		s.alerts = append(s.alerts, a)
		return a.ID
	}
	first := newScenario(end).start.UTC().Truncate(day).Add(day) // where seed's month starts
	for d := end.Add(-180 * day).Truncate(day); d.Before(end); d = d.Add(day) {
		// the nightly batch, before the seeded month
		if d.Before(first) && d.After(end.Add(-121*day)) {
			for i, b := range []string{"batch-01", "batch-02"} {
				at := d.Add(18*time.Hour + time.Duration(3+4*i)*time.Minute)
				alert("batch", "WARNING", hosts[b], 24000+float64(rnd(b, d.Unix())%9000), at, at.Add(40*time.Minute))
			}
		}
		// the 5xx bursts: more every month, raising the duration did not help
		age := int(end.Sub(d) / day)
		perDay := 2 + (120-age)/40 // 0.67/day four months ago … 1.2/day now, on average
		for k := 0; k < 2 && age < 120; k++ {
			r := rnd("burst", d.Unix(), k)
			if int(r%6) >= perDay {
				continue
			}
			at := d.Add(time.Duration(r>>8%(24*60)) * time.Minute)
			if !at.Before(end.Add(-10 * time.Minute)) {
				continue
			}
			open := time.Duration(2+r>>20%5) * time.Minute
			id := alert("burst", "WARNING", "", 4+float64(r>>30%10), at, at.Add(open))
			if r>>40%3 == 0 { // swung to critical and back
				s.addSwing(id, "CRITICAL", at.Add(time.Minute).Unix(), 25)
				s.addSwing(id, "WARNING", at.Add(open-30*time.Second).Unix(), 6)
			}
		}
		// app memory: about one a day before the warning was raised to 90, rare after
		if age < 120 {
			r := rnd("memory", d.Unix())
			if d.Before(memDecision) || age%7 == 3 {
				app := []string{"app-01", "app-02", "app-03"}[r%3]
				at := d.Add(12*time.Hour + time.Duration(r>>8%120)*time.Minute)
				if at.Before(end.Add(-3 * time.Hour)) {
					alert("memory", "WARNING", hosts[app], 80+float64(r>>16%9), at, at.Add(time.Duration(30+r>>24%60)*time.Minute))
				}
			}
		}
		// replication delay: fired until it was muted
		if d.Before(muted) && d.After(muted.Add(-20*day)) && age%4 == 0 {
			at := d.Add(3 * time.Hour)
			alert("replication", "CRITICAL", hosts["db-01"], 300, at, at.Add(5*time.Hour))
		}
	}
	sortAlerts(s.alerts)
}
