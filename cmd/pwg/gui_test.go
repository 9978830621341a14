package main

import (
	"testing"
	"time"

	"github.com/pwg-team/pwg/crdt/minutes"
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
