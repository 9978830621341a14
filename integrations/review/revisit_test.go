package review_test

import (
	"testing"
	"time"

	"github.com/pwg-team/pwg/integrations/review"
)

func TestRevisitState(t *testing.T) {
	meeting := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	next := time.Date(2026, 12, 18, 0, 0, 0, 0, time.UTC)
	for date, want := range map[string]review.Revisit{
		"2026-11-19": review.RevisitOverdue,
		"2026-11-20": review.RevisitDue, // today
		"2026-12-17": review.RevisitDue,
		"2026-12-18": review.RevisitNone, // the next meeting revisits it
		"":           review.RevisitNone,
		"soon":       review.RevisitNone,
	} {
		if got := review.RevisitState(date, meeting, next); got != want {
			t.Errorf("%q: %v, want %v", date, got, want)
		}
	}
	// without a next meeting: a month after
	if review.RevisitState("2026-12-19", meeting, time.Time{}) != review.RevisitDue ||
		review.RevisitState("2026-12-20", meeting, time.Time{}) != review.RevisitNone {
		t.Error("a month ahead")
	}
}
