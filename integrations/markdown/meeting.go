package markdown

import (
	"fmt"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// MeetingSource is what FromMeeting reads; *minutes.Meeting is one.
type MeetingSource interface {
	Title() string
	Date() string
	Location() string
	Sections() ([]minutes.Section, error)
	Attendees() ([]minutes.Attendee, error)
	AlertReviews() ([]minutes.AlertReview, error)
	SLOs() ([]minutes.SLORow, error)
	Attachments() ([]minutes.Attachment, error)
	ActionItems() (carried, raised []minutes.ActionItem, err error)
}

var _ MeetingSource = (*minutes.Meeting)(nil)

// FromMeeting gathers the minutes of a meeting: its fields, the team's
// members (for roles and absentees; may be nil) and series name, and the
// action items carried over to it and raised in it.
func FromMeeting(m MeetingSource, members []minutes.Member, series string) (*Minutes, error) {
	out := &Minutes{Title: m.Title(), Date: m.Date(), Location: m.Location(), Series: series, Members: members}
	var err error
	if out.Sections, err = m.Sections(); err != nil {
		return nil, fmt.Errorf("reading the agenda: %w", err)
	}
	if out.Attendees, err = m.Attendees(); err != nil {
		return nil, fmt.Errorf("reading the attendees: %w", err)
	}
	if out.AlertReviews, err = m.AlertReviews(); err != nil {
		return nil, fmt.Errorf("reading the alert review: %w", err)
	}
	if out.SLOs, err = m.SLOs(); err != nil {
		return nil, fmt.Errorf("reading the SLOs: %w", err)
	}
	if out.Attachments, err = m.Attachments(); err != nil {
		return nil, fmt.Errorf("reading the attachments: %w", err)
	}
	carried, raised, err := m.ActionItems()
	if err != nil {
		return nil, fmt.Errorf("reading the action items: %w", err)
	}
	out.Carried, out.Actions = carried, raised
	return out, nil
}
