package teamconf

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/integrations/issues"
)

// PostmortemLabel returns the label of the team's postmortem issues
// (issues.DefaultPostmortemLabel unless set).
func PostmortemLabel(ws *minutes.Workspace) (string, error) {
	l, err := ws.Settings().PostmortemLabel()
	if err != nil {
		return issues.DefaultPostmortemLabel, err
	}
	if l = strings.TrimSpace(l); l == "" {
		return issues.DefaultPostmortemLabel, nil
	}
	return l, nil
}

// SetPostmortemLabel stores the label of postmortem issues ("" for the default).
func SetPostmortemLabel(ws *minutes.Workspace, label string) error {
	return ws.Settings().SetPostmortemLabel(strings.TrimSpace(label))
}

// CarryOver returns the action items m carries over, each with its issue's
// state: from the cache, then — when live and the tracker is configured —
// fetched from GitHub (and cached). Fetch errors are per item; offline the
// cached states are shown.
func CarryOver(ctx context.Context, ws *minutes.Workspace, m *minutes.Meeting, live bool) ([]issues.Carried, error) {
	carried, _, err := m.ActionItems()
	if err != nil {
		return nil, err
	}
	st, err := issues.OpenStates(ws.DB())
	if err != nil {
		return nil, err
	}
	var src issues.StateSource
	if live && len(issues.IssueURLs(carried)) > 0 {
		tr, _, err := Tracker(ws)
		switch {
		case errors.Is(err, ErrNotConfigured):
		case err != nil:
			return nil, err
		default:
			src = tr
		}
	}
	return issues.ReviewCarryOver(ctx, st, src, carried)
}

// PreviousMeetingDate returns the date of the team's meeting before m (the
// start of the period its incident review covers), or 30 days before m
// when m is the first.
func PreviousMeetingDate(ws *minutes.Workspace, m *minutes.Meeting, loc *time.Location) time.Time {
	cur, err := time.ParseInLocation(time.DateOnly, m.Date(), loc)
	if err != nil {
		cur = time.Now().In(loc)
	}
	prev := cur.AddDate(0, 0, -30)
	if infos, err := ws.Meetings(); err == nil {
		for _, in := range infos { // newest first
			d, err := time.ParseInLocation(time.DateOnly, in.Date, loc)
			if err == nil && in.ID != m.ID() && d.Before(cur) {
				return d
			}
		}
	}
	return prev
}

// Postmortems lists the postmortem issues opened or updated since the
// meeting before m, with their open follow-ups. It returns
// ErrNotConfigured when the tracker is not set up.
func Postmortems(ctx context.Context, ws *minutes.Workspace, m *minutes.Meeting, loc *time.Location) (since time.Time, label string, pms []issues.Postmortem, err error) {
	since = PreviousMeetingDate(ws, m, loc)
	if label, err = PostmortemLabel(ws); err != nil {
		return since, label, nil, err
	}
	tr, _, err := Tracker(ws)
	if err != nil {
		return since, label, nil, err
	}
	pms, err = tr.Postmortems(ctx, label, since)
	return since, label, pms, err
}
