package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/pwg-team/pwg/app"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/sync/joincode"
	"github.com/pwg-team/pwg/sync/lansync"
)

func texts(o fyne.CanvasObject) []string {
	var out []string
	walk(o, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.Label:
			out = append(out, x.Text)
		}
	})
	return out
}

func buttons(o fyne.CanvasObject, label string) []*widget.Button {
	var out []*widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			out = append(out, b)
		}
	})
	return out
}

// TestInviteDialogCodeAndDevicesRevoke: the Invite dialog (and the
// facilitator's I key) shows a join code from the window's node; a device
// joins with it; the Devices dialog lists it with a Revoke button, which
// (confirmed) revokes it and rotates the key.
func TestInviteDialogCodeAndDevicesRevoke(t *testing.T) {
	a := test.NewTempApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wsA := teamWorkspace(t, "Aiko")
	nodeA, err := lansync.Start(ctx, lansync.FromWorkspace(wsA), lansync.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer nodeA.Close()
	uiA := app.New(a, wsA, app.Options{Room: nodeA})
	// The dialog's watcher updates it through fyne.Do, which Fyne's test
	// driver runs on the watcher's goroutine: wait for it before reading.
	ended := make(chan joincode.Outcome, 1)
	uiA.OnCodeEnded = func(o joincode.Outcome) { ended <- o }

	inv := uiA.InvitationObject()
	var code string
	for _, s := range texts(inv) {
		if strings.Count(s, "-") == 2 && !strings.Contains(s, " ") {
			code = s
		}
	}
	if code == "" {
		t.Fatalf("no join code in the Invite dialog: %q", texts(inv))
	}
	// The facilitator's I key shows the same code.
	f := uiA.NewFacilitator()
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyI})
	if !strings.Contains(strings.Join(texts(f.Object()), "\n"), code) {
		t.Fatalf("the facilitator view's I key does not show %s", code)
	}

	wsB, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Ben"})
	if err != nil {
		t.Fatal(err)
	}
	defer wsB.Close()
	if _, _, err := lansync.JoinByCode(ctx, lansync.FromWorkspace(wsB), code, lansync.JoinCodeOptions{Peers: []string{nodeA.Addr().String()}, Name: "Ben"}); err != nil {
		t.Fatal(err)
	}
	select {
	case out := <-ended:
		if out.Err != nil || out.Joined.Name != "Ben" {
			t.Fatalf("outcome shown: %+v", out)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the dialog never showed who joined")
	}
	if !strings.Contains(strings.Join(texts(inv), "\n"), "Ben joined the team") {
		t.Fatalf("the dialog does not say Ben joined: %q", texts(inv))
	}

	devs := uiA.DevicesObject(nil)
	revoke := buttons(devs, "Revoke")
	if len(revoke) != 1 {
		t.Fatalf("Devices dialog: %d Revoke buttons (want one, for Ben): %q", len(revoke), texts(devs))
	}
	before, _ := lansync.FromWorkspace(wsA).Team()
	test.Tap(revoke[0])
	confirm := uiA.Window().Canvas().Overlays().Top()
	if confirm == nil {
		t.Fatal("no confirmation dialog")
	}
	yes := buttons(confirm, "Yes")
	if len(yes) != 1 {
		t.Fatalf("confirmation dialog: %q", texts(confirm))
	}
	test.Tap(yes[0])
	after, _ := lansync.FromWorkspace(wsA).Team()
	if string(after.Key) == string(before.Key) {
		t.Fatal("the team key did not rotate")
	}
	if got := buttons(uiA.DevicesObject(nil), "Revoke"); len(got) != 0 {
		t.Fatalf("Ben still has a Revoke button after the revocation")
	}
}

// TestJoinDialogTakesACode: File → Join a team…, a code typed in its Join
// code field joins the team of the laptop showing it.
func TestJoinDialogTakesACode(t *testing.T) {
	a := test.NewTempApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wsA, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Aiko"})
	if err != nil {
		t.Fatal(err)
	}
	defer wsA.Close()
	if _, err := wsA.Setup("Web", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	nodeA, err := lansync.Start(ctx, lansync.FromWorkspace(wsA), lansync.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer nodeA.Close()
	offer, err := nodeA.InviteByCode(0)
	if err != nil {
		t.Fatal(err)
	}
	wsB, err := minutes.Open(t.TempDir(), minutes.Options{Name: "Ben"})
	if err != nil {
		t.Fatal(err)
	}
	defer wsB.Close()
	uiB := app.New(a, wsB, app.Options{})
	joined := make(chan error, 1)
	uiB.OnJoinDone = func(err error) { joined <- err }
	var join *fyne.MenuItem
	for _, m := range uiB.Window().MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == "Join a team…" {
				join = it
			}
		}
	}
	if join == nil {
		t.Fatal("no File → Join a team…")
	}
	join.Action()
	form := uiB.Window().Canvas().Overlays().Top()
	var entries []*widget.Entry
	walk(form, func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok {
			entries = append(entries, e)
		}
	})
	if len(entries) < 2 {
		t.Fatal("the Join dialog has no code and address fields")
	}
	test.Type(entries[0], offer.Code().String())
	// The dialog also looks by mDNS; on loopback, A's address is given
	// (the field for networks that block multicast).
	test.Type(entries[1], nodeA.Addr().String())
	ok := buttons(form, "Join")
	if len(ok) != 1 {
		t.Fatalf("Join dialog buttons: %q", texts(form))
	}
	test.Tap(ok[0])
	select {
	case err := <-joined:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the join by code never finished")
	}
	teamA, _ := lansync.FromWorkspace(wsA).Team()
	if team, err := lansync.FromWorkspace(wsB).Team(); err != nil || team.ID != teamA.ID || string(team.Key) != string(teamA.Key) {
		t.Fatalf("B's team after the join: %+v, %v", team, err)
	}
	if out := <-offer.Done(); out.Err != nil || out.Joined.Name != "Ben" {
		t.Fatalf("offer outcome %+v", out)
	}
}
