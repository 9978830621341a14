package toil

import (
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/search"
)

// Reviewed is a toil candidate of a workspace.
type Reviewed struct {
	Candidate
	// Covered: an action item made from this candidate exists.
	Covered bool `json:"covered"`
}

// Review finds the toil of the workspace's team: work-log lines (from the
// search index, brought up to date first) that recur in two meetings or
// more, each marked when an action item already deals with it.
func Review(ws *minutes.Workspace) ([]Reviewed, error) {
	x, err := search.Current(ws)
	if err != nil {
		return nil, err
	}
	lines, err := x.Lines(IsWorkLog)
	if err != nil {
		return nil, err
	}
	in := make([]Line, 0, len(lines))
	for _, l := range lines {
		in = append(in, Line{MeetingID: l.MeetingID, MeetingTitle: l.MeetingTitle, Date: l.Date, Section: l.Section, Text: l.Text})
	}
	var titles []string
	if s, err := ws.Series(); err == nil {
		items, err := s.ActionItems()
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			titles = append(titles, it.Title)
		}
	}
	out := []Reviewed{}
	for _, c := range Find(in) {
		out = append(out, Reviewed{Candidate: c, Covered: Covered(c, titles)})
	}
	return out, nil
}

// Act turns a candidate into an action item of meeting m ("automate or
// eliminate …", raised in its work-log section).
func Act(m *minutes.Meeting, c Candidate) (minutes.ActionItem, error) {
	section := "worklog"
	if len(c.Seen) > 0 {
		if last := c.Seen[len(c.Seen)-1]; last.MeetingID == m.ID() {
			section = last.Section
		}
	}
	return m.AddActionItem(minutes.ActionItem{Title: ActionTitle(c), OriginSection: section,
		DoneCriteria: "the work is automated or no longer needed"})
}
