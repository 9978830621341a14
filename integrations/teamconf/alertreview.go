package teamconf

import (
	"fmt"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/mackerel"
)

// Monitors kept as code: the value of the team setting.
const (
	MonitorsInMackerel  = ""          // pwg changes monitors through the API
	MonitorsAsMkr       = "mkr"       // mkr monitors pull/push (monitors.json)
	MonitorsAsTerraform = "terraform" // the Terraform provider for Mackerel
)

// MonitorsAsCode reads how the team manages its monitors: "" (in Mackerel,
// pwg changes them through the API), "mkr" or "terraform" (in code: pwg
// makes an action item with the exact change instead).
func MonitorsAsCode(ws *minutes.Workspace) (string, error) { return ws.Settings().MonitorsAsCode() }

// SetMonitorsAsCode stores how the team manages its monitors.
func SetMonitorsAsCode(ws *minutes.Workspace, how string) error {
	switch how {
	case MonitorsInMackerel, MonitorsAsMkr, MonitorsAsTerraform:
	default:
		return fmt.Errorf("monitors as code %q: want mkr, terraform or empty", how)
	}
	return ws.Settings().SetMonitorsAsCode(how)
}

// MinutesURL is where the team's exported minutes are read ("" when not set).
func MinutesURL(ws *minutes.Workspace) (string, error) {
	g, err := ws.Settings().GitHub()
	return g.MinutesURL, err
}

// AlertReviewPeriod is the period a meeting reviews: from the previous
// meeting's date (or 30 days before) to the end of the meeting's day, in loc.
func AlertReviewPeriod(ws *minutes.Workspace, m *minutes.Meeting, loc *time.Location) (time.Time, time.Time) {
	day, err := time.ParseInLocation(time.DateOnly, m.Date(), loc)
	if err != nil {
		day = time.Now()
	}
	to := day.Add(24 * time.Hour)
	from := day.AddDate(0, 0, -30)
	if infos, err := ws.Meetings(); err == nil {
		for _, in := range infos { // newest first
			if in.ID == m.ID() || in.Date >= m.Date() {
				continue
			}
			if d, err := time.ParseInLocation(time.DateOnly, in.Date, loc); err == nil {
				from = d
			}
			break
		}
	}
	return from, to
}

// AlertDecisions returns the verdicts of meeting m by monitor id, and the
// decisions of the meetings before it (within a year), from their alert
// review records, dated by their meeting.
func AlertDecisions(ws *minutes.Workspace, m *minutes.Meeting, loc *time.Location) (map[string]string, []mackerel.Decision, error) {
	verdicts := map[string]string{}
	rs, err := m.AlertReviews()
	if err != nil {
		return nil, nil, fmt.Errorf("alert reviews of %s: %w", m.Title(), err)
	}
	for _, r := range rs {
		verdicts[r.MonitorID] = r.Verdict
	}
	infos, err := ws.Meetings()
	if err != nil {
		return nil, nil, err
	}
	yearAgo := time.Now().AddDate(-1, 0, 0).Format(time.DateOnly)
	var ds []mackerel.Decision
	for _, in := range infos {
		if in.ID == m.ID() || in.Date >= m.Date() || in.Date < yearAgo {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, in.Date, loc)
		if err != nil {
			continue
		}
		em, err := ws.Meeting(in.ID)
		if err != nil {
			continue // not synced to this laptop yet
		}
		rs, err := em.AlertReviews()
		if err != nil {
			continue
		}
		for _, r := range rs {
			ds = append(ds, mackerel.Decision{MonitorID: r.MonitorID, Date: day.Add(12 * time.Hour), Verdict: r.Verdict,
				Change: r.Change, Note: r.Note, Source: "minutes: " + in.Title})
		}
	}
	return verdicts, ds, nil
}

// AlertBoardRequest is the hygiene board request of meeting m: its review
// period, its verdicts and the earlier meetings' decisions.
func AlertBoardRequest(ws *minutes.Workspace, m *minutes.Meeting, loc *time.Location) (mackerel.BoardRequest, error) {
	from, to := AlertReviewPeriod(ws, m, loc)
	verdicts, ds, err := AlertDecisions(ws, m, loc)
	if err != nil {
		return mackerel.BoardRequest{}, err
	}
	return mackerel.BoardRequest{From: from, To: to, Verdicts: verdicts, Decisions: ds}, nil
}
