package lansync_test

import (
	"errors"
	"testing"

	"github.com/pwg-team/pwg/crdt/docid"
	"github.com/pwg-team/pwg/sync/lansync"
)

func TestJoinOrSwitch(t *testing.T) {
	teamA := docid.New()
	a := newStore(t, lansync.Team{ID: teamA, Key: make([]byte, 32)})
	inv, err := lansync.Invite(a)
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	key[0] = 1
	b := newStore(t, lansync.Team{ID: docid.New(), Key: key})
	if _, err := lansync.JoinOrSwitch(b, inv, false); !errors.Is(err, lansync.ErrOtherTeam) {
		t.Fatalf("join into another team without force: %v", err)
	}
	if _, err := lansync.JoinOrSwitch(b, inv, true); err != nil {
		t.Fatal(err)
	}
	got, err := b.Team()
	if err != nil || got.ID != teamA {
		t.Fatalf("team after switch: %v %v", got, err)
	}
}
