package lansync_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/joincode"
	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
)

// inviter starts a node of a new team on loopback with itself on the roster.
func inviter(t *testing.T) (*memstore.Store, *lansync.Node) {
	t.Helper()
	st := newStore(t, memstore.NewTeam())
	if err := lansync.EnsureSelfOnRoster(st, "facilitator"); err != nil {
		t.Fatal(err)
	}
	opts := fastOpts(t)
	opts.Listen = "127.0.0.1:0"
	return st, startNode(t, st, opts)
}

func otherWord(c joincode.Code) joincode.Code {
	if c.Words[0] == "apple" {
		c.Words[0] = "river"
	} else {
		c.Words[0] = "apple"
	}
	return c
}

func TestJoinByCode(t *testing.T) {
	ast, a := inviter(t)
	offer, err := a.InviteByCode(0)
	if err != nil {
		t.Fatal(err)
	}
	if left := time.Until(offer.Expires()); left < 9*time.Minute || left > lansync.CodeTTL {
		t.Fatalf("code valid for %v, want 10 minutes", left)
	}
	bst := memstore.New()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	inv, devs, err := lansync.JoinByCode(ctx, bst, offer.Code().String(), lansync.JoinCodeOptions{Peers: []string{a.Addr().String()}, Name: "bob's laptop"})
	if err != nil {
		t.Fatal(err)
	}
	ateam, _ := ast.Team()
	bteam, err := bst.Team()
	if err != nil || bteam.ID != ateam.ID || string(bteam.Key) != string(ateam.Key) || inv.From != a.Fingerprint() {
		t.Fatalf("joined %+v (%v), want team %s from %s", bteam, err, ateam.ID, a.Fingerprint())
	}
	bfp, _ := lansync.Fingerprint(bst)
	i := slices.IndexFunc(devs, func(d lansync.Device) bool { return d.Fingerprint == bfp })
	if len(devs) != 2 || i < 0 || devs[i].Name != "bob's laptop" || devs[i].AddedBy != a.Fingerprint() {
		t.Fatalf("device list %+v: want the facilitator and bob's laptop, let in by %s", devs, a.Fingerprint())
	}
	if out := <-offer.Done(); out.Err != nil || out.Joined.Fingerprint != bfp {
		t.Fatalf("offer outcome %+v", out)
	}
	// The joined device syncs with its inviter (the invitation's address
	// became a manual peer): the roster document arrives.
	b := startNode(t, bst, fastOpts(t))
	_ = b
	rid := lansync.RosterID(ateam.ID)
	waitFor(t, 10*time.Second, "the roster to sync", func() bool {
		ra, err1 := ast.Get(rid)
		rb, err2 := bst.Get(rid)
		return err1 == nil && err2 == nil && memstore.SameHeads(ra.Heads(), rb.Heads())
	}, bst, ast)
	if got, _ := lansync.Devices(bst); len(got) != 2 {
		t.Fatalf("roster on the new device: %+v", got)
	}
	// one use
	if _, _, err := lansync.JoinByCode(ctx, memstore.New(), offer.Code().String(), lansync.JoinCodeOptions{Peers: []string{a.Addr().String()}}); !errors.Is(err, joincode.ErrCodeGone) {
		t.Fatalf("second use of the code: %v, want ErrCodeGone", err)
	}
}

func TestJoinByWrongCodeIsRefusedAndBurnt(t *testing.T) {
	ast, a := inviter(t)
	offer, err := a.InviteByCode(0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	peers := lansync.JoinCodeOptions{Peers: []string{a.Addr().String()}}
	bst := memstore.New()
	for i := range joincode.MaxTries {
		_, _, err := lansync.JoinByCode(ctx, bst, otherWord(offer.Code()).String(), peers)
		if !errors.Is(err, joincode.ErrWrongCode) {
			t.Fatalf("try %d with a wrong code: %v, want ErrWrongCode", i+1, err)
		}
	}
	if out := <-offer.Done(); !errors.Is(out.Err, joincode.ErrBurnt) {
		t.Fatalf("offer outcome %+v, want burnt", out)
	}
	if _, _, err := lansync.JoinByCode(ctx, bst, offer.Code().String(), peers); !errors.Is(err, joincode.ErrCodeGone) {
		t.Fatalf("right code after it was burnt: %v, want ErrCodeGone", err)
	}
	if _, err := bst.Team(); !errors.Is(err, lansync.ErrNoTeam) {
		t.Fatalf("the refused device has a team: %v", err)
	}
	if devs, _ := lansync.Devices(ast); len(devs) != 1 {
		t.Fatalf("roster after refusals: %+v", devs)
	}
	// Team devices still connect while (and after) a code was on offer.
	cst := newStore(t, mustTeam(t, ast))
	c := startNode(t, cst, fastOpts(t))
	c.AddPeer(a.Addr().String())
	waitFor(t, 10*time.Second, "a team device to connect", func() bool {
		return slices.ContainsFunc(a.Peers(), func(p lansync.PeerInfo) bool { return p.Connected })
	})
}

func mustTeam(t *testing.T, st lansync.Store) lansync.Team {
	t.Helper()
	team, err := st.Team()
	if err != nil {
		t.Fatal(err)
	}
	return team
}

// TestJoinByCodeFindsTheInviterByMDNS: no address given; the joining
// device finds the code's advert by mDNS (on loopback).
func TestJoinByCodeFindsTheInviterByMDNS(t *testing.T) {
	st := newStore(t, memstore.NewTeam())
	opts := fastOpts(t)
	opts.Listen = "127.0.0.1:0"
	opts.MDNS = true
	a := startNode(t, st, opts)
	offer, err := a.InviteByCode(0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	bst := memstore.New()
	if _, _, err := lansync.JoinByCode(ctx, bst, offer.Code().String(), lansync.JoinCodeOptions{MDNS: true}); err != nil {
		t.Fatalf("join by code found by mDNS: %v", err)
	}
	if got, want := mustTeam(t, bst), mustTeam(t, st); string(got.Key) != string(want.Key) {
		t.Fatal("joined with another key")
	}
}
