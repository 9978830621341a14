package mackerel_test

import (
	"fmt"
	"testing"
	"time"

	mkr "github.com/mackerelio/mackerel-client-go"

	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

// benchEnv is a fake with 40 monitors and 1,000 alerts spread over four
// 30-day periods (a quarter of them with a warning/critical swing).
func benchEnv(b *testing.B) *env {
	e := newEnv(b, mackereltest.Options{Empty: true})
	f := func(v float64) *float64 { return &v }
	var ids []string
	for i := range 40 {
		ids = append(ids, e.fake.AddMonitor(&mkr.MonitorHostMetric{Type: "host", Name: fmt.Sprintf("monitor %02d", i),
			Metric: "cpu.user.percentage", Operator: ">", Warning: f(70), Critical: f(90), Duration: 3,
			Memo: map[bool]string{true: "Runbook: https://wiki.example.com/" + fmt.Sprint(i), false: ""}[i%3 != 0]}))
	}
	span := 120 * 24 * time.Hour
	for i := range 1000 {
		opened := seedEnd.Add(-span + span/1000*time.Duration(i)).Add(time.Minute)
		mon := ids[(i*7+i/40)%40]
		if i%5 == 0 {
			mon = ids[0] // a noisy one
		}
		a := mkr.Alert{Status: "WARNING", MonitorID: mon, Type: "host", HostID: "h" + fmt.Sprint(i%6),
			Value: 75, OpenedAt: opened.Unix()}
		if i < 980 { // the newest 20 are still open
			a.Status, a.ClosedAt = "OK", opened.Add(time.Duration(5+i%50)*time.Minute).Unix()
		}
		id := e.fake.AddAlert(a)
		if i%4 == 0 {
			e.fake.AddSwing(id, "CRITICAL", opened.Add(time.Minute).Unix(), 95)
		}
	}
	return e
}

func benchBoard(b *testing.B, c *mackerel.Client) mackerel.Board {
	from, to := seedEnd.Add(-30*24*time.Hour), seedEnd
	board, err := c.HygieneBoard(b.Context(), mackerel.BoardRequest{From: from, To: to})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, r := range board.Rows {
		for _, p := range r.Periods {
			n += p.Count
		}
	}
	if len(board.Rows) != 40 || n != 1000 {
		b.Fatalf("%d rows, %d alerts in the periods", len(board.Rows), n)
	}
	return board
}

// BenchmarkHygieneBoard: the board for 1,000 alerts of 40 monitors over
// four periods. fake: a cold cache, everything over HTTP from the fake
// (alerts, monitors, 1,000 alert-log requests, 4 at a time); warm: alerts
// and monitors live, the logs of closed alerts from the cache; cache:
// offline, everything from the workspace database.
func BenchmarkHygieneBoard(b *testing.B) {
	e := benchEnv(b)
	b.Run("fake", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			c := (&env{fake: e.fake, hs: e.hs, db: openDB(b)}).client(b, e.fake.APIKey())
			b.StartTimer()
			benchBoard(b, c)
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/board")
	})
	warm := e.client(b, e.fake.APIKey())
	benchBoard(b, warm)
	b.Run("warm", func(b *testing.B) {
		for b.Loop() {
			benchBoard(b, warm)
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/board")
	})
	b.Run("cache", func(b *testing.B) {
		warm.SetOffline(true)
		defer warm.SetOffline(false)
		for b.Loop() {
			benchBoard(b, warm)
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/board")
	})
}
