package app_test

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app"
)

// TestJoinedLaptopOpensTheTeamsMeetingWhenItArrives: a laptop that just
// joined a team opens the window before the team's minutes have arrived.
// It shows no meeting of its own; when the minutes arrive it opens the
// team's newest meeting with its whole agenda.
func TestJoinedLaptopOpensTheTeamsMeetingWhenItArrives(t *testing.T) {
	a := test.NewTempApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wsA := teamWorkspace(t, "Aiko")
	wsB := joinedWorkspace(t, wsA, "Ben")
	eventsB, stopB := wsB.Subscribe()
	defer stopB()
	uiB := app.New(a, wsB, app.Options{})
	if v := uiB.Current(); v != nil {
		t.Fatalf("a meeting is open before the team's minutes arrived: %s", v.Meeting().ID())
	}

	startPair(t, ctx, wsA, wsB)
	infosA, _ := wsA.Meetings()
	want := infosA[0].ID
	deadline := time.After(15 * time.Second)
	for {
		if v := uiB.Current(); v != nil && v.Meeting().ID() == want && v.Section("worklog") != nil {
			break
		}
		select {
		case ev := <-eventsB:
			uiB.Apply(ev)
		case <-deadline:
			t.Fatalf("the team's meeting was not opened with its agenda (open: %v)", uiB.Current())
		}
	}
	if got := uiB.Window().Title(); got != "pwg — Web" {
		t.Fatalf("window title %q, want the team's name", got)
	}
	infosB, _ := wsB.Meetings()
	if len(infosB) != 1 {
		t.Fatalf("the joined laptop lists %d meetings, want the team's one: %+v", len(infosB), infosB)
	}
}
