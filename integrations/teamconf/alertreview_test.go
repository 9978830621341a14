package teamconf_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
	"github.com/pwg-team/pwg/integrations/teamconf"
)

// TestAlertBoardFromTheMinutes: last month's alert review record (a
// threshold change) comes back as evidence on this month's board, computed
// over HTTP from the fake, and this meeting's verdicts mark monitors reviewed.
func TestAlertBoardFromTheMinutes(t *testing.T) {
	end := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	fake := mackereltest.New(mackereltest.Options{Now: end, ReviewHistory: true})
	hs := httptest.NewServer(fake)
	defer hs.Close()
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Setup("Web", end); err != nil {
		t.Fatal(err)
	}
	infos, _ := ws.Meetings()
	cur, _ := ws.Meeting(infos[0].ID)
	if err := cur.SetInfo("PWG 11月", "2026-11-20", ""); err != nil {
		t.Fatal(err)
	}
	prev, err := ws.NewMeeting("PWG 10月", "2026-10-20")
	if err != nil {
		t.Fatal(err)
	}
	burst, cpu := mackereltest.MonitorID("burst"), mackereltest.MonitorID("cpu")
	if err := prev.PutAlertReview(minutes.AlertReview{MonitorID: burst, MonitorName: mackereltest.BurstMonitorName,
		Verdict: minutes.VerdictTune, Change: "warning 2 → 3"}); err != nil {
		t.Fatal(err)
	}
	if err := cur.PutAlertReview(minutes.AlertReview{MonitorID: cpu, MonitorName: mackereltest.CPUMonitorName,
		Verdict: minutes.VerdictKeep}); err != nil {
		t.Fatal(err)
	}

	req, err := teamconf.AlertBoardRequest(ws, cur, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if !req.From.Equal(time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)) || !req.To.Equal(time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("period %v – %v", req.From, req.To)
	}
	if req.Verdicts[cpu] != "keep" || len(req.Decisions) != 1 || req.Decisions[0].Source != "minutes: PWG 10月" ||
		req.Decisions[0].Change != "warning 2 → 3" {
		t.Fatalf("request %+v", req)
	}

	c, err := mackerel.New(mackerel.Config{APIKey: fake.APIKey(), BaseURL: hs.URL, Org: mackereltest.OrgName, DB: ws.DB(), Now: fake.Now})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.HygieneBoard(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range b.Rows {
		switch r.MonitorID {
		case burst:
			var reason string
			for _, f := range r.Flags {
				if f.Kind == mackerel.FlagDidNotHelp && strings.HasPrefix(f.Reason, "warning raised 2 → 3 on 10/20:") {
					reason = f.Reason
				}
			}
			if reason == "" {
				t.Fatalf("burst: the minutes' decision is not judged: %+v", r.Flags)
			}
		case cpu:
			if r.Has(mackerel.FlagUnreviewed) || r.Verdict != "keep" {
				t.Fatalf("cpu: %+v", r.Flags)
			}
		}
	}
}
