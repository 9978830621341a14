package app_test

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/sync/lansync"
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

	nodeA, err := lansync.Start(ctx, lansync.FromWorkspace(wsA), lansync.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer nodeA.Close()
	nodeB, err := lansync.Start(ctx, lansync.FromWorkspace(wsB), lansync.Options{Listen: "127.0.0.1:0", Peers: []string{nodeA.Addr().String()}})
	if err != nil {
		t.Fatal(err)
	}
	defer nodeB.Close()
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
