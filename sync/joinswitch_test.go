package sync_test

import (
	"errors"
	"testing"

	"github.com/pwg-team/pwg/crdt"
	"github.com/pwg-team/pwg/sync"
)

func TestJoinOrSwitch(t *testing.T) {
	teamA := crdt.NewDocID()
	a := newStore(t, sync.Team{ID: teamA, Key: make([]byte, 32)})
	inv, err := sync.Invite(a)
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	key[0] = 1
	b := newStore(t, sync.Team{ID: crdt.NewDocID(), Key: key})
	if _, err := sync.JoinOrSwitch(b, inv, false); !errors.Is(err, sync.ErrOtherTeam) {
		t.Fatalf("join into another team without force: %v", err)
	}
	if _, err := sync.JoinOrSwitch(b, inv, true); err != nil {
		t.Fatal(err)
	}
	got, err := b.Team()
	if err != nil || got.ID != teamA {
		t.Fatalf("team after switch: %v %v", got, err)
	}
}
