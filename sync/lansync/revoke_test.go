package lansync_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pwg-team/pwg/sync/lansync"
	"github.com/pwg-team/pwg/sync/memstore"
)

// refusals is a slog handler that reports each "connection refused" line
// whose reason mentions match.
type refusals struct {
	match string
	c     chan string
}

func (r refusals) Enabled(context.Context, slog.Level) bool { return true }
func (r refusals) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r refusals) WithGroup(string) slog.Handler            { return r }
func (r refusals) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message != "connection refused" {
		return nil
	}
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "reason" && strings.Contains(a.Value.String(), r.match) {
			select {
			case r.c <- a.Value.String():
			default:
			}
		}
		return true
	})
	return nil
}

func waitRefusal(t *testing.T, c <-chan string, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

func connectedTo(n *lansync.Node, fp string) bool {
	return slices.ContainsFunc(n.Peers(), func(p lansync.PeerInfo) bool { return p.Fingerprint == fp && p.Connected })
}

// TestRevoke: A revokes R while B is connected and C is offline. B gets
// the new key at once; C, back later with the old key, is handed the new
// one and syncs; R is refused with the old key and with the new one, and
// what it writes after the revocation reaches nobody.
func TestRevoke(t *testing.T) {
	team := memstore.NewTeam()
	ast := newStore(t, team)
	if err := lansync.EnsureSelfOnRoster(ast, "A"); err != nil {
		t.Fatal(err)
	}
	refused := make(chan string, 64)
	aopts := fastOpts(t)
	aopts.Listen = "127.0.0.1:0"
	aopts.Logger = slog.New(refusals{match: lansync.ErrRevoked.Error(), c: refused})
	a := startNode(t, ast, aopts)
	doc := newTextDoc(t, ast, "minutes:")

	peerOpts := fastOpts(t)
	peerOpts.Peers = []string{a.Addr().String()}
	bst, cst, rst := newStore(t, team), newStore(t, team), newStore(t, team)
	b := startNode(t, bst, peerOpts)
	cctx, stopC := context.WithCancel(context.Background())
	c, err := lansync.Start(cctx, cst, peerOpts)
	if err != nil {
		t.Fatal(err)
	}
	told := make(chan string, 64)
	ropts := peerOpts
	ropts.Logger = slog.New(refusals{match: lansync.ErrRevoked.Error(), c: told})
	r := startNode(t, rst, ropts)
	for _, n := range []*lansync.Node{b, c, r} {
		waitFor(t, 10*time.Second, "every device to connect to A", func() bool { return connectedTo(a, n.Fingerprint()) })
	}
	waitFor(t, 10*time.Second, "the roster and the minutes to reach every device", func() bool {
		for _, st := range []*memstore.Store{bst, cst, rst} {
			devs, _ := lansync.Devices(st)
			if len(devs) != 4 || textOf(st, doc.ID()) != "minutes:" {
				return false
			}
		}
		return true
	}, ast, bst, cst, rst)

	// C goes offline; A revokes R.
	stopC()
	c.Close()
	if err := a.Revoke(a.Fingerprint()); !errors.Is(err, lansync.ErrRevokeSelf) {
		t.Fatalf("revoking itself: %v", err)
	}
	if err := a.Revoke("NOSUCHDEVICE0000"); !errors.Is(err, lansync.ErrNotOnRoster) {
		t.Fatalf("revoking a stranger: %v", err)
	}
	if err := a.Revoke(r.Fingerprint()); err != nil {
		t.Fatal(err)
	}
	newTeam := mustTeam(t, ast)
	if string(newTeam.Key) == string(team.Key) {
		t.Fatal("the team key did not rotate")
	}
	waitFor(t, 10*time.Second, "B to get the new key", func() bool { return string(mustTeam(t, bst).Key) == string(newTeam.Key) })
	if string(mustTeam(t, rst).Key) != string(team.Key) {
		t.Fatal("the revoked device got the new key")
	}
	// R is refused with the old key (it keeps redialing A), and told why ...
	waitRefusal(t, refused, "A to refuse R's old key")
	waitRefusal(t, told, "R to log that it was removed from the team")
	appendText(t, rst, doc.ID(), " R after revocation")
	waitRefusal(t, refused, "A to refuse R again after its edit")
	// ... and with the new key too.
	r2 := memstore.New()
	if err := r2.JoinTeam(newTeam); err != nil {
		t.Fatal(err)
	}
	rkey, _ := rst.Settings().DeviceKey()
	if err := r2.Settings().SetDeviceKey(rkey); err != nil {
		t.Fatal(err)
	}
	startNode(t, r2, peerOpts)
	waitRefusal(t, refused, "A to refuse R holding the new key")

	appendText(t, bst, doc.ID(), " B after")
	waitFor(t, 10*time.Second, "B's edit to reach A", func() bool { return textOf(ast, doc.ID()) == "minutes: B after" }, ast, bst)

	// C comes back with the old key: it is handed the new one and syncs.
	c2 := startNode(t, cst, peerOpts)
	waitFor(t, 10*time.Second, "C to get the new key and sync", func() bool {
		return string(mustTeam(t, cst).Key) == string(newTeam.Key) && connectedTo(a, c2.Fingerprint()) && textOf(cst, doc.ID()) == "minutes: B after"
	}, ast, cst)
	for name, st := range map[string]*memstore.Store{"A": ast, "B": bst, "C": cst} {
		if got := textOf(st, doc.ID()); strings.Contains(got, "R after") {
			t.Fatalf("R's edit after its revocation reached %s: %q", name, got)
		}
	}
	if connectedTo(a, r.Fingerprint()) {
		t.Fatal("A is connected to the revoked device")
	}
	devs, _ := lansync.Devices(cst)
	if i := slices.IndexFunc(devs, func(d lansync.Device) bool { return d.Fingerprint == r.Fingerprint() }); i < 0 || devs[i].Revoked == nil || devs[i].RevokedBy != a.Fingerprint() {
		t.Fatalf("C's roster does not show R revoked by A: %+v", devs)
	}
}

// TestNewKeyReachesADeviceThatOnlyListens: C was offline during the
// rotation and dials nobody; A, holding the new key, dials it, falls back
// to the old key, and hands it the new one; then they sync.
func TestNewKeyReachesADeviceThatOnlyListens(t *testing.T) {
	team := memstore.NewTeam()
	ast, cst, rst := newStore(t, team), newStore(t, team), newStore(t, team)
	if err := lansync.EnsureSelfOnRoster(ast, "A"); err != nil {
		t.Fatal(err)
	}
	aopts := fastOpts(t)
	aopts.Listen = "127.0.0.1:0"
	a := startNode(t, ast, aopts)
	copts := fastOpts(t)
	copts.Listen = "127.0.0.1:0"
	cctx, stopC := context.WithCancel(context.Background())
	c, err := lansync.Start(cctx, cst, copts)
	if err != nil {
		t.Fatal(err)
	}
	cfp := c.Fingerprint()
	ropts := fastOpts(t)
	ropts.Peers = []string{a.Addr().String()}
	r := startNode(t, rst, ropts)
	a.AddPeer(c.Addr().String())
	waitFor(t, 10*time.Second, "A to know C and R", func() bool {
		devs, _ := lansync.Devices(ast)
		return len(devs) == 3 && connectedTo(a, cfp) && connectedTo(a, r.Fingerprint())
	}, ast)
	waitFor(t, 10*time.Second, "the roster on C", func() bool { devs, _ := lansync.Devices(cst); return len(devs) == 3 }, cst)
	caddr := c.Addr().String()
	stopC()
	c.Close()
	if err := a.Revoke(r.Fingerprint()); err != nil {
		t.Fatal(err)
	}
	newKey := string(mustTeam(t, ast).Key)
	// C comes back on the same address, listening only.
	copts.Listen = caddr
	c2 := startNode(t, cst, copts)
	doc := newTextDoc(t, ast, "after the rotation")
	waitFor(t, 15*time.Second, "C to get the new key from A and sync", func() bool {
		return string(mustTeam(t, cst).Key) == newKey && connectedTo(a, c2.Fingerprint()) && textOf(cst, doc.ID()) == "after the rotation"
	}, ast, cst)
}

// TestOfflineDeviceFindsTheRotatedTeamByMDNS: A revoked R while C was
// away, and A restarted since; C, holding only the old key and given no
// address, still meets A by mDNS (A also advertises under the previous
// key's token) and gets the new key.
func TestOfflineDeviceFindsTheRotatedTeamByMDNS(t *testing.T) {
	team := memstore.NewTeam()
	ast, cst, rst := newStore(t, team), newStore(t, team), newStore(t, team)
	for st, name := range map[*memstore.Store]string{ast: "A", cst: "C", rst: "R"} {
		fp, _ := lansync.Fingerprint(st)
		if err := lansync.AddDevice(ast, lansync.Device{Fingerprint: fp, Name: name, Added: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	rfp, _ := lansync.Fingerprint(rst)
	if err := lansync.Revoke(ast, rfp); err != nil { // no node running: the workspace only
		t.Fatal(err)
	}
	newKey := string(mustTeam(t, ast).Key)
	opts := fastOpts(t)
	opts.Listen = "127.0.0.1:0"
	opts.MDNS = true
	a := startNode(t, ast, opts)
	c := startNode(t, cst, opts)
	waitFor(t, 15*time.Second, "C to meet A by mDNS and get the new key", func() bool {
		return string(mustTeam(t, cst).Key) == newKey && connectedTo(a, c.Fingerprint())
	}, cst)
}
