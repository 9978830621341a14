package minutes_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/crdt/minutes"
)

// A device that joined a team (its series id known, the series not yet
// arrived) cannot make a meeting: it would write into an empty series.
func TestNoMeetingBeforeTheTeamArrived(t *testing.T) {
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Ben"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	team := docid.New()
	if err := ws.Settings().SetCurrentTeam(team); err != nil { // what joining does
		t.Fatal(err)
	}
	if _, err := ws.EnsureDoc(team); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.NewMeeting("PWG 2026-11", "2026-11-30"); !errors.Is(err, minutes.ErrTeamNotArrived) {
		t.Fatalf("NewMeeting before the team arrived: %v, want ErrTeamNotArrived", err)
	}
	if created, err := ws.Setup("PWG", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)); err != nil || created {
		t.Fatalf("Setup on a joined workspace: created %v, %v", created, err)
	}
	h, _ := ws.Doc(team)
	if !h.IsEmpty() {
		t.Fatal("the empty series was written to")
	}
}
