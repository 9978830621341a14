package lansync_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
)

func TestInviteJoin(t *testing.T) {
	team := memstore.NewTeam()
	host := newStore(t, team)
	_ = host.Settings().SetListenAddrs([]string{"192.0.2.7:7415"})
	inv, err := lansync.Invite(host)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Trim(inv, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567:1") != "" || !strings.HasPrefix(inv, "PWG1:") {
		t.Fatalf("invitation has characters outside QR alphanumeric: %q", inv)
	}
	fresh := memstore.New()
	// Copying may add line breaks and lower-case it.
	if err := lansync.Join(fresh, strings.ToLower(inv[:30])+"\n "+inv[30:]); err != nil {
		t.Fatal(err)
	}
	got, err := fresh.Team()
	if err != nil || got.ID != team.ID || string(got.Key) != string(team.Key) {
		t.Fatalf("joined %+v %v", got, err)
	}
	peers, _ := lansync.ManualPeers(fresh)
	if len(peers) != 1 || peers[0] != "192.0.2.7:7415" {
		t.Fatalf("peers %v", peers)
	}
	// Joining again is harmless; another team's invitation is refused.
	if err := lansync.Join(fresh, inv); err != nil {
		t.Fatal(err)
	}
	other, _ := lansync.Invite(newStore(t, memstore.NewTeam()))
	if err := lansync.Join(fresh, other); !errors.Is(err, lansync.ErrOtherTeam) {
		t.Fatalf("other team: %v", err)
	}
	// A damaged invitation is refused with a clear error.
	bad := []byte(inv)
	bad[20] = map[bool]byte{true: 'B', false: 'A'}[bad[20] == 'A']
	for _, s := range []string{string(bad), "hello", inv[:len(inv)-3]} {
		if err := lansync.Join(memstore.New(), s); !errors.Is(err, lansync.ErrBadInvitation) {
			t.Errorf("%q: %v", s, err)
		}
	}
}
