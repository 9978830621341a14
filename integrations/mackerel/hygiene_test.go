package mackerel_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

func boardOf(t *testing.T, e *env, verdicts map[string]string, ds []mackerel.Decision) mackerel.Board {
	t.Helper()
	from, to := e.period()
	b, err := e.c.HygieneBoard(e.ctx, mackerel.BoardRequest{From: from, To: to, Verdicts: verdicts, Decisions: ds})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rowOf(t *testing.T, b mackerel.Board, name string) mackerel.MonitorHygiene {
	t.Helper()
	for _, r := range b.Rows {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no row %q", name)
	return mackerel.MonitorHygiene{}
}

func flagOf(r mackerel.MonitorHygiene, kind string) string {
	for _, f := range r.Flags {
		if f.Kind == kind {
			return f.Reason
		}
	}
	return ""
}

func TestHygieneBoardFlags(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	cpu := mackereltest.MonitorID("cpu")
	b := boardOf(t, e, map[string]string{cpu: "keep"}, nil)
	if len(b.Periods) != 4 || !b.Periods[3].To.Equal(seedEnd) || len(b.Notes) != 0 {
		t.Fatalf("periods %v notes %v", b.Periods, b.Notes)
	}

	burst := rowOf(t, b, mackereltest.BurstMonitorName)
	cur := burst.Current()
	if cur.Count < 8 || cur.SelfClosedQuickly != cur.Count || cur.Flaps == 0 || cur.MedianOpen > 10*time.Minute {
		t.Fatalf("burst stats %+v", cur)
	}
	if r := flagOf(burst, mackerel.FlagNoisy); !strings.Contains(r, "closed by themselves within 1h (median open ") {
		t.Fatalf("burst noisy reason %q (flags %v)", r, burst.Flags)
	}
	if r := flagOf(burst, mackerel.FlagDidNotHelp); !strings.Contains(r, "duration raised 1 → 2") || !strings.Contains(r, "did not drop") {
		t.Fatalf("burst did-not-help reason %q (evidence %+v)", r, burst.Evidence)
	}
	// the trend: more every month
	if burst.Periods[0].Count >= cur.Count {
		t.Fatalf("burst trend %+v", burst.Periods)
	}

	mem := rowOf(t, b, mackereltest.MemoryMonitorName)
	if len(mem.Evidence) != 1 || mem.Evidence[0].Helped == nil || !*mem.Evidence[0].Helped ||
		mem.Evidence[0].Before < 25 || mem.Evidence[0].After > 6 || mem.Has(mackerel.FlagDidNotHelp) {
		t.Fatalf("memory evidence %+v flags %v", mem.Evidence, mem.Flags)
	}
	if !strings.HasPrefix(mem.Evidence[0].Text, "warning raised 80 → 90 on ") {
		t.Fatalf("memory evidence text %q", mem.Evidence[0].Text)
	}

	repl := rowOf(t, b, mackereltest.ReplicationMonitorName)
	if r := flagOf(repl, mackerel.FlagMutedLong); !strings.Contains(r, "(95 days)") {
		t.Fatalf("replication muted reason %q (flags %v)", r, repl.Flags)
	}
	if repl.Has(mackerel.FlagSilent) || repl.Has(mackerel.FlagUnreviewed) || repl.Current().Count != 0 {
		t.Fatalf("replication flags %v", repl.Flags)
	}

	queue := rowOf(t, b, mackereltest.QueueMonitorName)
	if r := flagOf(queue, mackerel.FlagSilent); !strings.Contains(r, "never fired in 180 days") {
		t.Fatalf("queue silent reason %q", r)
	}
	if len(queue.Flags) != 1 {
		t.Fatalf("queue flags %v", queue.Flags)
	}

	ext := rowOf(t, b, "www top page")
	if r := flagOf(ext, mackerel.FlagNoRunbook); !strings.Contains(r, "memo is empty") {
		t.Fatalf("external no-runbook reason %q", r)
	}
	batch := rowOf(t, b, mackereltest.NoisyMonitorName)
	if r := flagOf(batch, mackerel.FlagNoRunbook); r != "the memo has no link to a runbook" {
		t.Fatalf("batch no-runbook reason %q", r)
	}

	c := rowOf(t, b, mackereltest.CPUMonitorName)
	if c.Has(mackerel.FlagUnreviewed) || c.Verdict != "keep" || c.Has(mackerel.FlagNoRunbook) {
		t.Fatalf("cpu (reviewed, runbook) flags %v", c.Flags)
	}
	if r := flagOf(rowOf(t, b, "web p95 latency"), mackerel.FlagUnreviewed); !strings.Contains(r, "no verdict in the minutes") {
		t.Fatalf("latency unreviewed reason %q", r)
	}

	// worst first
	for i := 1; i < len(b.Rows); i++ {
		if b.Rows[i].Score > b.Rows[i-1].Score {
			t.Fatalf("row %d (%s, %d) after a better one (%d)", i, b.Rows[i].Name, b.Rows[i].Score, b.Rows[i-1].Score)
		}
	}
	if b.Rows[0].Name != mackereltest.BurstMonitorName {
		t.Fatalf("worst row %q", b.Rows[0].Name)
	}

	// a decision from the minutes is used, and the same one from the memo counts once
	ds := []mackerel.Decision{{MonitorID: mackereltest.MonitorID("memory"), Date: mem.Evidence[0].Date,
		Change: "warning 80 → 90", Verdict: "tune", Source: "minutes"}}
	if got := rowOf(t, boardOf(t, e, nil, ds), mackereltest.MemoryMonitorName).Evidence; len(got) != 1 || got[0].Source != "minutes" {
		t.Fatalf("evidence with a minutes decision: %+v", got)
	}
}

func TestHygieneBoardFromCacheWhenOffline(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	live := boardOf(t, e, nil, nil)
	n := len(e.fake.Requests())
	e.c.SetOffline(true)
	cached := boardOf(t, e, nil, nil)
	if len(e.fake.Requests()) != n {
		t.Fatal("an offline board contacted Mackerel")
	}
	if len(cached.Notes) == 0 || len(cached.Rows) != len(live.Rows) {
		t.Fatalf("offline board: notes %v, %d rows (live %d)", cached.Notes, len(cached.Rows), len(live.Rows))
	}
	for i := range live.Rows {
		l, c := live.Rows[i].Current(), cached.Rows[i].Current()
		if live.Rows[i].Name != cached.Rows[i].Name || l.Count != c.Count || l.Flaps != c.Flaps || l.SelfClosedQuickly != c.SelfClosedQuickly {
			t.Fatalf("row %d differs: %+v / %+v", i, live.Rows[i], cached.Rows[i])
		}
	}
}

func TestAlertLogsAndManualClose(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	from, to := e.period()
	res, err := e.c.AlertsOfPeriod(e.ctx, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	var open mackerel.Alert
	for _, a := range res.Value {
		if a.Open() {
			open = a
		}
	}
	if open.ID == "" {
		t.Fatal("no open alert in the seed")
	}
	if _, err := e.c.CloseAlert(e.ctx, open.ID, "known: deploy"); err != nil {
		t.Fatal(err)
	}
	open.Status = "OK"
	logs, err := e.c.AlertLogs(e.ctx, open)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 2 || logs[0].Status != "WARNING" || logs[1].Status != "OK" || logs[1].Trigger != "manual" ||
		logs[1].Message != "known: deploy" {
		t.Fatalf("logs %+v", logs)
	}
	// closed: a second read comes from the cache
	n := count(e.fake.Requests(), "GET /api/v0/alerts/"+open.ID+"/logs")
	if _, err := e.c.AlertLogs(e.ctx, open); err != nil || count(e.fake.Requests(), "GET /api/v0/alerts/"+open.ID+"/logs") != n {
		t.Fatalf("logs of a closed alert read again (err %v)", err)
	}
}

func TestAlertHistories(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	b := boardOf(t, e, nil, nil)
	swung, selfClosed := 0, 0
	for _, a := range b.Alerts {
		h, ok := b.Histories[a.ID]
		if !ok {
			continue
		}
		if a.MonitorID == mackereltest.MonitorID("burst") && h.Worst == "CRITICAL" && h.OpenedAs == "WARNING" {
			swung++
			if want := "opened WARNING, reached CRITICAL, 2 status changes, closed by itself"; h.Text() != want {
				t.Fatalf("history %q, want %q", h.Text(), want)
			}
		}
		if h.ClosedBy == "monitoring" {
			selfClosed++
		}
	}
	if swung == 0 || selfClosed < 100 {
		t.Fatalf("%d swung burst alerts, %d closed by themselves", swung, selfClosed)
	}
}

func TestHygieneBoardWhenTheLogsFail(t *testing.T) {
	e := newEnv(t, mackereltest.Options{ReviewHistory: true})
	from, to := e.period()
	// monitors and alerts are cached, no logs yet
	if _, err := e.c.Monitors(e.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.AlertsOfPeriod(e.ctx, to.Add(-180*24*time.Hour), to, nil); err != nil {
		t.Fatal(err)
	}
	e.fake.Fail(500, -1)
	n := len(e.fake.Requests())
	b, err := e.c.HygieneBoard(e.ctx, mackerel.BoardRequest{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	logReqs := 0
	for _, r := range e.fake.Requests()[n:] {
		if strings.HasSuffix(r, "/logs") {
			logReqs++
		}
	}
	if logReqs > 4*3 { // 4 workers × 3 attempts: the first failure stops the rest
		t.Fatalf("%d log requests against a failing Mackerel", logReqs)
	}
	joined := strings.Join(b.Notes, "\n")
	if !strings.Contains(joined, "could not be read") || !strings.Contains(joined, "Offline view") || len(b.Rows) == 0 {
		t.Fatalf("notes %q, %d rows", joined, len(b.Rows))
	}
	if rowOf(t, b, mackereltest.BurstMonitorName).Current().NoLogs == 0 {
		t.Fatal("alerts without logs are not counted as such")
	}
}
