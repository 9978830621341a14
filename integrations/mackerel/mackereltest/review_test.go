package mackereltest_test

import (
	"net/http"
	"testing"

	mkr "github.com/mackerelio/mackerel-client-go"

	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
)

func TestAlertLogsPagingAndTriggers(t *testing.T) {
	fake, c, _ := start(t, mackereltest.Options{})
	id := fake.AddAlert(mkr.Alert{Status: "WARNING", MonitorID: mackereltest.MonitorID("cpu"), Type: "host", OpenedAt: seedEnd.Unix() - 600})
	fake.AddSwing(id, "CRITICAL", seedEnd.Unix()-500, 95)
	fake.AddSwing(id, "WARNING", seedEnd.Unix()-400, 75)
	if _, err := c.CloseAlert(id, "handled"); err != nil {
		t.Fatal(err)
	}
	// one a page: newest first, linked by nextId
	var got []*mkr.AlertLog
	one := 1
	var next *string
	for range 10 {
		resp, err := c.FindAlertLogs(id, &mkr.FindAlertLogsParam{Limit: &one, NextId: next})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, resp.AlertLogs...)
		if resp.NextID == "" {
			break
		}
		n := resp.NextID
		next = &n
	}
	want := []string{"OK", "WARNING", "CRITICAL", "WARNING"}
	if len(got) != len(want) {
		t.Fatalf("%d logs", len(got))
	}
	for i, l := range got {
		if l.Status != want[i] || l.MonitorID == nil || *l.MonitorID != mackereltest.MonitorID("cpu") {
			t.Fatalf("log %d: %+v", i, l)
		}
	}
	if got[0].Trigger != "manual" || got[0].StatusDetail == nil || got[0].StatusDetail.Detail.Message != "handled" ||
		got[1].Trigger != "monitoring" || *got[2].TargetValue != 95 {
		t.Fatalf("triggers: %+v %+v", got[0], got[1])
	}
	if _, err := c.FindAlertLogs("nope", nil); apiStatus(err) != http.StatusNotFound {
		t.Fatalf("unknown alert: %v", err)
	}
	big := 101
	if _, err := c.FindAlertLogs(id, &mkr.FindAlertLogsParam{Limit: &big}); apiStatus(err) != http.StatusBadRequest {
		t.Fatalf("limit 101: %v", err)
	}
}

func TestReviewHistorySeed(t *testing.T) {
	fake, c, _ := start(t, mackereltest.Options{ReviewHistory: true})
	m, err := c.GetMonitor(mackereltest.MonitorID("replication"))
	if err != nil {
		t.Fatal(err)
	}
	if hm, ok := m.(*mkr.MonitorHostMetric); !ok || !hm.IsMute || hm.Memo == "" {
		t.Fatalf("replication monitor %+v", m)
	}
	if _, err := c.GetMonitor(mackereltest.MonitorID("queue")); err != nil {
		t.Fatal(err)
	}
	if len(fake.Downtimes()) != 0 {
		t.Fatal("the seed has downtimes")
	}
}
