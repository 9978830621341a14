package review

import "time"

// Revisit is how an SLO's revisit date stands at a meeting.
type Revisit int

// Revisit states.
const (
	RevisitNone    Revisit = iota // no date, or after the next meeting
	RevisitDue                    // falls before the next meeting
	RevisitOverdue                // has passed (before the meeting's day)
)

// RevisitState reports whether an SLO document whose revisit date is date
// (YYYY-MM-DD) must be revisited at the meeting held on meeting: overdue
// when the date is before the meeting's day, due when it falls before the
// next meeting (next zero: a month after meeting). A date that cannot be
// read is RevisitNone.
func RevisitState(date string, meeting, next time.Time) Revisit {
	d, err := time.ParseInLocation(time.DateOnly, date, meeting.Location())
	if err != nil {
		return RevisitNone
	}
	y, m, dd := meeting.Date()
	day := time.Date(y, m, dd, 0, 0, 0, 0, meeting.Location())
	if next.IsZero() {
		next = day.AddDate(0, 1, 0)
	}
	switch {
	case d.Before(day):
		return RevisitOverdue
	case d.Before(next):
		return RevisitDue
	}
	return RevisitNone
}
