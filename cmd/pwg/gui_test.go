package main

import (
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/lansync"
)

// A workspace first touched by a command has a team and no meeting: the
// window's first start still gives it one, once.
func TestFirstStartAfterACommandMakesOneMeeting(t *testing.T) {
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "onk"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ensureTeam(ws); err != nil { // what `pwg invite` does
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for range 2 {
		if err := firstStart(ws, now); err != nil {
			t.Fatal(err)
		}
		infos, err := ws.Meetings()
		if err != nil {
			t.Fatal(err)
		}
		if len(infos) != 1 || infos[0].Date != "2026-11-24" {
			t.Fatalf("meetings after first start: %+v", infos)
		}
	}
}

// A workspace that joined a team whose minutes have not arrived makes no
// meeting of its own: it would have no agenda and a meeting list the
// team's would not merge with.
func TestFirstStartAfterJoiningMakesNoMeeting(t *testing.T) {
	wsA, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Aiko"})
	if err != nil {
		t.Fatal(err)
	}
	defer wsA.Close()
	if _, err := wsA.Setup("Web", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	inv, err := lansync.Invite(lansync.FromWorkspace(wsA))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Ben"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := lansync.Join(lansync.FromWorkspace(ws), inv); err != nil {
		t.Fatal(err)
	}
	if err := firstStart(ws, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if infos, err := ws.Meetings(); err != nil || len(infos) != 0 {
		t.Fatalf("meetings after first start on a joined workspace: %+v, %v", infos, err)
	}
}
